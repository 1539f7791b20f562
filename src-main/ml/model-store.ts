// Where model files live on disk and how they get there: resolving a model's folder under the models dir, checking
// which files are missing, downloading them from the Hugging Face hub (unless offline), and saying what to do if not.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ModelInfo } from '../../src-preload/api';
import { readCachedCalibration } from './calibration';
import { DownloadError, downloadFile } from './file-download';
import {
  bundledModelManifest,
  findModelEntry,
  requiredModelFiles,
  type ModelDtype,
  type ModelEntry,
  type ModelFile,
  type ModelManifest,
} from './model-manifest';

export const DEFAULT_HUB_URL = 'https://huggingface.co';

export type ModelErrorCode = 'MODEL_MISSING' | 'MODEL_DOWNLOAD_FAILED' | 'OFFLINE';

/** A model that is not on disk and could not be fetched. The message is one line: model, folder, remedy. */
export class ModelUnavailableError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    readonly modelId: string,
    readonly modelDir: string,
    message: string,
  ) {
    super(message);
    this.name = 'ModelUnavailableError';
  }
}

export interface DownloadProgress {
  modelId: string;
  file: string;
  receivedBytes: number;
  /** Sum over the files being fetched; null while some file's size is still unknown. */
  totalBytes: number | null;
  fileReceivedBytes: number;
  fileTotalBytes: number | null;
}

export interface EnsureModelOptions {
  modelsDir: string;
  modelId: string;
  offline: boolean;
  dtype?: ModelDtype;
  onDownload?: (progress: DownloadProgress) => void;
  /** Hub base URL (config.hubUrl); defaults to https://huggingface.co. */
  hubUrl?: string;
  manifest?: ModelManifest;
  retryDelayMs?: number;
}

export interface ResolvedModel {
  modelId: string;
  dir: string;
  entry: ModelEntry | undefined;
  dtype: ModelDtype;
}

const MODEL_ID_PATTERN = /^[\w.-]+\/[\w.-]+$/;

/** Whether `modelId` is a hub id (`owner/name`) that names a folder inside the models dir and nothing outside it. */
export function isModelId(modelId: string): boolean {
  return MODEL_ID_PATTERN.test(modelId) && !modelId.split('/').some((part) => part === '.' || part === '..');
}

/** `<modelsDir>/<owner>/<name>`; rejects ids that could escape the models dir. */
export function modelDirFor(modelsDir: string, modelId: string): string {
  if (!isModelId(modelId)) {
    throw new ModelUnavailableError(
      'MODEL_MISSING',
      modelId,
      modelsDir,
      `"${modelId}" is not a model id (expected owner/name, e.g. Xenova/siglip-base-patch16-224)`,
    );
  }
  return path.join(path.resolve(modelsDir), ...modelId.split('/'));
}

async function fileSize(file: string): Promise<number | null> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}

async function missingFiles(dir: string, files: ModelFile[]): Promise<ModelFile[]> {
  const sizes = await Promise.all(files.map((f) => fileSize(path.join(dir, f.path))));
  return files.filter((_, i) => !sizes[i]);
}

function installCommand(modelId: string): string {
  return `glimpse models download ${modelId}`;
}

function describeMissing(missing: ModelFile[]): string {
  const [first, ...rest] = missing;
  return rest.length === 0 ? first.path : `${first.path} and ${rest.length} more`;
}

export function modelRemedy(modelId: string, dir: string, entry: ModelEntry | undefined): string {
  if (!entry) return `copy the model's files (config.json, tokenizer.json, onnx/…) into ${dir}`;
  return `run \`${installCommand(modelId)}\` while online, or copy the files from ${entry.homepage} into ${dir}`;
}

