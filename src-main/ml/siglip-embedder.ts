// The SigLIP embedder the rest of Glimpse uses: finds (or downloads) the model, picks the device, reads the logit
// scale and bias once, and runs every image and text through a pool of worker threads. Takes plain options.
import { readCachedCalibration, writeCachedCalibration, type CalibrationRecord } from './calibration';
import { chooseDevice, type Device, type DevicePreference } from './device';
import { EmbeddingPool } from './embedding-pool';
import { calibrationDtypeOf, DTYPE_FILE_SUFFIX, type ModelDtype, type ModelManifest } from './model-manifest';
import { ensureModel, type DownloadProgress } from './model-store';

export interface SiglipEmbedder {
  modelId: string;
  modelDir: string;
  dims: number;
  device: Device;
  /** Why this device (e.g. why CUDA was not used), for the log and `glimpse doctor`. */
  deviceReason: string;
  dtype: ModelDtype;
  /** SigLIP's learned values: sigmoid(logitScale·cos + logitBias) is the match probability. */
  logitScale: number;
  logitBias: number;
  workers: number;
  /** Global embedding of an image file, L2-normalised; EXIF orientation is honoured. */
  embedImage(path: string): Promise<Float32Array>;
  /** The 5 crop embeddings (centre, then the 2×2 grid: top-left, top-right, bottom-left, bottom-right). */
  embedCrops(path: string): Promise<Float32Array[]>;
  /** Global embedding of encoded image bytes (JPEG, PNG, WebP, …), e.g. an outside file for "find similar". */
  embedImageBuffer(bytes: Uint8Array): Promise<Float32Array>;
  embedText(text: string): Promise<Float32Array>;
  embedTexts(texts: string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

export interface OpenSiglipEmbedderOptions {
  modelsDir: string;
  modelId: string;
  offline: boolean;
  workers?: number;
  threadsPerWorker?: number;
  device?: DevicePreference;
  dtype?: ModelDtype;
  onDownload?: (progress: DownloadProgress) => void;
  /** Hub base URL (config.hubUrl; tests use a loopback server); defaults to https://huggingface.co. */
  hubUrl?: string;
  /** The model registry; the bundled models/manifest.json when omitted. */
  manifest?: ModelManifest;
}

async function calibrationFor(
  pool: EmbeddingPool,
  model: { modelId: string; dir: string; calibrationDtype: ModelDtype },
): Promise<CalibrationRecord> {
  const cached = await readCachedCalibration(model.dir, model.modelId);
  if (cached) return cached;
  const measured = await pool.calibrate({ op: 'calibrate', dtype: model.calibrationDtype });
  const record: CalibrationRecord = {
    modelId: model.modelId,
    source: `onnx/model${DTYPE_FILE_SUFFIX[model.calibrationDtype]}.onnx`,
    logitScale: measured.logitScale,
    logitBias: measured.logitBias,
    maxResidual: measured.maxResidual,
    dims: measured.dims,
    measuredAt: new Date().toISOString(),
  };
  // A read-only model folder only means measuring again next time.
  await writeCachedCalibration(model.dir, record);
  return record;
}

/**
 * Opens the embedder. Throws ModelUnavailableError (one line: model, folder, remedy) when the model is missing
 * and cannot be downloaded, and an Error naming the cause when CUDA was demanded but cannot run.
 */
export async function openSiglipEmbedder(options: OpenSiglipEmbedderOptions): Promise<SiglipEmbedder> {
  const dtype = options.dtype ?? 'fp32';
  const deviceChoice = await chooseDevice(options.device ?? 'auto');
  const model = await ensureModel({
    modelsDir: options.modelsDir,
    modelId: options.modelId,
    offline: options.offline,
    dtype,
    onDownload: options.onDownload,
    hubUrl: options.hubUrl,
    manifest: options.manifest,
  });
  const pool = new EmbeddingPool(options.workers ?? 1, {
    modelDir: model.dir,
    device: deviceChoice.device,
    dtype,
    threads: options.threadsPerWorker,
    textMaxLength: model.entry?.textMaxLength,
  });
  let calibration: CalibrationRecord;
  try {
    calibration = await calibrationFor(pool, {
      modelId: model.modelId,
      dir: model.dir,
      calibrationDtype: calibrationDtypeOf(model.entry, dtype),
    });
  } catch (error) {
    await pool.close();
    throw error;
  }

  const single = async (vectors: Promise<Float32Array[]>) => (await vectors)[0];
  return {
    modelId: model.modelId,
    modelDir: model.dir,
    dims: calibration.dims,
    device: deviceChoice.device,
    deviceReason: deviceChoice.reason,
    dtype,
    logitScale: calibration.logitScale,
    logitBias: calibration.logitBias,
    workers: pool.size,
    embedImage: (path) => single(pool.vectors({ op: 'image', path })),
    embedCrops: (path) => pool.vectors({ op: 'crops', path }),
    embedImageBuffer: (bytes) => single(pool.vectors({ op: 'imageBytes', bytes })),
    embedText: (text) => single(pool.vectors({ op: 'texts', texts: [text] })),
    embedTexts: (texts) => (texts.length === 0 ? Promise.resolve([]) : pool.vectors({ op: 'texts', texts })),
    close: () => pool.close(),
  };
}
