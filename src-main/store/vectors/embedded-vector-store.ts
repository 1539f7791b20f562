// The default vector store, embedded in the data dir: SQLite holds every vector (the source of truth, crash-safe),
// a usearch HNSW index over the global vectors answers k-NN, and a change log lets the index catch up after a kill
// or after another process (the CLI beside the app) wrote to the same store.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import usearch from 'usearch';
import { bytesFromHalves, decodeHalfFloats, dotWithHalves, encodeHalfFloats, halvesFromBytes } from './half-float';
import { newHnswIndex, type HnswIndex, type HnswSettings } from './hnsw-index';
import { startCompaction, type CompactedIndex, type CompactionTask } from './index-compaction';
import { checkIndexFile, describeIndexFile, writeIndexFileRecord, type IndexFileRecord } from './index-file';
import {
  assertPhotoId,
  unitVector,
  VectorInputError,
  type CropUpsert,
  type GlobalUpsert,
  type IdFilter,
  isPayloadFilter,
  type PhotoVectors,
  type VectorFilter,
  type VectorMatch,
  type VectorStore,
} from './vector-store';

const { MetricKind, exactSearch } = usearch;

export type { HnswSettings };

export interface EmbeddedVectorStoreOptions {
  /** The store's own directory, e.g. `<dataDir>/vectors/<model slug>/`; created when missing. */
  dir: string;
  dimensions: number;
  /**
   * Up to this many photos, searches scan every vector exactly instead of walking the HNSW graph. Measured here
   * (768-d, 1 thread): exact 0.06 ms vs HNSW 0.05 ms at 500 photos, 0.19 vs 0.06 at 2,000, so the crossover sits
   * near 400; below it exact is as fast and never misses.
   */
  exactSearchBelow?: number;
  /**
   * Largest allowed set a filtered search may score exactly from disk. Below it the cheaper path is chosen per query:
   * reading a stored vector costs ~3 µs, widening the graph search ~6 µs per extra neighbour (measured here).
   */
  filteredExactLimit?: number;
  hnsw?: Partial<HnswSettings>;
  /** Index changes after which the HNSW file is rewritten on its own (besides flush/close). */
  saveAfterChanges?: number;
  /** Told, in words for a person, when the saved index could not be used and was rebuilt from the stored vectors. */
  onNotice?: (message: string) => void;
}

export const DEFAULT_HNSW: HnswSettings = { connectivity: 16, expansionAdd: 128, expansionSearch: 128 };
export const DEFAULT_EXACT_SEARCH_BELOW = 400;
const DEFAULT_FILTERED_EXACT_LIMIT = 20_000;
/** Over-fetch on top of the filter's expected selectivity, so one graph search usually yields k allowed photos. */
const OVERSAMPLING = 1.3;
const DEFAULT_SAVE_AFTER_CHANGES = 2000;
/**
 * Up to this many photos, an index holding removed slots is rebuilt when it is saved, so no saved file holds any
 * (what usearch 2.25.3 could not load). Rebuilding costs ~0.4 ms per photo on 2 cores (~1 s here, measured 1.3–3.4 s
 * for 3,000 on a busy machine), so beyond this removed slots are saved while few — usearch ≥ 2.26.2 loads them and new
 * photos reuse them — and rebuilt once they are many.
 */
const COMPACT_ALWAYS_UP_TO = 2_000;
/**
 * Up to this many photos the rebuild runs in place (≤ ~0.4 s here); beyond it a worker thread rebuilds the graph while
 * the old one keeps answering, because in place it froze the window (~9 s at 10k, ~30 s at 100k on 2 cores).
 */
const COMPACT_IN_PLACE_UP_TO = 1_000;
/**
 * Removed slots, as a share of live entries, beyond which the graph is rebuilt before saving whatever its size: 20%
 * of all slots, below every share at which usearch 2.25.3 was seen to abort (33% and up), and where a graph's dead
 * weight starts to cost memory and recall.
 */