function hubBaseUrl(option: string | undefined): string {
  return (option ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
}

/**
 * Makes sure every file the model needs is on disk, downloading missing ones from the hub when allowed.
 * Throws ModelUnavailableError (one-line message) when the model is missing and cannot be fetched.
 */
export async function ensureModel(options: EnsureModelOptions): Promise<ResolvedModel> {
  const { modelId, modelsDir } = options;
  const dtype = options.dtype ?? 'fp32';
  const dir = modelDirFor(modelsDir, modelId);
  const entry = findModelEntry(options.manifest ?? bundledModelManifest(), modelId);
  const needCalibration = (await readCachedCalibration(dir, modelId)) === null;
  const missing = await missingFiles(dir, requiredModelFiles(entry, dtype, needCalibration));
  if (missing.length === 0) return { modelId, dir, entry, dtype };

  const what = `Model ${modelId} is not installed in ${dir} (missing ${describeMissing(missing)})`;
  if (!entry) {
    throw new ModelUnavailableError(
      'MODEL_MISSING',
      modelId,
      dir,
      `${what} and Glimpse has no download for it: ${modelRemedy(modelId, dir, entry)}.`,
    );
  }
  if (options.offline) {
    throw new ModelUnavailableError(
      'OFFLINE',
      modelId,
      dir,
      `${what} and downloads are off (offline mode, GLIMPSE_OFFLINE): ${modelRemedy(modelId, dir, entry)}.`,
    );
  }
  await downloadModelFiles(options, entry, dir, missing);
  return { modelId, dir, entry, dtype };
}

/** A model file to fetch: its exact size and checksum when the manifest knows them, else an estimate for progress. */
export interface FileToDownload {
  path: string;
  bytes?: number | null;
  sha256?: string | null;
  approxBytes?: number | null;
}

/**
 * Fetches a model's missing files one after another from the hub, reporting progress over all of them together; a
 * failure names the model, the folder and the remedy. Shared by the SigLIP models and the captioners.
 */
export async function downloadModelFiles(
  options: Pick<EnsureModelOptions, 'hubUrl' | 'onDownload' | 'retryDelayMs'>,
  entry: { id: string; homepage: string },
  dir: string,
  files: FileToDownload[],
  what = `Model ${entry.id}`,
): Promise<void> {
  const hub = hubBaseUrl(options.hubUrl);
  const sizes = files.map((f) => f.bytes ?? f.approxBytes ?? null);
  const received = files.map(() => 0);
  for (const [index, file] of files.entries()) {
    try {
      await downloadFile({
        url: `${hub}/${entry.id}/resolve/main/${file.path}`,
        destination: path.join(dir, file.path),
        expectedBytes: file.bytes ?? null,
        expectedSha256: file.sha256 ?? null,
        retryDelayMs: options.retryDelayMs,
        onProgress: (fileReceived, fileTotal) => {
          received[index] = fileReceived;
          if (fileTotal !== null) sizes[index] = fileTotal;
          const known = sizes.every((s) => s !== null);
          options.onDownload?.({
            modelId: entry.id,
            file: file.path,
            receivedBytes: received.reduce((a, b) => a + b, 0),
            totalBytes: known ? (sizes as number[]).reduce((a, b) => a + b, 0) : null,
            fileReceivedBytes: fileReceived,
            fileTotalBytes: fileTotal,
          });
        },
      });
    } catch (error) {
      const cause = error instanceof DownloadError || error instanceof Error ? error.message : String(error);
      throw new ModelUnavailableError(
        'MODEL_DOWNLOAD_FAILED',
        entry.id,
        dir,
        `${what} could not be downloaded into ${dir}: ${cause}. Try again later (it resumes), or copy the files from ${entry.homepage} into that folder.`,
      );
    }
  }
}

/** The models the manifest knows plus any other model folder the caller names (e.g. the configured one). */
export async function listModels(options: {
  modelsDir: string;
  activeModelId?: string;
  dtype?: ModelDtype;
  device: 'cuda' | 'cpu';
  manifest?: ModelManifest;
}): Promise<ModelInfo[]> {
  const manifest = options.manifest ?? bundledModelManifest();
  const dtype = options.dtype ?? 'fp32';
  const ids = manifest.models.map((m) => m.id);
  if (options.activeModelId && !ids.includes(options.activeModelId)) ids.push(options.activeModelId);
  return Promise.all(
    ids.map(async (id): Promise<ModelInfo> => {
      const entry = findModelEntry(manifest, id);
      const dir = modelDirFor(options.modelsDir, id);
      const needCalibration = (await readCachedCalibration(dir, id)) === null;
      const files = requiredModelFiles(entry, dtype, needCalibration);
      const sizes = await Promise.all(files.map((f) => fileSize(path.join(dir, f.path))));
      const present = sizes.every((s) => !!s);
      const approx = files.map((f) => f.bytes ?? f.approxBytes);
      const sizeBytes = present
        ? (sizes as number[]).reduce((a, b) => a + b, 0)
        : approx.every((s) => s !== null)
          ? (approx as number[]).reduce((a, b) => a + b, 0)
          : null;
      return {
        id,
        role: entry?.role ?? 'embedding',
        present,
        active: id === options.activeModelId,
        dir,
        sizeBytes,
        device: present ? options.device : null,
        remedy: present ? null : modelRemedy(id, dir, entry),
        download: null,
      };
    }),
  );
}
