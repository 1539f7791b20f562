// A search that understands its words: the query widened by its WordNet relatives in embedding space, and a query
// that finds nothing retried with its spelling corrected ("showing results for sunset — search instead for sunst"),
// or, when it finds something, a "did you mean" offered beside its results.
import type { QueryExpansion, RankingSettings, SearchRequest, SearchResponse, SpellCheckResult, WordsSettings } from '../../src-preload/api';
import { expandQuery, PROMPT_TEMPLATES, SHORT_QUERY_WORDS, weightedQueryVector } from './expansion';
import { resolveRanking } from './ranking';
import type { SearchService } from './search-service';
import type { SpellChecker } from './spelling';
import type { VocabularyIndex } from './suggestions-vocabulary';

/**
 * Prompt ensembling ("a photo of {q}", …) is implemented and measured (bench/words.ts, tests/words) but off: on the
 * fixture model it changes nothing, and no real model could be measured here, so it is not known to help.
 */
export const PROMPT_ENSEMBLE_DEFAULT = false;

/**
 * How long a search waits for its spelling check once the search itself is done. A loaded dictionary answers in
 * under a millisecond, beside the search, so these bind only while it is still loading (3.4 s alone at start,
 * NOTES.md; tens of seconds under load) or when its worker hangs.
 * - withResultsMs: results in hand are not held for a "did you mean" longer than a glance; it is offered next time.
 * - withoutResultsMs: a typo that found nothing is only answered by its correction, so the load is worth waiting
 *   for — the 3.4 s load plus room for a busy machine — but not without end: past it the answer is "nothing" with
 *   `spellingPending`, and the window asks again once the dictionary is ready.
 */
export const SPELLING_WAITS = { withResultsMs: 200, withoutResultsMs: 8_000 };

/**
 * A one-shot command (the CLI) starts the dictionary with its only search and has no later search nor window to
 * ask again, so it waits for the correction either way: the load measured 15 s at load average 23 here; past a
 * minute the dictionary is taken as stuck and the answer comes without correction.
 */
export const ONE_SHOT_SPELLING_WAITS = { withResultsMs: 60_000, withoutResultsMs: 60_000 };

export interface ExpansionSearchOptions {
  service: () => Promise<SearchService>;
  /** Absent only where ranking alone is measured (the fixture evaluation): then nothing is corrected. */
  spelling?: SpellChecker;
  vocabulary: () => Promise<VocabularyIndex>;
  /** Whole words the active model's tokenizer knows (see expansion-tokenizer.ts). */
  tokenizerWords: () => Promise<ReadonlySet<string>>;
  settings: () => { words: WordsSettings; ranking: RankingSettings };
  /** Records a submitted search in the history; resolves to what takes that record back, where it can be. */
  remember: (query: string) => Promise<(() => Promise<void>) | undefined>;
  promptEnsemble?: boolean;
  spellingWaits?: typeof SPELLING_WAITS;
  /** Where a spelling failure is reported (the search goes on without correction); stderr by default. */
  log?: (line: string) => void;
}

/** What a bounded wait on the spelling check got when the check did not answer in time. */
const STILL_CHECKING = Symbol('still checking');

export class ExpansionSearch {
  /** The last spelling failure reported, so a dead dictionary is said once rather than on every search. */
  private reportedFailure: string | null = null;
  /**
   * The latest search remembered while its spelling was still to come. Its query is not yet known to be the one the
   * person searched: the window asks again once the dictionary has loaded, and that answer (corrected or not) is
   * remembered in its place, so the history holds one search, not the typo beside its correction.
   */
  private awaitingSpelling: { query: string; withdraw: () => Promise<void> } | null = null;

  constructor(private readonly options: ExpansionSearchOptions) {}

  async search(request: SearchRequest): Promise<SearchResponse> {
    const started = performance.now();
    const settings = this.options.settings().words;
    const query = request.query.trim().replace(/\s+/g, ' ');
    // Another query searched meanwhile: the window will not ask again for the one awaiting its spelling.
    if (this.awaitingSpelling?.query !== query) this.awaitingSpelling = null;
    const spellChecker = this.options.spelling;
    const correct = Boolean(spellChecker) && (request.correctSpelling ?? settings.correctSpelling) && query.length > 0;
    const checking = correct && spellChecker ? this.checkSpelling(spellChecker, query) : null;
    const first = await this.searchOnce({ ...request, query });
    // "Nothing" is judged at the person's own cut-off: the window asks with none, to let its slider reveal more.
    const cutoff = this.options.settings().ranking.cutoff;
    const found = (answer: SearchResponse) => answer.hits.some((hit) => hit.calibrated >= cutoff);
    const foundFirst = found(first);
    const waits = this.options.spellingWaits ?? SPELLING_WAITS;
    const spelling = checking ? await within(checking, foundFirst ? waits.withResultsMs : waits.withoutResultsMs) : null;
    let response = first;
    if (spelling === STILL_CHECKING) {
      if (!foundFirst) response = { ...first, spellingPending: true };
    } else if (spelling && spelling.corrected !== query) {
      const applied = foundFirst ? null : await this.searchOnce({ ...request, query: spelling.corrected });
      response = applied && found(applied) ? applied : first;
      response = { ...response, spelling: notice(query, spelling, response === applied) };
    }
    if (request.remember && settings.rememberSearches) await this.remember(query, response);
    return { ...response, tookMs: performance.now() - started };
  }

