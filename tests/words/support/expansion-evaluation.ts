// The fixture evaluation of query expansion and prompt ensembles: colour photos (exact fixture image-tower vectors),
// the real fixture text tower, and two query sets with human-judged answers — the colour names the model knows,
// and everyday colour words it does not ("crimson", "azure", "ebony") — scored by P@5 and mAP in four modes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RankingSettings, SearchResponse, WordsSettings } from '../../../src-preload/api';
import { openSiglipEmbedder } from '../../../src-main/ml/siglip-embedder';
import { ExpansionSearch } from '../../../src-main/search/expansion-search';
import { readTokenizerWords } from '../../../src-main/search/expansion-tokenizer';
import { DEFAULT_RANKING } from '../../../src-main/search/ranking';
import { SearchService } from '../../../src-main/search/search-service';
import { VocabularyIndex } from '../../../src-main/search/suggestions-vocabulary';
import { openEmbeddedVectorStore } from '../../../src-main/store/vectors/embedded-vector-store';
import { FIXTURE_MODEL_ID } from '../../fixtures/generate-models';
import { COLOURS, embedGrid, paint, uniform, type Colour } from '../../search/support/colour-photos';
import { InMemoryCatalog, photoRow } from '../../search/support/in-memory-catalog';

/** Everyday words for colours, with the colour a person means by each. */
export const COLOUR_WORD_QUERIES: Record<string, Colour> = {
  crimson: 'red',
  scarlet: 'red',
  ruby: 'red',
  azure: 'blue',
  navy: 'blue',
  emerald: 'green',
  olive: 'green',
  lemon: 'yellow',
  golden: 'yellow',
  amber: 'yellow',
  violet: 'purple',
  lilac: 'purple',
  ivory: 'white',
  snowy: 'white',
  ebony: 'black',
  chocolate: 'brown',
  tan: 'brown',
  tangerine: 'orange',
  coral: 'pink',
  silver: 'gray',
};

export interface ModeScores {
  precisionAt5: number;
  meanAveragePrecision: number;
}

export interface ExpansionEvaluation {
  photos: number;
  queries: { colourNames: number; colourWords: number };
  /** Per query set, per mode: plain, expansion, prompt ensemble, both. */
  colourNames: Record<Mode, ModeScores>;
  colourWords: Record<Mode, ModeScores>;
}

type Mode = 'plain' | 'expanded' | 'promptEnsemble' | 'expandedAndEnsemble';
const MODES: Record<Mode, { expand: boolean; promptEnsemble: boolean }> = {
  plain: { expand: false, promptEnsemble: false },
  expanded: { expand: true, promptEnsemble: false },
  promptEnsemble: { expand: false, promptEnsemble: true },
  expandedAndEnsemble: { expand: true, promptEnsemble: true },
};

/** Four photos per colour — three mostly that colour, one with a quarter of it — and nothing else relevant. */
function library(): Array<{ id: number; colour: Colour; grid: ReturnType<typeof uniform> }> {
  const photos: Array<{ id: number; colour: Colour; grid: ReturnType<typeof uniform> }> = [];
  let id = 1;
  COLOURS.forEach((colour, i) => {
    const other = COLOURS[(i + 3) % COLOURS.length]!;
    photos.push({ id: id++, colour, grid: uniform(colour) });
    photos.push({ id: id++, colour, grid: paint(uniform(colour), other, [[0, 0], [0, 1]]) });
    photos.push({ id: id++, colour, grid: paint(uniform(colour), other, [[3, 3], [2, 3], [3, 2]]) });
    photos.push({ id: id++, colour: other, grid: paint(uniform(other), colour, [[0, 0], [0, 1], [1, 0], [1, 1]]) });
  });
  return photos;
}

function scores(response: SearchResponse, relevant: Set<number>): ModeScores {
  const ids = response.hits.map((hit) => hit.photo.id);
  const top5 = ids.slice(0, 5).filter((id) => relevant.has(id)).length / 5;
  let found = 0;
  let sum = 0;
  ids.forEach((id, rank) => {
    if (relevant.has(id)) sum += ++found / (rank + 1);
  });
  return { precisionAt5: top5, meanAveragePrecision: relevant.size ? sum / relevant.size : 0 };
}

function mean(list: ModeScores[]): ModeScores {
  const avg = (pick: (s: ModeScores) => number) => Math.round((list.reduce((n, s) => n + pick(s), 0) / list.length) * 1000) / 1000;
  return { precisionAt5: avg((s) => s.precisionAt5), meanAveragePrecision: avg((s) => s.meanAveragePrecision) };
}

export async function evaluateExpansion(modelsDir: string): Promise<ExpansionEvaluation> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-expansion-eval-'));
  const embedder = await openSiglipEmbedder({ modelsDir, modelId: FIXTURE_MODEL_ID, offline: true, device: 'cpu', workers: 1, threadsPerWorker: 1 });
  const vectors = await openEmbeddedVectorStore({ dir: path.join(scratch, 'vectors'), dimensions: embedder.dims });
  try {
    const photos = library();
    const embedded = photos.map((photo) => ({ photo, vectors: embedGrid(photo.grid) }));
    await vectors.upsertGlobals(embedded.map(({ photo, vectors: v }) => ({ id: photo.id, vector: v.global })));
    await vectors.upsertCrops(embedded.map(({ photo, vectors: v }) => ({ id: photo.id, crops: v.crops })));
    const ranking: RankingSettings = { ...DEFAULT_RANKING, cutoff: 0 };
    const service = new SearchService({
      vectors,
      catalog: new InMemoryCatalog(photos.map((photo) => photoRow(photo.id))),
      textEmbedder: embedder,
      settings: () => ({ ranking, nearDuplicateThreshold: 0.95 }),
    });
    const tokenizer = await readTokenizerWords(path.join(modelsDir, ...FIXTURE_MODEL_ID.split('/'), 'tokenizer.json'));
    const words: WordsSettings = { expand: true, correctSpelling: false, rememberSearches: false };
    const searchers = Object.fromEntries(
      Object.entries(MODES).map(([mode, { promptEnsemble }]) => [
        mode,
        new ExpansionSearch({
          service: async () => service,
          vocabulary: async () => new VocabularyIndex([]),
          tokenizerWords: async () => tokenizer,
          settings: () => ({ words, ranking }),
          remember: async () => undefined,
          promptEnsemble,
        }),
      ]),
    ) as Record<Mode, ExpansionSearch>;
    const relevantTo = (colour: Colour) => new Set(photos.filter((photo) => photo.colour === colour).map((photo) => photo.id));
    const run = async (queries: Array<[string, Colour]>) => {
      const out = {} as Record<Mode, ModeScores>;
      for (const mode of Object.keys(MODES) as Mode[]) {
        const perQuery: ModeScores[] = [];
        for (const [query, colour] of queries) {
          const response = await searchers[mode].search({ query, limit: photos.length, expand: MODES[mode].expand });
          perQuery.push(scores(response, relevantTo(colour)));
        }
        out[mode] = mean(perQuery);
      }
      return out;
    };
    const colourNames = await run(COLOURS.map((colour) => [colour, colour]));
    const colourWords = await run(Object.entries(COLOUR_WORD_QUERIES));
    return {
      photos: photos.length,
      queries: { colourNames: COLOURS.length, colourWords: Object.keys(COLOUR_WORD_QUERIES).length },
      colourNames,
      colourWords,
    };
  } finally {
    await vectors.close();
    await embedder.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