const COMPACT_REMOVED_SHARE = 0.25;
/** `global-<seq>.usearch`, or `global-<seq>-compact.usearch` for a compacted graph that may land at the seq just saved. */
const INDEX_FILE = /^global-(\d+)(-compact)?\.usearch$/;
/** A saved index or its integrity record (`….usearch.json`). */
const INDEX_OR_RECORD_FILE = /^global-(\d+)(?:-compact)?\.usearch(?:\.json)?$/;
/**
 * An index or record being written: `global-<seq>.usearch[.json].<pid>.tmp`, or a compaction worker's
 * `compaction.usearch.<pid>.tmp`, so two processes saving at once never share a file.
 */
const INDEX_TMP_FILE = /^(?:global-\d+|compaction)\.usearch(?:\.json)?\.(\d+)\.tmp$/;

interface VectorRow {
  id: number;
  global: Buffer;
  crops: Buffer | null;
  crop_count: number;
}

export async function openEmbeddedVectorStore(options: EmbeddedVectorStoreOptions): Promise<VectorStore> {
  return EmbeddedVectorStore.open(options);
}

export class EmbeddedVectorStore implements VectorStore {
  readonly dimensions: number;
  readonly description: string;
  private readonly db: Database.Database;
  private index: HnswIndex;
  private appliedSeq = 0;
  private changesSinceSave = 0;
  private exactCache: { ids: number[]; packed: Float32Array } | null = null;
  private closed = false;
  private closing = false;
  /**
   * Removed slots in the serving graph, at most (usearch states the exact count only in a saved file's header; new
   * photos may reuse slots): enough to start a rebuild without first saving the graph to read its header.
   */
  private removedSlots = 0;
  /** The background rebuild in flight, and the log position its snapshot is at least at (the log is kept past it). */
  private compaction: { fromSeq: number; task: CompactionTask; settled: Promise<void> } | null = null;
  private readonly statements;

  private constructor(
    private readonly options: Required<Omit<EmbeddedVectorStoreOptions, 'hnsw' | 'onNotice'>> & {
      hnsw: HnswSettings;
      onNotice: (message: string) => void;
    },
    db: Database.Database,
  ) {
    this.dimensions = options.dimensions;
    this.description = `embedded (usearch HNSW f16 + SQLite) at ${options.dir}`;
    this.db = db;
    this.index = this.newIndex();
    this.statements = {
      upsertGlobal: db.prepare(
        'INSERT INTO photo_vectors (id, global) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET global = excluded.global',
      ),
      upsertCrops: db.prepare('UPDATE photo_vectors SET crops = ?, crop_count = ? WHERE id = ?'),
      exists: db.prepare('SELECT 1 FROM photo_vectors WHERE id = ?').pluck(),
      remove: db.prepare('DELETE FROM photo_vectors WHERE id = ?'),
      log: db.prepare('INSERT INTO index_log (photo_id) VALUES (?)'),
      row: db.prepare<[number], VectorRow>('SELECT id, global, crops, crop_count FROM photo_vectors WHERE id = ?'),
      globalOf: db.prepare<[number], Buffer>('SELECT global FROM photo_vectors WHERE id = ?').pluck(),
      globalsIn: db.prepare<[string], { id: number; global: Buffer }>(
        'SELECT id, global FROM photo_vectors WHERE id IN (SELECT value FROM json_each(?))',
      ),
      page: db.prepare<[number, number], { id: number; global: Buffer }>(
        'SELECT id, global FROM photo_vectors WHERE id > ? ORDER BY id LIMIT ?',
      ),
      allGlobals: db.prepare<[], { id: number; global: Buffer }>('SELECT id, global FROM photo_vectors ORDER BY id'),
      counts: db.prepare<[], { photos: number; withCrops: number }>(
        'SELECT count(*) AS photos, count(crops) AS withCrops FROM photo_vectors',
      ),
      lastSeq: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'index_log'").pluck(),
      changesBetween: db.prepare<[number, number], { seq: number; photo_id: number }>(
        'SELECT seq, photo_id FROM index_log WHERE seq > ? AND seq <= ? ORDER BY seq',
      ),
      compact: db.prepare('DELETE FROM index_log WHERE seq <= ?'),
      getMeta: db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    };
  }

