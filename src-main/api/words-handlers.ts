// The Api operations about a query's words — spell check, suggestions as you type, search history — and the
// search that uses them (expansion, spelling recovery), wired over the catalog, the model runtime and the settings.
import path from 'node:path';
import type { GlimpseEvent, QueryExpansion, SearchRequest, SearchResponse } from '../../src-preload/api';
import type { GlimpseConfig } from '../config';
import { ExpansionSearch, ONE_SHOT_SPELLING_WAITS, SPELLING_WAITS } from '../search/expansion-search';
import { readTokenizerWords } from '../search/expansion-tokenizer';
import { SpellChecker } from '../search/spelling';
import { WorkerDictionary } from '../search/spelling-dictionary';
import { DEFAULT_SUGGESTION_LIMIT, suggest } from '../search/suggestions';
import { LiveVocabulary, type LibraryVocabulary } from '../search/suggestions-vocabulary';
import type { CatalogDatabase } from '../store/database';
import type { TextVocabulary } from '../store/text-index';
import { readLibraryTerms } from '../store/library-vocabulary';
import { SearchHistoryStore } from '../store/search-history';
import type { Handlers } from './dispatch';
import type { ModelRuntime } from './model-runtime';

type WordsOperation = 'spell.check' | 'search.suggest' | 'history.list' | 'history.pin' | 'history.remove' | 'history.clear';

export interface WordsParts {
  handlers: Pick<Handlers, WordsOperation>;
  search(request: SearchRequest): Promise<SearchResponse>;
  /** The related words deep search's text side uses for a query: only words the library's text has. */
  textExpansions(request: Pick<SearchRequest, 'query' | 'expand' | 'withoutExpansions'>): Promise<QueryExpansion[]>;
  /** Records a search the person submitted elsewhere (deep search), unless they turned remembering off. */
  rememberSearch(query: string): Promise<void>;
  close(): Promise<void>;
}

export interface WordsOptions {
  database: CatalogDatabase;
  runtime: ModelRuntime;
  config: () => GlimpseConfig;
  /** Engine events, so the vocabulary is rebuilt after the library changes. */
  subscribe: (listener: (event: GlimpseEvent) => void) => void;
  /** Load the spelling dictionary now (long-lived processes) rather than on the first query. */
  preloadDictionary: boolean;
  /** The full-text index's words (keywords, titles, text in photos, captions) with their photo counts. */
  textVocabulary?: TextVocabulary;
  /** Where a search that had to go on without spelling correction says why. */
  log?: (line: string) => void;
}

/** The text index's terms as one more vocabulary source: words written about or printed in photos. */
function textIndexSource(vocabulary: TextVocabulary): Pick<LibraryVocabulary, 'all'> {
  return {
    all: async () => (await vocabulary.allTerms()).map((t) => ({ term: t.term, count: t.count, source: 'caption' as const })),
  };
}

export function openWords(options: WordsOptions): WordsParts {
  const { database, runtime, config } = options;
  const vocabulary = new LiveVocabulary([
    { all: () => readLibraryTerms(database) },
    ...(options.textVocabulary ? [textIndexSource(options.textVocabulary)] : []),
  ]);
  options.subscribe((event) => {
    // A name someone just gave is looked for at once; imports change the vocabulary too often to rebuild for each.
    if (event.type === 'people' && event.decision) vocabulary.refreshNow();
    else if (event.type === 'library' || event.type === 'folders' || event.type === 'people') vocabulary.invalidate();
  });
  const dictionary = new WorkerDictionary();
  if (options.preloadDictionary) dictionary.load().catch(() => undefined);
  const spelling = new SpellChecker(dictionary, () => vocabulary.index());
  const history = new SearchHistoryStore(database);
  let recent: ReturnType<SearchHistoryStore['list']> | null = null;
  const historyList = () => (recent ??= history.list().catch((error: unknown) => ((recent = null), Promise.reject(error))));
  const changed = async () => {
    recent = null;
    return historyList();
  };

  const tokenizers = new Map<string, Promise<Set<string>>>();
  const tokenizerWords = async () => {
    const model = config().model;
    let words = tokenizers.get(model);
    if (!words) {
      words = runtime.models().then((models) => {
        const dir = models.find((m) => m.active && m.present)?.dir;
        // Without the tokenizer only library words can widen a query.
        return dir ? readTokenizerWords(path.join(dir, 'tokenizer.json')).catch(() => new Set<string>()) : new Set<string>();
      });
      tokenizers.set(model, words);
    }
    return words;
  };

  const expansionSearch = new ExpansionSearch({
    service: async () => (await runtime.ready()).search,
    spelling,
    vocabulary: () => vocabulary.index(),
    tokenizerWords,
    settings: () => config(),
    remember: async (query) => {
      const recorded = await history.record(query);
      recent = null;
      return async () => {
        await history.withdraw(recorded);
        recent = null;
      };
    },
    // Only a process that preloads the dictionary has later searches (and a window) to bring a late correction to.
    spellingWaits: options.preloadDictionary ? SPELLING_WAITS : ONE_SHOT_SPELLING_WAITS,
    ...(options.log ? { log: options.log } : {}),
  });

  return {
    search: (request) => expansionSearch.search(request),
    textExpansions: (request) => expansionSearch.expansionsFor(request, 'library'),
    rememberSearch: async (query) => {
      if (!config().words.rememberSearches) return;
      await history.record(query);
      recent = null;
    },
    handlers: {
      'spell.check': ({ query }) => spelling.check(query),
      'search.suggest': async ({ prefix, limit }) => {
        const [index, entries] = await Promise.all([vocabulary.index(), config().words.rememberSearches ? historyList() : Promise.resolve([])]);
        return { prefix, suggestions: suggest(prefix, limit ?? DEFAULT_SUGGESTION_LIMIT, index, entries) };
      },
      'history.list': () => historyList(),
      'history.pin': async ({ query, pinned }) => {
        await history.pin(query.trim().replace(/\s+/g, ' '), pinned);
        return changed();
      },
      'history.remove': async ({ query }) => {
        await history.remove(query);
        return changed();
      },
      'history.clear': async ({ includingPinned }) => {
        await history.clear(includingPinned ?? false);
        return changed();
      },
    },
    close: () => dictionary.close(),
  };
}
