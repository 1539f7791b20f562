// All of Glimpse's settings in one validated object: defaults, then the settings file in the data dir, then
// GLIMPSE_* environment variables, then explicit overrides (CLI flags). Nothing else reads the environment.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { isModelId } from './ml/model-store';

export const DEFAULT_MODEL = 'Xenova/siglip-base-patch16-224';
export const SETTINGS_FILE = 'settings.json';

/** A model id names a folder under the models dir; one that could point outside it is refused where it is written. */
export const modelIdSchema = z
  .string()
  .max(200)
  .refine(isModelId, 'expected a model id of the form owner/name, e.g. Xenova/siglip-base-patch16-224');

/** What a person may change, with its limits and without defaults: a change records only what was changed. */
export const rankingChangesSchema = z
  .object({
    globalWeight: z.number().min(0).max(1),
    localWeight: z.number().min(0).max(1),
    temperature: z.number().positive().max(100),
    cutoff: z.number().min(0).max(1),
  })
  .partial()
  .strict();

export const indexingChangesSchema = z
  .object({
    concurrency: z.number().int().min(1).max(64),
    workers: z.number().int().min(1).max(16),
    threadsPerWorker: z.number().int().min(1).max(64),
    paused: z.boolean(),
  })
  .partial()
  .strict();

export const wordsChangesSchema = z
  .object({ expand: z.boolean(), correctSpelling: z.boolean(), rememberSearches: z.boolean() })
  .partial()
  .strict();
const words = wordsChangesSchema.shape;
const wordsSchema = z.object({
  expand: words.expand.unwrap().default(true),
  correctSpelling: words.correctSpelling.unwrap().default(true),
  rememberSearches: words.rememberSearches.unwrap().default(true),
});

const ranking = rankingChangesSchema.shape;
const rankingSchema = z.object({
  globalWeight: ranking.globalWeight.unwrap().default(0.7),
  localWeight: ranking.localWeight.unwrap().default(0.3),
  temperature: ranking.temperature.unwrap().default(1),
  cutoff: ranking.cutoff.unwrap().default(0.01),
});

const indexing = indexingChangesSchema.shape;
const indexingSchema = z.object({
  /** Photos in flight at once: two per core keeps the cores busy while others wait on the disk (measured: +14% at 2 cores). */
  concurrency: indexing.concurrency.unwrap().default(Math.max(2, Math.min(8, os.cpus().length * 2))),
  workers: indexing.workers.unwrap().default(1),
  threadsPerWorker: indexing.threadsPerWorker.unwrap().default(Math.max(1, Math.min(4, os.cpus().length))),
  paused: indexing.paused.unwrap().default(false),
});

/** The captioner (a VLM describing each photo): off until a person turns it on, since it costs seconds per photo on a CPU. */
export const DEFAULT_CAPTION_MODEL = 'HuggingFaceTB/SmolVLM-256M-Instruct';
export const DEFAULT_CAPTION_PROMPT = 'Describe this photo in one sentence.';
export const captionChangesSchema = z
  .object({
    enabled: z.boolean(),
    model: modelIdSchema,
    prompt: z.string().trim().min(1, 'the prompt is empty').max(500, 'the prompt is longer than 500 characters'),
    maxNewTokens: z.number().int().min(1).max(256),
    /** SmolVLM's image splitting: up to ~1,088 image tokens instead of 64, for detail at many times the cost. */
    splitImages: z.boolean(),
    /** onnxruntime intra-op threads of the one captioner worker: its throttle, so captioning leaves cores for the rest. */
    threads: z.number().int().min(1).max(64),
  })
  .partial()
  .strict();