  static async open(options: EmbeddedVectorStoreOptions): Promise<EmbeddedVectorStore> {
    if (!Number.isInteger(options.dimensions) || options.dimensions < 1) {
      throw new VectorInputError(`vector store dimensions must be a positive integer, got ${String(options.dimensions)}`);
    }
    fs.mkdirSync(options.dir, { recursive: true });
    const db = new Database(path.join(options.dir, 'vectors.sqlite'));
    try {
      db.pragma('journal_mode = WAL');
      // FULL: a commit survives power loss, so the index file can never be ahead of the database it mirrors.
      db.pragma('synchronous = FULL');
      db.exec(`
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS photo_vectors (
          id INTEGER PRIMARY KEY,
          global BLOB NOT NULL,
          crops BLOB,
          crop_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE IF NOT EXISTS index_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, photo_id INTEGER NOT NULL);
      `);
      const stored = db.prepare("SELECT value FROM meta WHERE key = 'dimensions'").pluck().get() as string | undefined;
      if (stored === undefined) {
        db.prepare("INSERT INTO meta (key, value) VALUES ('dimensions', ?)").run(String(options.dimensions));
      } else if (Number(stored) !== options.dimensions) {
        throw new VectorInputError(
          `the vector store in ${options.dir} holds ${stored}-dimensional vectors, not ${options.dimensions}: it belongs to another model`,
        );
      }
    } catch (error) {
      db.close();
      throw error;
    }
    const store = new EmbeddedVectorStore(
      {
        dir: options.dir,
        dimensions: options.dimensions,
        exactSearchBelow: options.exactSearchBelow ?? DEFAULT_EXACT_SEARCH_BELOW,
        filteredExactLimit: options.filteredExactLimit ?? DEFAULT_FILTERED_EXACT_LIMIT,
        saveAfterChanges: options.saveAfterChanges ?? DEFAULT_SAVE_AFTER_CHANGES,
        hnsw: { ...DEFAULT_HNSW, ...options.hnsw },
        onNotice: options.onNotice ?? (() => {}),
      },
      db,
    );
    store.removeAbandonedTmpFiles();
    store.loadIndex();
    return store;
  }

  // ------------------------------------------------------------------ writes

  async upsertGlobals(items: GlobalUpsert[]): Promise<void> {
    this.assertOpen();
    if (items.length === 0) return;
    const prepared = items.map(({ id, vector }) => {
      assertPhotoId(id);
      return { id, halves: encodeHalfFloats(unitVector(vector, this.dimensions, `global vector of photo ${id}`, id)) };
    });
    this.db.transaction(() => {
      for (const { id, halves } of prepared) {
        this.statements.upsertGlobal.run(id, bytesFromHalves(halves));
        this.statements.log.run(id);
      }
    })();
    // The index takes the change through the log like any other process's change: from what SQLite now holds
    // (f16-rounded, so exact and ANN paths see the same numbers), in log order with whatever others wrote meanwhile.
    this.catchUp();
  }

  async upsertCrops(items: CropUpsert[]): Promise<void> {
    this.assertOpen();
    if (items.length === 0) return;
    const prepared = items.map(({ id, crops }) => {
      assertPhotoId(id);
      if (!Array.isArray(crops) || crops.length === 0) {
        throw new VectorInputError(`crop vectors of photo ${id}: expected at least one crop`, id);
      }
      const halves = new Uint16Array(crops.length * this.dimensions);
      crops.forEach((crop, c) =>
        halves.set(encodeHalfFloats(unitVector(crop, this.dimensions, `crop ${c} of photo ${id}`, id)), c * this.dimensions),
      );
      return { id, halves, count: crops.length };
    });
    this.db.transaction(() => {
      for (const { id } of prepared) {
        if (this.statements.exists.get(id) === undefined) {
          throw new VectorInputError(`crop vectors of photo ${id} arrived before its global vector`, id);
        }
      }
      for (const { id, halves, count } of prepared) this.statements.upsertCrops.run(bytesFromHalves(halves), count, id);
    })();
  }

  async delete(ids: number[]): Promise<number> {
    this.assertOpen();
    ids.forEach(assertPhotoId);
    const unique = [...new Set(ids)];
    let removed = 0;
    this.db.transaction(() => {
      for (const id of unique) {
        if (this.statements.remove.run(id).changes > 0) {
          removed++;
          this.statements.log.run(id);
        }
      }
    })();
    this.catchUp();
    return removed;
  }

  // ------------------------------------------------------------------ reads

