// SmolVLM (Idefics3) loaded through @huggingface/transformers from a local folder, on one thread: the code the
// captioner worker runs. Processor and sessions are created once and reused for every photo.
import {
  AutoModelForVision2Seq,
  AutoProcessor,
  env,
  RawImage,
  type PreTrainedModel,
  type Processor,
  type Tensor,
} from '@huggingface/transformers';
import sharp from 'sharp';
import type { Device } from '../device';
import { ImageDecodeError } from '../image-views';
import type { CaptionDtypes } from './caption-models';

// Models are only read from the models dir; fetching is caption-models' job, with progress and its own errors.
env.allowRemoteModels = false;
env.allowLocalModels = true;

export interface SmolvlmSessionOptions {
  modelDir: string;
  device: Device;
  dtypes: CaptionDtypes;
  /** onnxruntime intra-op threads per session: the captioner's throttle. */
  threads: number;
}

export interface CaptionRequest {
  path: string;
  prompt: string;
  maxNewTokens: number;
  splitImages: boolean;
}

interface Idefics3ImageProcessor {
  size: { longest_edge: number };
  max_image_size: { longest_edge: number };
}

/**
 * The processor's own markers: typed into a prompt they would add image slots with no picture behind them (or end
 * the turn early), so a prompt is plain text with them taken out.
 */
const CONTROL_TOKENS = /<image>|<fake_token_around_image>|<global-img>|<end_of_utterance>|<\|[a-z_]+\|>|<row_\d+_col_\d+>/gi;

function plainPrompt(prompt: string): string {
  return prompt.replace(CONTROL_TOKENS, ' ').replace(/\s+/g, ' ').trim();
}

export class SmolvlmSession {
  private constructor(
    private readonly processor: Processor,
    private readonly model: PreTrainedModel,
    /** The processor's own resize target, restored when splitting is asked for. */
    private readonly splitLongestEdge: number,
  ) {}

  static async open(options: SmolvlmSessionOptions): Promise<SmolvlmSession> {
    const processor = await AutoProcessor.from_pretrained(options.modelDir, { local_files_only: true });
    const model = await AutoModelForVision2Seq.from_pretrained(options.modelDir, {
      local_files_only: true,
      device: options.device,
      dtype: options.dtypes,
      session_options: { intraOpNumThreads: options.threads, interOpNumThreads: 1 },
    });
    const imageProcessor = processor.image_processor as unknown as Idefics3ImageProcessor;
    return new SmolvlmSession(processor, model, imageProcessor.size.longest_edge);
  }

  private get imageProcessor(): Idefics3ImageProcessor {
    return this.processor.image_processor as unknown as Idefics3ImageProcessor;
  }

  /**
   * Decodes the photo as a viewer shows it. Without splitting, the encoder sees one square of max_image_size,
   * so the photo is shrunk straight to it here (the processor would first scale it up to its split size).
   */
  private async decode(file: string, splitImages: boolean): Promise<RawImage> {
    const square = this.imageProcessor.max_image_size.longest_edge;
    try {
      let pipeline = sharp(file).rotate();
      pipeline = splitImages
        ? pipeline.resize({ width: this.splitLongestEdge, height: this.splitLongestEdge, fit: 'inside', withoutEnlargement: true })
        : pipeline.resize({ width: square, height: square, fit: 'fill' });
      const { data, info } = await pipeline.toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return new RawImage(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height, 3);
    } catch (error) {
      throw new ImageDecodeError(file, error);
    }
  }

  /** One greedy caption; the model's own words, trimmed ("" when it answers nothing). */
  async caption(request: CaptionRequest): Promise<string> {
    const image = await this.decode(request.path, request.splitImages);
    this.imageProcessor.size = { longest_edge: request.splitImages ? this.splitLongestEdge : this.imageProcessor.max_image_size.longest_edge };
    const messages = [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: plainPrompt(request.prompt) }] }];
    const text = this.processor.apply_chat_template(messages as never, { add_generation_prompt: true }) as string;
    const inputs = await this.processor(text, image, { do_image_splitting: request.splitImages });
    const output = (await this.model.generate({ ...inputs, max_new_tokens: request.maxNewTokens, do_sample: false })) as Tensor;
    const promptLength = (inputs.input_ids as Tensor).dims.at(-1) as number;
    const generated = output.slice(null, [promptLength, output.dims.at(-1) as number]);
    const [caption] = this.processor.batch_decode(generated as never, { skip_special_tokens: true });
    return caption.trim();
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
