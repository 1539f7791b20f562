// SigLIP's two towers loaded through @huggingface/transformers from a local folder, on one thread: the code every
// embedding worker runs. Tower sessions are created on first use and reused for the life of the session.
import {
  AutoProcessor,
  AutoTokenizer,
  env,
  RawImage,
  SiglipModel,
  SiglipTextModel,
  SiglipVisionModel,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Processor,
  type Tensor,
} from '@huggingface/transformers';
import { solveCalibration, type ScoredPair } from './calibration';
import type { Device } from './device';
import { cropViews, decodeImage } from './image-views';
import type { ModelDtype } from './model-manifest';

// Models are only ever read from the models dir; fetching is model-store's job, with progress and verification.
env.allowRemoteModels = false;
env.allowLocalModels = true;

export interface SiglipSessionOptions {
  /** Absolute model folder (the Xenova export layout). */
  modelDir: string;
  device: Device;
  dtype: ModelDtype;
  /** onnxruntime intra-op threads per session; onnxruntime's own default when omitted. */
  threads?: number;
  /** Tokens per text, padded and truncated (SigLIP was trained on 64). */
  textMaxLength?: number;
}

export interface MeasuredCalibration {
  logitScale: number;
  logitBias: number;
  maxResidual: number;
  dims: number;
}

function l2Normalised(row: Float32Array): Float32Array {
  let sum = 0;
  for (const v of row) sum += v * v;
  const norm = Math.sqrt(sum);
  // An all-zero embedding (possible only in a degenerate model) stays zero rather than becoming NaN.
  if (norm > 0) for (let i = 0; i < row.length; i += 1) row[i] /= norm;
  return row;
}

/** Splits a [batch, dims] float tensor into one normalised vector per row. */
function rowsOf(tensor: Tensor): Float32Array[] {
  const [batch, dims] = tensor.dims;
  const data = tensor.data as Float32Array;
  return Array.from({ length: batch }, (_, i) => l2Normalised(Float32Array.from(data.subarray(i * dims, (i + 1) * dims))));
}

function solidImage(rgb: [number, number, number], size = 64): RawImage {
  const data = new Uint8ClampedArray(size * size * 3);
  for (let i = 0; i < data.length; i += 3) data.set(rgb, i);
  return new RawImage(data, size, size, 3);
}

export class SiglipSession {
  private textModel?: Promise<PreTrainedModel>;
  private visionModel?: Promise<PreTrainedModel>;

  private constructor(
    private readonly options: SiglipSessionOptions,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly processor: Processor,
  ) {}

  static async open(options: SiglipSessionOptions): Promise<SiglipSession> {
    const [tokenizer, processor] = await Promise.all([
      AutoTokenizer.from_pretrained(options.modelDir, { local_files_only: true }),
      AutoProcessor.from_pretrained(options.modelDir, { local_files_only: true }),
    ]);
    return new SiglipSession(options, tokenizer, processor);
  }

  private modelOptions(dtype: ModelDtype) {
    const threads = this.options.threads;
    return {
      local_files_only: true,
      device: this.options.device,
      dtype,
      session_options: threads ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {},
    };
  }

  private text(): Promise<PreTrainedModel> {
    this.textModel ??= SiglipTextModel.from_pretrained(this.options.modelDir, this.modelOptions(this.options.dtype));
    return this.textModel;
  }

  private vision(): Promise<PreTrainedModel> {
    this.visionModel ??= SiglipVisionModel.from_pretrained(this.options.modelDir, this.modelOptions(this.options.dtype));
    return this.visionModel;
  }

  private tokenize(texts: string[]) {
    return this.tokenizer(texts, {
      padding: 'max_length',
      truncation: true,
      max_length: this.options.textMaxLength ?? 64,
    });
  }

  async embedTexts(texts: string[]): Promise<Float32Array[]> {
    const model = await this.text();
    const output = await model(this.tokenize(texts));
    return rowsOf(output.pooler_output);
  }

  async embedImages(images: RawImage[]): Promise<Float32Array[]> {
    const model = await this.vision();
    const { pixel_values } = await this.processor(images);
    const output = await model({ pixel_values });
    return rowsOf(output.pooler_output);
  }

  /** The global embedding of an image file or of encoded image bytes. */
  async embedImage(input: string | Uint8Array): Promise<Float32Array> {
    const [vector] = await this.embedImages([await decodeImage(input)]);
    return vector;
  }

  /** The five crop embeddings (see CROP_NAMES), one batch through the vision tower. */
  async embedCrops(input: string | Uint8Array): Promise<Float32Array[]> {
    return this.embedImages(await cropViews(await decodeImage(input)));
  }

  /**
   * Reads the checkpoint's logit scale and bias: the combined graph scores two texts against two plain images,
   * and logit = scale·cos + bias is solved from those four pairs. The combined graph is released afterwards.
   */
  async measureCalibration(calibrationDtype: ModelDtype): Promise<MeasuredCalibration> {
    const model = await SiglipModel.from_pretrained(this.options.modelDir, this.modelOptions(calibrationDtype));
    try {
      const texts = ['a photo of something yellow', 'a photo of something blue'];
      const { pixel_values } = await this.processor([solidImage([245, 220, 40]), solidImage([30, 70, 220])]);
      const output = await model({ ...this.tokenize(texts), pixel_values });
      const textEmbeds = rowsOf(output.text_embeds);
      const imageEmbeds = rowsOf(output.image_embeds);
      const logits = output.logits_per_text as Tensor;
      const imageCount = logits.dims[1];
      const pairs: ScoredPair[] = [];
      textEmbeds.forEach((t, i) =>
        imageEmbeds.forEach((v, j) => {
          pairs.push({ cosine: t.reduce((s, x, k) => s + x * v[k], 0), logit: Number(logits.data[i * imageCount + j]) });
        }),
      );
      return { ...solveCalibration(pairs), dims: imageEmbeds[0].length };
    } finally {
      await model.dispose();
    }
  }

  async dispose(): Promise<void> {
    const models = await Promise.allSettled([this.textModel, this.visionModel].filter((m) => m !== undefined));
    await Promise.all(models.map((m) => (m.status === 'fulfilled' ? m.value.dispose() : undefined)));
  }
}