  async get(id: number): Promise<PhotoVectors | null> {
    this.assertOpen();
    const row = this.statements.row.get(id);
    return row ? this.decodeRow(row) : null;
  }

  async getMany(ids: number[]): Promise<Map<number, PhotoVectors>> {
    this.assertOpen();
    const out = new Map<number, PhotoVectors>();
    for (const id of ids) {
      const row = this.statements.row.get(id);
      if (row) out.set(id, this.decodeRow(row));
    }
    return out;
  }

  async search(query: Float32Array, k: number, vectorFilter?: VectorFilter): Promise<VectorMatch[]> {
    this.assertOpen();
    // The embedded index keeps no payload: the catalog resolves filters to photo ids for it.
    if (isPayloadFilter(vectorFilter)) throw new VectorInputError('the embedded vector index filters by photo ids only, not by payload');
    const filter: IdFilter = vectorFilter;
    const unit = unitVector(query, this.dimensions, 'query vector');
    if (!Number.isInteger(k) || k < 1) throw new VectorInputError(`k must be a positive integer, got ${String(k)}`);
    this.catchUp();
    const size = this.index.size();
    if (size === 0 || filter?.size === 0) return [];
    if (size <= this.options.exactSearchBelow) return this.searchExactResident(unit, k, filter);
    if (!filter) {
      // The graph's own beam (expansionSearch) costs the same whether it returns k or all of it; taking the whole
      // beam and ordering equal scores by id makes ties come out the same after the graph is rebuilt (compaction,
      // recovery from a damaged file) as before.
      const beam = Math.min(size, Math.max(k, this.options.hnsw.expansionSearch));
      return this.matchesOf(this.index.search(unit, beam, 1)).sort(bestFirst).slice(0, k);
    }
    const wanted = Math.min(size, Math.ceil((k * size * OVERSAMPLING) / filter.size));
    if (filter.size <= this.options.filteredExactLimit && filter.size <= 2 * wanted) return this.searchExactFromDisk(unit, k, filter);
    return this.searchOversampled(unit, k, filter, size, wanted);
  }

  async searchMany(queries: Float32Array[], k: number): Promise<VectorMatch[][]> {
    this.assertOpen();
    if (queries.length === 0) return [];
    this.catchUp();
    const size = this.index.size();
    if (size === 0) return queries.map(() => []);
    if (size <= this.options.exactSearchBelow) {
      const results: VectorMatch[][] = [];
      for (const query of queries) results.push(await this.search(query, k));
      return results;
    }
    const units = queries.map((query, q) => unitVector(query, this.dimensions, `query vector ${q}`));
    const batch = this.index.search(units, Math.min(k, size), 0);
    if (queries.length === 1) return [this.matchesOf(batch as unknown as InstanceType<typeof usearch.Matches>)];
    return units.map((_, q) => this.matchesOf((batch as InstanceType<typeof usearch.BatchMatches>).get(q)));
  }

  async *scanGlobals(pageSize = 1000): AsyncIterable<GlobalUpsert[]> {
    this.assertOpen();
    let after = 0;
    for (;;) {
      const rows = this.statements.page.all(after, pageSize);
      if (rows.length === 0) return;
      yield rows.map((row) => ({ id: row.id, vector: decodeHalfFloats(halvesFromBytes(row.global)) }));
      after = rows[rows.length - 1].id;
    }
  }

  async count(): Promise<{ photos: number; withCrops: number }> {
    this.assertOpen();
    return { ...this.statements.counts.get()! };
  }

  async flush(): Promise<void> {
    this.assertOpen();
    this.catchUp();
    if (this.changesSinceSave > 0 || this.savedIndexFiles().length === 0) this.saveIndex({ explicit: true });
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Quitting does not wait for a rebuild: the index is saved as it is (removed slots and all) and compacted next time.
    this.closing = true;
    await this.cancelCompaction();
    await this.flush();
    this.db.close();
    this.closed = true;
  }

  /** Resolves once no background compaction is running (at once when none is). */
  async compacted(): Promise<void> {
    while (this.compaction) await this.compaction.settled;
  }

  // ------------------------------------------------------------------ search paths

  private matchesOf(matches: { keys: BigUint64Array; distances: Float32Array }): VectorMatch[] {
    const out: VectorMatch[] = [];
    for (let i = 0; i < matches.keys.length; i++) out.push({ id: Number(matches.keys[i]), similarity: 1 - matches.distances[i] });
    return out;
  }