const captions = captionChangesSchema.shape;
const captionsSchema = z.object({
  enabled: captions.enabled.unwrap().default(false),
  model: captions.model.unwrap().default(DEFAULT_CAPTION_MODEL),
  prompt: captions.prompt.unwrap().default(DEFAULT_CAPTION_PROMPT),
  maxNewTokens: captions.maxNewTokens.unwrap().default(48),
  splitImages: captions.splitImages.unwrap().default(false),
  threads: captions.threads.unwrap().default(Math.max(1, Math.floor(os.cpus().length / 2))),
  /** The captioner's worker is stopped after this long without work, giving its memory back. */
  idleReleaseMs: z.number().int().min(0).default(60_000),
});
export const ocrChangesSchema = z.object({ enabled: z.boolean() }).strict();
/** Reading text in photos (a pass-2 stage, ~0.3–0.6 s per photo on a CPU); on unless switched off. */
const ocrSchema = z.object({ enabled: z.boolean().default(true) });
export const facesChangesSchema = z.object({ enabled: z.boolean() }).partial().strict();
const facesSchema = z.object({
  /** Face detection and people at import (Human on WASM, in worker threads); off skips the stage entirely. */
  enabled: facesChangesSchema.shape.enabled.unwrap().default(true),
  /** Face worker threads; each holds one Human instance (~200 MB) while there is work. */
  workers: z.number().int().min(1).max(8).default(Math.max(1, Math.min(2, os.cpus().length))),
});

const nearDuplicateThresholdSchema = z.number().min(0.5).max(1);
const deviceSchema = z.enum(['auto', 'cpu', 'cuda']);

const thumbnailSchema = z.object({
  gridSize: z.number().int().min(64).max(1024).default(360),
  /** The viewer's picture and the embedding input; 1280 px encodes ~35% faster than 1600 (WebP cost grows with pixels). */
  viewSize: z.number().int().min(512).max(4096).default(1280),
  quality: z.number().int().min(30).max(100).default(80),
});

export const configSchema = z.object({
  dataDir: z.string().min(1),
  modelsDir: z.string().min(1),
  databaseUrl: z.string().nullable().default(null),
  qdrantUrl: z.string().nullable().default(null),
  /** Sent as Qdrant's `api-key` header (GLIMPSE_QDRANT_API_KEY); never part of the URL. */
  qdrantApiKey: z.string().nullable().default(null),
  /** How long one Qdrant request may go unanswered before it counts as the server being away (GLIMPSE_QDRANT_TIMEOUT_MS). */
  qdrantTimeoutMs: z.number().int().min(100).max(3_600_000).default(10_000),
  /** How a new Qdrant collection is made (an existing one is used as it is). */
  qdrantCollection: z
    .object({
      shards: z.number().int().min(1).max(1000).default(1),
      replicas: z.number().int().min(1).max(100).default(1),
      quantization: z.enum(['int8', 'none']).default('int8'),
      hnswM: z.number().int().min(4).max(128).default(16),
      /** Build-time beam of the HNSW graph: higher is a better graph, slower to build. */
      hnswEfConstruct: z.number().int().min(4).max(1000).default(128),
    })
    .default({ shards: 1, replicas: 1, quantization: 'int8', hnswM: 16, hnswEfConstruct: 128 }),
  offline: z.boolean().default(false),
  /** Where models are downloaded from: the Hugging Face hub, or a mirror (HF_ENDPOINT, as the hub's own tools read it). */
  hubUrl: z.string().url().default('https://huggingface.co'),
  model: modelIdSchema.default(DEFAULT_MODEL),
  device: deviceSchema.default('auto'),
  /** Whether import runs the SigLIP stages; off only for tools that measure the pipeline without a model. */
  embeddings: z.boolean().default(true),
  indexing: indexingSchema.default(indexingSchema.parse({})),
  ranking: rankingSchema.default(rankingSchema.parse({})),
  nearDuplicateThreshold: nearDuplicateThresholdSchema.default(0.95),
  captions: captionsSchema.default(captionsSchema.parse({})),
  ocr: ocrSchema.default(ocrSchema.parse({})),
  words: wordsSchema.default(wordsSchema.parse({})),
  thumbnails: thumbnailSchema.default(thumbnailSchema.parse({})),
  faces: facesSchema.default(facesSchema.parse({})),
  /** Images claiming more pixels than this are refused before decoding (decompression bombs). */
  maxPixels: z.number().int().positive().default(200_000_000),
  /** A better-sqlite3 build for another runtime (Electron's ABI), used instead of the one in node_modules. */
  sqliteNativeBinding: z.string().nullable().default(null),
  /** PostgreSQL connections this process may hold (GLIMPSE_DATABASE_POOL_SIZE). */
  databasePoolSize: z.number().int().min(1).max(100).default(8),
  /** How long a pooled PostgreSQL connection may sit unused before it is closed (GLIMPSE_DATABASE_IDLE_TIMEOUT_MS). */
  databaseIdleTimeoutMs: z.number().int().min(1_000).max(86_400_000).default(30_000),
  /** Longest a single catalog statement may run before PostgreSQL cancels it; 0 is no limit (GLIMPSE_DATABASE_STATEMENT_TIMEOUT_MS). */
  databaseStatementTimeoutMs: z.number().int().min(0).max(86_400_000).default(0),
  /** How long a claim on queued work holds without renewal; another indexer on the same PostgreSQL takes it over after. */
  workLeaseMs: z.number().int().min(200).max(3_600_000).default(60_000),
  /** How often an idle indexer looks for work nobody announced (missed notifications, leases of crashed processes). */
  workPollMs: z.number().int().min(100).max(3_600_000).default(5_000),
  /** How long a file must stop growing before the watcher imports it. */
  writeSettleMs: z.number().int().min(0).default(1000),
});