  private async remember(query: string, response: SearchResponse): Promise<void> {
    const earlier = this.awaitingSpelling;
    this.awaitingSpelling = null;
    if (earlier?.query === query) await earlier.withdraw();
    const withdraw = await this.options.remember(response.spelling?.applied ? response.query : query);
    if (response.spellingPending && withdraw) this.awaitingSpelling = { query, withdraw };
  }

  /** The query's spelling check, or null when the dictionary failed: a search goes on without correction. */
  private async checkSpelling(checker: SpellChecker, query: string): Promise<SpellCheckResult | null> {
    try {
      const result = await checker.check(query);
      this.reportedFailure = null;
      return result;
    } catch (error) {
      const cause = error instanceof Error ? error.message : String(error);
      if (cause !== this.reportedFailure) {
        this.reportedFailure = cause;
        (this.options.log ?? ((line: string) => process.stderr.write(`${line}\n`)))(`glimpse: searching without spelling correction: ${cause}`);
      }
      return null;
    }
  }

  /**
   * The expansions a query would use under `request`'s switches (what the chips show). `knownTo` 'library': only
   * words some photo's text has, for the text index, where a word no photo uses can find nothing.
   */
  async expansionsFor(
    request: Pick<SearchRequest, 'query' | 'expand' | 'withoutExpansions'>,
    knownTo: 'library' | 'library or model' = 'library or model',
  ): Promise<QueryExpansion[]> {
    if (!(request.expand ?? this.options.settings().words.expand)) return [];
    const [vocabulary, tokenizer] = await Promise.all([this.options.vocabulary(), knownTo === 'library' ? new Set<string>() : this.options.tokenizerWords()]);
    const isKnown = (term: string) =>
      vocabulary.get(term) !== undefined || term.split(' ').every((word) => tokenizer.has(word) || (knownTo === 'library' && vocabulary.get(word) !== undefined));
    return expandQuery(request.query, { isKnown, without: request.withoutExpansions ?? [] });
  }

  private async searchOnce(request: SearchRequest): Promise<SearchResponse> {
    const service = await this.options.service();
    const expansions = await this.expansionsFor(request);
    const prompts = (this.options.promptEnsemble ?? PROMPT_ENSEMBLE_DEFAULT) && request.query.split(' ').length <= SHORT_QUERY_WORDS
      ? PROMPT_TEMPLATES.map((template) => template.replace('{}', request.query))
      : [];
    const texts = [request.query, ...prompts, ...expansions.map((expansion) => expansion.term)];
    const vectors = await service.embedTexts(texts);
    // The typed query and its prompt variants share weight 1; each expansion adds its own weight.
    const parts = vectors.map((vector, i) => ({
      vector,
      weight: i <= prompts.length ? 1 / (prompts.length + 1) : expansions[i - prompts.length - 1]!.weight,
    }));
    const queryVector = weightedQueryVector(parts);
    const used: QueryExpansion[] = [
      ...prompts.map((prompt) => ({ word: request.query, term: prompt, relation: 'prompt' as const, weight: 1 / (prompts.length + 1) })),
      ...expansions,
    ];
    if (!queryVector) return { ...this.nothingFound(request, service), expansions: used };
    return { ...(await service.search(request, { queryVector })), expansions: used };
  }

  /** What a query the model cannot place at all finds: nothing, stated as such rather than as a failure. */
  private nothingFound(request: SearchRequest, service: SearchService): SearchResponse {
    const ranking = resolveRanking(request.ranking, this.options.settings().ranking);
    return { query: request.query, hits: [], candidates: 0, ranking, model: service.model, tookMs: 0 };
  }
}

/** `promise`'s value, or STILL_CHECKING once `ms` have passed without one. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof STILL_CHECKING> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof STILL_CHECKING>((resolve) => (timer = setTimeout(() => resolve(STILL_CHECKING), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function notice(original: string, spelling: SpellCheckResult, applied: boolean) {
  return { original, corrected: spelling.corrected, applied, changed: spelling.changed };
}