  /** Small libraries: one SIMD pass over a resident copy of every vector (exact, and as fast as HNSW here). */
  private searchExactResident(unit: Float32Array, k: number, filter: IdFilter): VectorMatch[] {
    if (!this.exactCache) {
      const ids: number[] = [];
      const vectors: Float32Array[] = [];
      for (let after = 0; ; ) {
        const rows = this.statements.page.all(after, 1000);
        if (rows.length === 0) break;
        for (const row of rows) {
          ids.push(row.id);
          vectors.push(decodeHalfFloats(halvesFromBytes(row.global)));
        }
        after = rows[rows.length - 1].id;
      }
      this.exactCache = { ids, packed: this.pack(vectors) };
    }
    const { ids, packed } = this.exactCache;
    if (!filter) return this.exactTopK(ids, packed, unit, k);
    const allowedIds: number[] = [];
    const allowedVectors: Float32Array[] = [];
    ids.forEach((id, i) => {
      if (filter.has(id)) {
        allowedIds.push(id);
        allowedVectors.push(packed.subarray(i * this.dimensions, (i + 1) * this.dimensions));
      }
    });
    return this.exactTopK(allowedIds, this.pack(allowedVectors), unit, k);
  }

  /** A narrow filter (a folder, a month): reading its vectors beats walking the graph past everything it excludes. */
  private searchExactFromDisk(unit: Float32Array, k: number, filter: ReadonlySet<number>): VectorMatch[] {
    const scored: VectorMatch[] = [];
    for (const row of this.statements.globalsIn.iterate(JSON.stringify([...filter]))) {
      scored.push({ id: row.id, similarity: dotWithHalves(halvesFromBytes(row.global), unit) });
    }
    return scored.sort(bestFirst).slice(0, k);
  }

  /** A broad filter: ask the graph for more than k, scaled by how much the filter excludes, until k survive. */
  private searchOversampled(unit: Float32Array, k: number, filter: ReadonlySet<number>, size: number, initial: number): VectorMatch[] {
    let wanted = initial;
    for (;;) {
      const kept = this.matchesOf(this.index.search(unit, wanted, 1)).filter((match) => filter.has(match.id)).sort(bestFirst);
      if (kept.length >= k || wanted >= size) return kept.slice(0, k);
      wanted = Math.min(size, wanted * 4);
    }
  }

  private exactTopK(ids: number[], packed: Float32Array, unit: Float32Array, k: number): VectorMatch[] {
    if (ids.length === 0) return [];
    const matches = exactSearch(packed, unit, this.dimensions, Math.min(k, ids.length), MetricKind.IP, 1);
    const out: VectorMatch[] = [];
    for (let i = 0; i < matches.keys.length; i++) {
      // exactSearch answers with row numbers; IP distance is 1 − dot for unit vectors.
      out.push({ id: ids[Number(matches.keys[i])], similarity: 1 - matches.distances[i] });
    }
    return out;
  }

  private pack(vectors: Float32Array[]): Float32Array {
    const packed = new Float32Array(vectors.length * this.dimensions);
    vectors.forEach((vector, i) => packed.set(vector, i * this.dimensions));
    return packed;
  }

  private decodeRow(row: VectorRow): PhotoVectors {
    const global = decodeHalfFloats(halvesFromBytes(row.global));
    if (!row.crops) return { global, crops: null };
    const halves = halvesFromBytes(row.crops);
    const crops: Float32Array[] = [];
    for (let c = 0; c < row.crop_count; c++) crops.push(decodeHalfFloats(halves, c * this.dimensions, this.dimensions));
    return { global, crops };
  }

  // ------------------------------------------------------------------ the index and its persistence

  private newIndex(): HnswIndex {
    return newHnswIndex(this.dimensions, this.options.hnsw);
  }

  private addToIndex(ids: number[], packed: Float32Array): void {
    if (ids.length === 0) return;
    this.index.add(BigUint64Array.from(ids, (id) => BigInt(id)), packed, ids.length > 64 ? 0 : 1);
  }