export type GlimpseConfig = z.infer<typeof configSchema>;

/** The keys a person may change from the Settings view or `settings.update`; persisted in the settings file. */
export const userSettingsSchema = z
  .object({
    model: modelIdSchema,
    ranking: rankingChangesSchema,
    indexing: indexingChangesSchema,
    nearDuplicateThreshold: nearDuplicateThresholdSchema,
    device: deviceSchema,
    captions: captionChangesSchema,
    ocr: ocrChangesSchema,
    words: wordsChangesSchema,
    faces: facesChangesSchema,
  })
  .partial()
  .strict();

export type UserSettings = z.infer<typeof userSettingsSchema>;

/** Where Electron's `app.getPath('userData')` points for an app named Glimpse, so the CLI and the window share one library. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Glimpse');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Glimpse');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Glimpse');
}

export interface ConfigSources {
  env?: NodeJS.ProcessEnv;
  /** Values that win over everything (command-line flags). */
  overrides?: Partial<GlimpseConfig> & { dataDir?: string };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function parseBoolean(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(`${name}=${value} is not a boolean: use 1/0, true/false, yes/no or on/off`);
}

function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (env.GLIMPSE_MODELS_DIR) out.modelsDir = path.resolve(env.GLIMPSE_MODELS_DIR);
  if (env.GLIMPSE_DATABASE_URL) out.databaseUrl = env.GLIMPSE_DATABASE_URL;
  if (env.GLIMPSE_QDRANT_URL) out.qdrantUrl = env.GLIMPSE_QDRANT_URL;
  if (env.GLIMPSE_QDRANT_API_KEY) out.qdrantApiKey = env.GLIMPSE_QDRANT_API_KEY;
  if (env.GLIMPSE_QDRANT_TIMEOUT_MS) out.qdrantTimeoutMs = Number(env.GLIMPSE_QDRANT_TIMEOUT_MS);
  const collection: Record<string, unknown> = {};
  if (env.GLIMPSE_QDRANT_SHARDS) collection.shards = Number(env.GLIMPSE_QDRANT_SHARDS);
  if (env.GLIMPSE_QDRANT_REPLICAS) collection.replicas = Number(env.GLIMPSE_QDRANT_REPLICAS);
  if (env.GLIMPSE_QDRANT_QUANTIZATION) collection.quantization = env.GLIMPSE_QDRANT_QUANTIZATION;
  if (env.GLIMPSE_QDRANT_HNSW_M) collection.hnswM = Number(env.GLIMPSE_QDRANT_HNSW_M);
  if (env.GLIMPSE_QDRANT_HNSW_EF_CONSTRUCT) collection.hnswEfConstruct = Number(env.GLIMPSE_QDRANT_HNSW_EF_CONSTRUCT);
  if (Object.keys(collection).length > 0) out.qdrantCollection = collection;
  if (env.GLIMPSE_DATABASE_POOL_SIZE) out.databasePoolSize = Number(env.GLIMPSE_DATABASE_POOL_SIZE);
  if (env.GLIMPSE_DATABASE_IDLE_TIMEOUT_MS) out.databaseIdleTimeoutMs = Number(env.GLIMPSE_DATABASE_IDLE_TIMEOUT_MS);
  if (env.GLIMPSE_DATABASE_STATEMENT_TIMEOUT_MS) out.databaseStatementTimeoutMs = Number(env.GLIMPSE_DATABASE_STATEMENT_TIMEOUT_MS);
  if (env.GLIMPSE_WORK_LEASE_MS) out.workLeaseMs = Number(env.GLIMPSE_WORK_LEASE_MS);
  if (env.GLIMPSE_WORK_POLL_MS) out.workPollMs = Number(env.GLIMPSE_WORK_POLL_MS);
  const offline = parseBoolean('GLIMPSE_OFFLINE', env.GLIMPSE_OFFLINE);
  if (offline !== undefined) out.offline = offline;
  if (env.GLIMPSE_MODEL) out.model = env.GLIMPSE_MODEL;
  if (env.GLIMPSE_CAPTION_MODEL) out.captions = { model: env.GLIMPSE_CAPTION_MODEL };
  if (env.HF_ENDPOINT) out.hubUrl = env.HF_ENDPOINT;
  if (env.GLIMPSE_DEVICE) out.device = env.GLIMPSE_DEVICE;
  const ocr = parseBoolean('GLIMPSE_OCR', env.GLIMPSE_OCR);
  if (ocr !== undefined) out.ocr = { enabled: ocr };
  if (env.GLIMPSE_SQLITE_BINDING) out.sqliteNativeBinding = path.resolve(env.GLIMPSE_SQLITE_BINDING);
  return out;
}

