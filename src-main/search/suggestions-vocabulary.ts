// The words this library knows, with how many photos use each: a port any source can fill (the catalog's folder,
// file, camera and people names today; the full-text index's vocabulary later) and the in-memory index over it
// that spelling and suggestions-as-you-type read, so a keystroke never waits on the database.

/** Where a term was seen; suggestions rank people and folders above words that only occur in file names. */
export type TermSource = 'person' | 'folder' | 'place' | 'camera' | 'caption' | 'file';

export interface VocabularyTerm {
  /** As people write it ("Siobhan", "Kraków"); matching folds case and diacritics. */
  term: string;
  /** Photos the term occurs in. */
  count: number;
  source: TermSource;
}

/** The library's vocabulary. The full-text index implements the same three calls over its term counts. */
export interface LibraryVocabulary {
  /** Terms starting with `prefix` (folded), most frequent first. */
  terms(prefix: string, limit: number): Promise<VocabularyTerm[]>;
  /** Photos using `term` (folded match); 0 when the library never uses it. */
  count(term: string): Promise<number>;
  all(): Promise<VocabularyTerm[]>;
}

const SOURCE_RANK: Record<TermSource, number> = { person: 0, folder: 1, place: 2, caption: 3, camera: 4, file: 5 };

/** Lower case without diacritics, so "Kraków", "KRAKOW" and "krakow" are one key. */
export function foldTerm(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** Words of a name or caption: runs of letters (apostrophes inside kept), at least two letters long. */
export function wordsIn(text: string): string[] {
  return (text.normalize('NFC').match(/\p{L}[\p{L}\p{M}'’]*\p{L}|\p{L}{2,}/gu) ?? []).map((word) => word.replace(/’/g, "'"));
}

export interface IndexedTerm extends VocabularyTerm {
  folded: string;
}

/**
 * A sorted array of folded terms: a prefix is a binary search plus a scan of its range, which stays well under a
 * millisecond for the tens of thousands of distinct words a 100k-photo library has.
 */
export class VocabularyIndex implements LibraryVocabulary {
  private readonly sorted: IndexedTerm[];
  private readonly byFolded = new Map<string, IndexedTerm>();
  /** Terms by folded length: a word within two edits is at most two letters longer or shorter. */
  private readonly byLength = new Map<number, IndexedTerm[]>();

  constructor(terms: Iterable<VocabularyTerm>) {
    for (const term of terms) {
      const folded = foldTerm(term.term);
      if (!folded) continue;
      const seen = this.byFolded.get(folded);
      if (!seen) {
        this.byFolded.set(folded, { ...term, folded });
      } else {
        // One entry per folded word. Sources overlap (the text index holds file and folder names too), so the count is
        // the largest any source saw rather than a sum; the better-ranked source wins, and the spelling as people write
        // it ("Kraków") wins over the text index's folded form ("krakow").
        const source = SOURCE_RANK[term.source] < SOURCE_RANK[seen.source] ? term.source : seen.source;
        const written = (t: VocabularyTerm) => t.term !== foldTerm(t.term);
        const spelling = written(term) !== written(seen) ? (written(term) ? term.term : seen.term) : term.count > seen.count ? term.term : seen.term;
        this.byFolded.set(folded, { term: spelling, folded, source, count: Math.max(seen.count, term.count) });
      }
    }
    this.sorted = [...this.byFolded.values()].sort((a, b) => (a.folded < b.folded ? -1 : a.folded > b.folded ? 1 : 0));
    for (const term of this.sorted) {
      const bucket = this.byLength.get(term.folded.length);
      if (bucket) bucket.push(term);
      else this.byLength.set(term.folded.length, [term]);
    }
  }

  get size(): number {
    return this.sorted.length;
  }

  get(term: string): IndexedTerm | undefined {
    return this.byFolded.get(foldTerm(term));
  }

  async terms(prefix: string, limit: number): Promise<VocabularyTerm[]> {
    return this.withPrefix(foldTerm(prefix), limit).map(publicTerm);
  }

  async count(term: string): Promise<number> {
    return this.get(term)?.count ?? 0;
  }

  async all(): Promise<VocabularyTerm[]> {
    return this.sorted.map(publicTerm);
  }

  /** Folded-prefix matches, most frequent first, people and folders before other words of equal count. */
  withPrefix(folded: string, limit: number): IndexedTerm[] {
    if (limit <= 0) return [];
    const top: IndexedTerm[] = [];
    for (let i = this.lowerBound(folded); i < this.sorted.length; i++) {
      const term = this.sorted[i]!;
      if (!term.folded.startsWith(folded)) break;
      insertTop(top, term, limit);
    }
    return top;
  }

  /**
   * Terms whose beginning is within `maxEdits` edits of `folded` (a typo in the word being typed): "moutn" reaches
   * "mountain". Only terms sharing the first letter are compared, which keeps a keystroke cheap.
   */
  withFuzzyPrefix(folded: string, maxEdits: number, limit: number): Array<IndexedTerm & { edits: number }> {
    const found: Array<IndexedTerm & { edits: number }> = [];
    if (folded.length < 3) return found;
    const first = folded[0]!;
    for (let i = this.lowerBound(first); i < this.sorted.length; i++) {
      const term = this.sorted[i]!;
      if (term.folded[0] !== first) break;
      const edits = prefixEditDistance(folded, term.folded, maxEdits);
      if (edits <= maxEdits) found.push({ ...term, edits });
    }
    return found.sort((a, b) => a.edits - b.edits || b.count - a.count).slice(0, limit);
  }

  /** Whole terms within `maxEdits` (Damerau) of `folded`, closest then most frequent first. */
  near(folded: string, maxEdits: number, limit: number): Array<IndexedTerm & { edits: number }> {
    const found: Array<IndexedTerm & { edits: number }> = [];
    for (let length = Math.max(1, folded.length - maxEdits); length <= folded.length + maxEdits; length++) {
      for (const term of this.byLength.get(length) ?? []) {
        const edits = editDistance(folded, term.folded, maxEdits);
        if (edits <= maxEdits) found.push({ ...term, edits });
      }
    }
    return found.sort((a, b) => a.edits - b.edits || b.count - a.count).slice(0, limit);
  }

  private lowerBound(key: string): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.sorted[mid]!.folded < key) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

function publicTerm({ term, count, source }: IndexedTerm): VocabularyTerm {
  return { term, count, source };
}

function better(a: IndexedTerm, b: IndexedTerm): boolean {
  return a.count > b.count || (a.count === b.count && SOURCE_RANK[a.source] < SOURCE_RANK[b.source]);
}

/** Keeps `top` the best `limit` terms seen so far, best first, without sorting the whole range. */
function insertTop(top: IndexedTerm[], term: IndexedTerm, limit: number): void {
  if (top.length === limit && !better(term, top[limit - 1]!)) return;
  let at = top.length;
  while (at > 0 && better(term, top[at - 1]!)) at--;
  top.splice(at, 0, term);
  if (top.length > limit) top.pop();
}

/** Rows of the distance table, reused across calls: a keystroke compares thousands of words. */
const rows = [new Int32Array(66), new Int32Array(66), new Int32Array(66)];
const LONGEST = 64;

/**
 * Optimal-string-alignment distance (a swap of neighbours is one edit) between `a` and `b`, or between `a` and the
 * closest beginning of `b` when `prefixOfB`; computed only within `max` of the diagonal, giving up above `max`.
 */
function bandedDistance(a: string, b: string, max: number, prefixOfB: boolean): number {
  const n = a.length;
  const m = prefixOfB ? Math.min(b.length, n + max) : b.length;
  if (!prefixOfB && Math.abs(n - m) > max) return max + 1;
  if (prefixOfB && m < n - max) return max + 1;
  if (n > LONGEST || m > LONGEST) return n === m && a === b ? 0 : max + 1;
  const over = max + 1;
  let previous2 = rows[0]!;
  let previous = rows[1]!;
  let current = rows[2]!;
  for (let j = 0; j <= m; j++) previous[j] = j <= max ? j : over;
  for (let i = 1; i <= n; i++) {
    const low = Math.max(1, i - max);
    const high = Math.min(m, i + max);
    current[0] = i <= max ? i : over;
    if (low > 1) current[low - 1] = over;
    let rowMin = low > 1 ? over : current[0]!;
    const ai = a.charCodeAt(i - 1);
    for (let j = low; j <= high; j++) {
      const bj = b.charCodeAt(j - 1);
      let value = previous[j - 1]! + (ai === bj ? 0 : 1);
      const up = previous[j]! + 1;
      if (up < value) value = up;
      const left = current[j - 1]! + 1;
      if (left < value) value = left;
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) {
        const swap = previous2[j - 2]! + 1;
        if (swap < value) value = swap;
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (high < m) current[high + 1] = over;
    if (rowMin > max) return over;
    [previous2, previous, current] = [previous, current, previous2];
  }
  if (!prefixOfB) return Math.min(previous[m]!, over);
  let best = over;
  for (let j = Math.max(0, n - max); j <= m; j++) if (previous[j]! < best) best = previous[j]!;
  return best;
}

export function editDistance(a: string, b: string, max: number): number {
  return bandedDistance(a, b, max, false);
}

/** The smallest distance between `typed` and any beginning of `term` (what a person may still be typing). */
export function prefixEditDistance(typed: string, term: string, max: number): number {
  return bandedDistance(typed, term, max, true);
}

/**
 * The merged vocabulary of several sources (the catalog's names, the full-text index's terms), kept in memory and
 * rebuilt in the background when the library changes: a keystroke reads the last index and never waits on a rebuild
 * once a first one exists.
 */
export class LiveVocabulary {
  private current: VocabularyIndex | null = null;
  private building: Promise<VocabularyIndex> | null = null;
  private stale = true;
  private builtAt = 0;
  private rebuildAfterCurrent = false;

  /**
   * `minRebuildMs`: while photos stream in, every change marks the index stale; rebuilding (~0.2–3 s of this thread at
   * 100k photos) at most this often keeps indexing from turning suggestions into a rebuild loop.
   */
  constructor(
    private readonly sources: Array<Pick<LibraryVocabulary, 'all'>>,
    private readonly maxAgeMs = 5 * 60_000,
    private readonly minRebuildMs = 30_000,
  ) {}

  /** Marks the index out of date (photos, folders or people changed); the next read starts a rebuild. */
  invalidate(): void {
    this.stale = true;
  }

  /** Rebuilds in the background now, past the throttle (after a build in flight, which may have read the old words). */
  refreshNow(): void {
    if (!this.current) {
      this.stale = true; // nothing built yet: the first read builds it with the new words
      return;
    }
    if (this.building) {
      this.stale = true;
      this.rebuildAfterCurrent = true;
      return;
    }
    this.rebuild();
  }

  async index(): Promise<VocabularyIndex> {
    const age = performance.now() - this.builtAt;
    if (!this.current || (this.stale && age > this.minRebuildMs) || age > this.maxAgeMs) this.rebuild();
    return this.current ?? (await this.building!);
  }

  private rebuild(): void {
    if (this.building) return;
    this.stale = false;
    this.building = Promise.all(this.sources.map((source) => source.all()))
      .then((lists) => {
        this.current = new VocabularyIndex(lists.flat());
        this.builtAt = performance.now();
        return this.current;
      })
      .catch((error: unknown) => {
        this.stale = true;
        throw error;
      })
      .finally(() => {
        this.building = null;
        if (this.rebuildAfterCurrent) {
          this.rebuildAfterCurrent = false;
          this.rebuild();
        }
      });
    // A background rebuild that fails leaves the previous index in use; the next read tries again.
    if (this.current) this.building.catch(() => undefined);
  }
}