  private removeFromIndex(ids: number[]): void {
    const present = ids.filter((id) => this.index.contains(BigInt(id)));
    if (present.length > 0) this.index.remove(BigUint64Array.from(present, (id) => BigInt(id)));
    this.removedSlots += present.length;
  }

  /**
   * Brings the index up to the change log. Other processes append to the log too; when one of them saved its index
   * and trimmed log entries this process never applied, its saved file (which holds them) is the way forward.
   */
  private catchUp(): void {
    const lastSeq = this.currentSeq();
    if (lastSeq === this.appliedSeq) return;
    const compactedThrough = Number(this.statements.getMeta.get('compacted_through') ?? 0);
    if (compactedThrough > this.appliedSeq) {
      this.loadIndex();
    } else {
      this.changesSinceSave += this.replayLog(this.appliedSeq, lastSeq);
      this.appliedSeq = lastSeq;
    }
    this.exactCache = null;
    const { saveAfterChanges } = this.options;
    // While a rebuild runs, its result is saved when it lands; saving the old graph meanwhile would only stall.
    if (!this.compaction && this.changesSinceSave >= saveAfterChanges && this.changesSinceSave >= this.index.size() * 0.05) {
      this.saveIndex({ explicit: false });
    }
  }

  private currentSeq(): number {
    return (this.statements.lastSeq.get() as number | undefined) ?? 0;
  }

  /** Index files a killed process was writing; a live process's file (another app or CLI run) is left alone. */
  private removeAbandonedTmpFiles(): void {
    for (const name of fs.readdirSync(this.options.dir)) {
      const writer = INDEX_TMP_FILE.exec(name);
      if (writer && !isProcessAlive(Number(writer[1]))) fs.rmSync(path.join(this.options.dir, name), { force: true });
    }
  }

  private savedIndexFiles(): { seq: number; file: string }[] {
    return fs
      .readdirSync(this.options.dir)
      .map((name) => ({ name, match: INDEX_FILE.exec(name) }))
      .filter((entry) => entry.match !== null)
      .map((entry) => ({ seq: Number(entry.match![1]), compact: entry.match![2] !== undefined, file: path.join(this.options.dir, entry.name) }))
      .sort((a, b) => b.seq - a.seq || Number(b.compact) - Number(a.compact));
  }

  /**
   * Opens the newest index file the change log can bring up to date, replays the log onto it, and checks it
   * holds exactly the photos SQLite holds; anything else (no file, a damaged file, a gap) rebuilds from SQLite and
   * says so. A file is only handed to usearch once its integrity record vouches for every byte of it, because
   * usearch aborts the process (uncatchable) on some damaged files.
   */
  private loadIndex(): void {
    const compactedThrough = Number(this.statements.getMeta.get('compacted_through') ?? 0);
    const lastSeq = this.currentSeq();
    const rejected: string[] = [];
    for (const { seq, file } of this.savedIndexFiles()) {
      if (seq < compactedThrough || seq > lastSeq) continue;
      const check = checkIndexFile(file, this.dimensions);
      if (!check.ok) {
        rejected.push(`${path.basename(file)} ${check.reason}`);
        continue;
      }
      const index = this.newIndex();
      try {
        index.load(file);
      } catch (error) {
        rejected.push(`${path.basename(file)} could not be loaded (${(error as Error).message})`);
        continue;
      }
      this.index = index;
      this.removedSlots = check.record.removed;
      const replayed = this.replayLog(seq, lastSeq);
      const stored = this.statements.counts.get()!.photos;
      if (this.index.size() === stored) {
        this.appliedSeq = lastSeq;
        this.changesSinceSave = replayed;
        // A process that closed before its rebuild finished (the CLI after a large `rm`) left it for this one.
        if (check.record.removed > 0 && check.record.present > COMPACT_IN_PLACE_UP_TO && this.compactionPays(check.record)) {
          this.compactInBackground();
        }
        return;
      }
      rejected.push(`${path.basename(file)} disagrees with the stored vectors (${this.index.size()} in the index, ${stored} stored)`);
    }
    const started = performance.now();
    this.rebuildIndex();
    const photos = this.index.size();
    if (rejected.length > 0 || photos > 0) {
      const why = rejected.length > 0 ? rejected.join('; ') : 'no saved search index was found';
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      this.options.onNotice(`The search index in ${this.options.dir} was rebuilt from the ${photos} stored vectors in ${seconds} s: ${why}.`);
    }
  }