export function readUserSettings(dataDir: string): UserSettings {
  const file = path.join(dataDir, SETTINGS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`Cannot read settings file ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Settings file ${file} is not valid JSON (${(error as Error).message}); fix or delete it`);
  }
  const parsed = userSettingsSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(`Settings file ${file} is invalid: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
  }
  return parsed.data;
}

/** Writes the user-changeable settings atomically, so a crash mid-write never leaves a half file. */
export function writeUserSettings(dataDir: string, settings: UserSettings): void {
  const file = path.join(dataDir, SETTINGS_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(userSettingsSchema.parse(settings), null, 2)}\n`);
  fs.renameSync(tmp, file);
}

function mergeDeep(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? mergeDeep(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

export function loadConfig(sources: ConfigSources = {}): GlimpseConfig {
  const env = sources.env ?? process.env;
  const dataDir = path.resolve(sources.overrides?.dataDir ?? env.GLIMPSE_DATA_DIR ?? defaultDataDir(env));
  let merged: Record<string, unknown> = { dataDir, modelsDir: path.join(dataDir, 'models') };
  merged = mergeDeep(merged, readUserSettings(dataDir) as Record<string, unknown>);
  merged = mergeDeep(merged, fromEnv(env));
  merged = mergeDeep(merged, (sources.overrides ?? {}) as Record<string, unknown>);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
  }
  return parsed.data;
}

/** The same configuration with newer user settings laid on top (what `settings.update` produces). */
export function applyUserSettings(config: GlimpseConfig, settings: UserSettings): GlimpseConfig {
  return configSchema.parse(mergeDeep(config as unknown as Record<string, unknown>, settings as Record<string, unknown>));
}
