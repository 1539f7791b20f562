// The captioner models Glimpse can fetch (models/manifest.json, "captionModels"), which of their files one device
// needs (a dtype per part), and getting them on disk under the same download and offline rules as SigLIP.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import manifestJson from '../../../models/manifest.json';
import type { Device } from '../device';
import { DTYPE_FILE_SUFFIX, MODEL_DTYPES, type ModelDtype } from '../model-manifest';
import { downloadModelFiles, ModelUnavailableError, modelDirFor, type DownloadProgress } from '../model-store';

export const CAPTION_PARTS = ['vision_encoder', 'embed_tokens', 'decoder_model_merged'] as const;
export type CaptionPart = (typeof CAPTION_PARTS)[number];
export type CaptionDtypes = Record<CaptionPart, ModelDtype>;

const fileSchema = z.object({
  path: z.string().regex(/^[\w./-]+$/).refine((p) => !p.split('/').includes('..'), 'no ".." segments'),
  part: z.enum(['config', ...CAPTION_PARTS]),
  dtype: z.enum(MODEL_DTYPES).nullable(),
  approxBytes: z.number().int().positive().nullable(),
});

const captionModelSchema = z.object({
  id: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
  family: z.literal('smolvlm'),
  title: z.string(),
  licence: z.string(),
  homepage: z.url(),
  files: z.array(fileSchema).min(1),
});

const captionManifestSchema = z.object({
  defaultCaptionModel: z.string(),
  captionModels: z.array(captionModelSchema),
});

export type CaptionModelFile = z.infer<typeof fileSchema>;
export type CaptionModelEntry = z.infer<typeof captionModelSchema>;

let manifest: z.infer<typeof captionManifestSchema> | undefined;

export function captionModelEntries(): CaptionModelEntry[] {
  manifest ??= captionManifestSchema.parse(manifestJson);
  return manifest.captionModels;
}

export function findCaptionModel(modelId: string): CaptionModelEntry | undefined {
  return captionModelEntries().find((m) => m.id === modelId);
}

/**
 * The dtype of each part on each device. On a CPU the decoder, which runs once per word, is the quantized (q8)
 * export and so are the encoder and the embedding table; fp16 is only fast on a GPU.
 */
export function captionDtypesFor(device: Device): CaptionDtypes {
  return device === 'cuda'
    ? { vision_encoder: 'fp16', embed_tokens: 'fp16', decoder_model_merged: 'fp16' }
    : { vision_encoder: 'q8', embed_tokens: 'q8', decoder_model_merged: 'q8' };
}

const CONFIG_FILES = ['config.json', 'generation_config.json', 'preprocessor_config.json', 'processor_config.json', 'tokenizer.json', 'tokenizer_config.json'];

/** The files of the published SmolVLM export layout, for a model folder Glimpse has no manifest entry for. */
function conventionalFiles(): CaptionModelFile[] {
  return [
    ...CONFIG_FILES.map((p): CaptionModelFile => ({ path: p, part: 'config', dtype: null, approxBytes: null })),
    ...CAPTION_PARTS.flatMap((part) =>
      MODEL_DTYPES.map((dtype): CaptionModelFile => ({ path: `onnx/${part}${DTYPE_FILE_SUFFIX[dtype]}.onnx`, part, dtype, approxBytes: null })),
    ),
  ];
}

export function requiredCaptionFiles(entry: CaptionModelEntry | undefined, dtypes: CaptionDtypes): CaptionModelFile[] {
  return (entry?.files ?? conventionalFiles()).filter((f) => f.part === 'config' || f.dtype === dtypes[f.part]);
}

async function isPresent(file: string): Promise<boolean> {
  const info = await stat(file).catch(() => null);
  return Boolean(info?.isFile() && info.size > 0);
}

export interface CaptionModelOptions {
  modelsDir: string;
  modelId: string;
  dtypes: CaptionDtypes;
  offline: boolean;
  hubUrl?: string;
  onDownload?: (progress: DownloadProgress) => void;
}

export interface CaptionModelPresence {
  dir: string;
  entry: CaptionModelEntry | undefined;
  missing: CaptionModelFile[];
  /** What a person should do while files are missing. */
  remedy: string | null;
}

export function captionModelRemedy(modelId: string, dir: string, entry: CaptionModelEntry | undefined): string {
  if (!entry) return `copy the captioner's files (config.json, tokenizer.json, onnx/vision_encoder…, onnx/decoder_model_merged…) into ${dir}`;
  return `run \`glimpse models download ${modelId}\` while online, or copy the files from ${entry.homepage} into ${dir}`;
}

export async function captionModelPresence(options: Omit<CaptionModelOptions, 'offline'>): Promise<CaptionModelPresence> {
  const dir = modelDirFor(options.modelsDir, options.modelId);
  const entry = findCaptionModel(options.modelId);
  const files = requiredCaptionFiles(entry, options.dtypes);
  const present = await Promise.all(files.map((f) => isPresent(path.join(dir, f.path))));
  const missing = files.filter((_, i) => !present[i]);
  return { dir, entry, missing, remedy: missing.length > 0 ? captionModelRemedy(options.modelId, dir, entry) : null };
}

/** Downloads whatever the captioner lacks (unless offline); throws ModelUnavailableError with a one-line remedy. */
export async function ensureCaptionModel(options: CaptionModelOptions): Promise<string> {
  const { dir, entry, missing, remedy } = await captionModelPresence(options);
  if (missing.length === 0) return dir;
  const more = missing.length > 1 ? ` and ${missing.length - 1} more` : '';
  const what = `The captioner ${options.modelId} is not installed in ${dir} (missing ${missing[0].path}${more})`;
  if (!entry) throw new ModelUnavailableError('MODEL_MISSING', options.modelId, dir, `${what} and Glimpse has no download for it: ${remedy}.`);
  if (options.offline) {
    throw new ModelUnavailableError('OFFLINE', options.modelId, dir, `${what} and downloads are off (offline mode, GLIMPSE_OFFLINE): ${remedy}.`);
  }
  await downloadModelFiles(options, entry, dir, missing, `The captioner ${entry.id}`);
  return dir;
}