  /** Applies the logged changes in (fromSeq, toSeq] to the index, reading each photo's vector as SQLite holds it now. */
  private replayLog(fromSeq: number, toSeq: number): number {
    const changed = new Set(this.statements.changesBetween.all(fromSeq, toSeq).map((change) => change.photo_id));
    if (changed.size === 0) return 0;
    const ids = [...changed];
    this.removeFromIndex(ids);
    const present: number[] = [];
    const vectors: Float32Array[] = [];
    for (const id of ids) {
      const bytes = this.statements.globalOf.get(id);
      if (bytes) {
        present.push(id);
        vectors.push(decodeHalfFloats(halvesFromBytes(bytes)));
      }
    }
    this.addToIndex(present, this.pack(vectors));
    return changed.size;
  }

  private rebuildIndex(): void {
    this.buildFromStoredVectors();
    this.saveIndex({ explicit: true });
  }

  /** A fresh graph (no removed slots) over what SQLite holds, and the log position it reflects, read as one snapshot. */
  private buildFromStoredVectors(): void {
    this.index = this.newIndex();
    this.removedSlots = 0;
    this.db.transaction(() => {
      this.appliedSeq = this.currentSeq();
      let ids: number[] = [];
      let vectors: Float32Array[] = [];
      const addBatch = () => {
        this.addToIndex(ids, this.pack(vectors));
        ids = [];
        vectors = [];
      };
      for (const row of this.statements.allGlobals.iterate()) {
        ids.push(row.id);
        vectors.push(decodeHalfFloats(halvesFromBytes(row.global)));
        if (ids.length === 4096) addBatch();
      }
      addBatch();
    })();
    this.changesSinceSave = 0;
  }

  /**
   * Writes the index under the log position it reflects, atomically (tmp + fsync + rename) and with its integrity
   * record beside it, then trims the log. An index holding removed slots is rebuilt when that is cheap or when they
   * are many: a small one in place before saving, a large one by a worker thread while this graph keeps answering.
   */
  private saveIndex({ explicit }: { explicit: boolean }): void {
    const present = this.index.size();
    if (present > COMPACT_IN_PLACE_UP_TO && this.removedSlots > 0 && this.compactionPays({ present, removed: this.removedSlots })) {
      this.compactInBackground();
      // Unless asked to (flush), the graph is saved when the rebuilt one lands: saving this one now would only stall.
      if (!explicit && this.compaction) return;
    }
    let written = this.writeIndexTmp();
    if (written && written.record.removed > 0 && written.record.present <= COMPACT_IN_PLACE_UP_TO && this.compactionPays(written.record)) {
      fs.rmSync(written.tmpPath, { force: true });
      this.buildFromStoredVectors();
      written = this.writeIndexTmp();
    }
    // A file whose layout this code cannot vouch for is never installed: the log keeps its changes until one can be.
    if (!written) return;
    this.installIndexFile(written.seq, written.tmpPath, written.record, { compacted: false });
    this.changesSinceSave = 0;
  }

  /**
   * Renames a saved index into place and trims the log through it — but never past a running compaction's snapshot,
   * whose graph needs the changes after it replayed. Older files go, and those of the same seq; newer ones too when
   * `compacted` (the graph rebuilt off the main thread, landing after the old one was saved meanwhile): the kept log
   * brings it up to date. Until the rename, whatever was installed before stays loadable, whenever a kill comes.
   */
  private installIndexFile(seq: number, tmpPath: string, record: IndexFileRecord, { compacted }: { compacted: boolean }): void {
    const finalName = `global-${seq}${compacted ? '-compact' : ''}.usearch`;
    const finalPath = path.join(this.options.dir, finalName);
    writeIndexFileRecord(finalPath, record);
    fs.renameSync(tmpPath, finalPath);
    const dirFd = fs.openSync(this.options.dir, 'r');
    fs.fsyncSync(dirFd);
    fs.closeSync(dirFd);
    const trimThrough = this.compaction ? Math.min(seq, this.compaction.fromSeq) : seq;
    this.db.transaction(() => {
      const compactedThrough = Number(this.statements.getMeta.get('compacted_through') ?? 0);
      this.statements.compact.run(trimThrough);
      this.statements.setMeta.run('compacted_through', String(Math.max(compactedThrough, trimThrough)));
    })();
    for (const name of fs.readdirSync(this.options.dir)) {
      const other = INDEX_OR_RECORD_FILE.exec(name);
      if (!other || name === finalName || name === `${finalName}.json`) continue;
      if (Number(other[1]) <= seq || compacted) fs.rmSync(path.join(this.options.dir, name), { force: true });
    }
  }

  private compactInBackground(): void {
    if (this.compaction || this.closing) return;
    const task = startCompaction({
      dbPath: path.join(this.options.dir, 'vectors.sqlite'),
      tmpPath: path.join(this.options.dir, `compaction.usearch.${process.pid}.tmp`),
      dimensions: this.dimensions,
      hnsw: this.options.hnsw,
    });
    const failed = (error: Error) =>
      this.options.onNotice(
        `Compacting the search index in ${this.options.dir} failed (${error.message}); it keeps working with its removed entries and tries again at the next save.`,
      );
    // A result that lands after close() cancelled its task (or after another took its place) is no longer wanted.
    const settled = task.done.then(
      (compacted) => {
        if (this.compaction?.task !== task) return;
        this.compaction = null;
        try {
          this.swapInCompacted(compacted);
        } catch (error) {
          fs.rmSync(compacted.tmpPath, { force: true });
          failed(error as Error);
        }
      },
      (error: Error) => {
        if (this.compaction?.task !== task) return;
        this.compaction = null;
        failed(error);
      },
    );
    this.compaction = { fromSeq: this.appliedSeq, task, settled };
  }

  /**
   * Puts the compacted graph in place of the serving one in one step (no search sees a half-swapped index): loads it,
   * replays the changes made while it was built, and installs its file. When another process trimmed the log past its
   * snapshot, the changes since are gone and the result is dropped.
   */
  private swapInCompacted({ seq, tmpPath, record }: CompactedIndex): void {
    const compactedThrough = Number(this.statements.getMeta.get('compacted_through') ?? 0);
    if (this.closed || !record || record.dimensions !== this.dimensions || compactedThrough > seq) {
      fs.rmSync(tmpPath, { force: true });
      return;
    }
    const index = this.newIndex();
    index.load(tmpPath);
    const lastSeq = this.currentSeq();
    const serving = { index: this.index, removedSlots: this.removedSlots };
    this.index = index;
    this.removedSlots = 0;
    const replayed = this.replayLog(seq, lastSeq);
    const stored = this.statements.counts.get()!.photos;
    const held = this.index.size();
    if (held !== stored) {
      this.index = serving.index;
      this.removedSlots = serving.removedSlots;
      throw new Error(`the compacted index holds ${held} photos, not the ${stored} stored`);
    }
    this.appliedSeq = lastSeq;
    this.exactCache = null;
    this.installIndexFile(seq, tmpPath, record, { compacted: true });
    this.changesSinceSave = replayed;
  }

  private async cancelCompaction(): Promise<void> {
    const running = this.compaction;
    if (!running) return;
    this.compaction = null;
    await running.task.cancel();
  }

  private writeIndexTmp(): { seq: number; tmpPath: string; finalPath: string; record: IndexFileRecord } | null {
    const seq = this.appliedSeq;
    const finalPath = path.join(this.options.dir, `global-${seq}.usearch`);
    const tmpPath = `${finalPath}.${process.pid}.tmp`;
    this.index.save(tmpPath);
    const fd = fs.openSync(tmpPath, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    const record = describeIndexFile(tmpPath);
    if (!record || record.dimensions !== this.dimensions || record.present !== this.index.size()) {
      fs.rmSync(tmpPath, { force: true });
      return null;
    }
    return { seq, tmpPath, finalPath, record };
  }

  private compactionPays(record: Pick<IndexFileRecord, 'present' | 'removed'>): boolean {
    return record.present <= COMPACT_ALWAYS_UP_TO || record.removed > record.present * COMPACT_REMOVED_SHARE;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`the vector store at ${this.options.dir} is closed`);
  }
}

function bestFirst(a: VectorMatch, b: VectorMatch): number {
  return b.similarity - a.similarity || a.id - b.id;
}

function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
