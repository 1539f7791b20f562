// The active model and everything that depends on it (its vector store and the search service), opened once on
// first need: the app starts without waiting for a model, and a missing model is a clear error where it matters.
import { stat } from 'node:fs/promises';
import type { GlimpseEvent, ModelInfo } from '../../src-preload/api';
import type { GlimpseConfig } from '../config';
import { GlimpseError } from '../errors';
import { chooseDevice } from '../ml/device';
import { bundledModelManifest, findModelEntry } from '../ml/model-manifest';
import { ModelUnavailableError, ensureModel, listModels, type DownloadProgress } from '../ml/model-store';
import { openSiglipEmbedder, type SiglipEmbedder } from '../ml/siglip-embedder';
import { SearchService, type SearchSettings } from '../search/search-service';
import type { SearchCatalog } from '../search/ports';
import type { VectorPayloads } from '../store/vector-payloads';
import type { PhotoPayload, VectorStore } from '../store/vectors/vector-store';
import { openVectorStore, vectorServerError } from './vector-backend';
import { VectorPayloadSync } from './vector-payload-sync';

export interface ModelParts {
  embedder: SiglipEmbedder;
  vectors: VectorStore;
  search: SearchService;
}

export { vectorDirFor } from './vector-backend';

export function toGlimpseError(error: unknown): unknown {
  if (error instanceof ModelUnavailableError) return new GlimpseError(error.code, error.message, error.modelId);
  return vectorServerError(error);
}

/** "Find similar" on a file a person picked: a missing file or one that is not an image is their input, named as such. */
async function embedOutsideImage(embedder: SiglipEmbedder, file: string): Promise<Float32Array> {
  const info = await stat(file).catch(() => null);
  if (!info) throw new GlimpseError('NOT_FOUND', `${file} does not exist`, file);
  if (!info.isFile()) throw new GlimpseError('INVALID_INPUT', `${file} is not a file: pick an image file`, file);
  try {
    return await embedder.embedImage(file);
  } catch (error) {
    // The worker's ImageDecodeError arrives by name (errors cross the thread as name + message).
    if (error instanceof Error && error.name === 'ImageDecodeError') throw new GlimpseError('UNSUPPORTED_FORMAT', error.message, file);
    throw error;
  }
}

export class ModelRuntime {
  private opening: Promise<ModelParts> | null = null;
  private opened = false;
  private download: { receivedBytes: number; totalBytes: number | null } | null = null;

  constructor(
    private readonly config: () => GlimpseConfig,
    private readonly catalog: SearchCatalog,
    private readonly searchSettings: () => SearchSettings,
    private readonly emit: (event: GlimpseEvent) => void,
    /** The photos' filter fields, for a vector store that keeps them on its points (Qdrant). */
    readonly payloads?: VectorPayloads,
  ) {}

  /** What a store that keeps filter fields on its points reads them from. */
  get payloadSource(): ((ids: number[]) => Promise<Map<number, PhotoPayload>>) | undefined {
    const payloads = this.payloads;
    return payloads ? (ids) => payloads.of(ids) : undefined;
  }

  get modelId(): string {
    return this.config().model;
  }

  /** The embedder, vector store and search service of the active model, opening (and downloading) it on first call. */
  ready(): Promise<ModelParts> {
    this.opening ??= this.open().then((parts) => {
      this.opened = true;
      return parts;
    }, (error: unknown) => {
      // A failed open (no model, no network) is retried on the next call rather than remembered forever.
      this.opening = null;
      throw toGlimpseError(error);
    });
    return this.opening;
  }

  /** Whether the model's parts are open and answering (not merely being opened or downloaded). */
  isOpen(): boolean {
    return this.opened;
  }

  /** The parts if they are already open, without starting anything. */
  async openedParts(): Promise<ModelParts | null> {
    if (!this.opening) return null;
    return this.opening.catch(() => null);
  }

  private async open(): Promise<ModelParts> {
    const config = this.config();
    const embedder = await openSiglipEmbedder({
      modelsDir: config.modelsDir,
      modelId: config.model,
      offline: config.offline,
      workers: config.indexing.workers,
      threadsPerWorker: config.indexing.threadsPerWorker,
      device: config.device,
      hubUrl: config.hubUrl,
      onDownload: (progress) => this.reportDownload(progress),
    });
    this.download = null;
    this.emit({ type: 'notice', level: 'info', message: `${embedder.modelId} runs on ${embedder.device}: ${embedder.deviceReason}` });
    const onNotice = (message: string) => this.emit({ type: 'notice', level: 'warn', message });
    const vectors = await openVectorStore(config, embedder.modelId, embedder.dims, onNotice, this.payloadSource).catch(async (error: unknown) => {
      await embedder.close();
      throw error;
    });
    const search = new SearchService({
      vectors,
      catalog: this.catalogFor(vectors),
      textEmbedder: embedder,
      imageEmbedder: { embedImageFile: (file) => embedOutsideImage(embedder, file) },
      settings: this.searchSettings,
    });
    return { embedder, vectors, search };
  }

  /** The catalog as the search sees it: with payload filters when the store keeps the catalog's fields on its points. */
  private catalogFor(vectors: VectorStore): SearchCatalog {
    if (!vectors.payloads || !this.payloads) return this.catalog;
    const sync = new VectorPayloadSync(this.payloads, vectors.payloads, (error) =>
      this.emit({ type: 'notice', level: 'warn', message: `Filter fields could not be written to ${vectors.description}: ${error instanceof Error ? error.message : String(error)}` }),
    );
    return { ...this.catalog, vectorFilter: (filters) => sync.filterFor(filters, () => this.catalog.idsMatching(filters)) };
  }

  private reportDownload(progress: DownloadProgress): void {
    this.download = { receivedBytes: progress.receivedBytes, totalBytes: progress.totalBytes };
    void this.models().then((models) => {
      const model = models.find((m) => m.id === progress.modelId);
      if (model) this.emit({ type: 'model', model: { ...model, download: this.download } });
    });
  }

  async models(): Promise<ModelInfo[]> {
    const config = this.config();
    const parts = await this.openedParts();
    const device = parts?.embedder.device ?? (await chooseDevice(config.device).catch(() => ({ device: 'cpu' as const }))).device;
    const models = await listModels({ modelsDir: config.modelsDir, activeModelId: config.model, device });
    return models.map((m) => (m.id === config.model && this.download ? { ...m, download: this.download } : m));
  }

  /** Downloads a model (even in offline mode: a person asked for it explicitly) and reports it. */
  async downloadModel(modelId: string): Promise<ModelInfo> {
    const config = this.config();
    try {
      await ensureModel({ modelsDir: config.modelsDir, modelId, offline: false, hubUrl: config.hubUrl, onDownload: (p) => this.reportDownload(p) });
    } catch (error) {
      throw toGlimpseError(error);
    } finally {
      this.download = null;
    }
    const info = (await this.models()).find((m) => m.id === modelId);
    if (!info) throw new GlimpseError('NOT_FOUND', `Model ${modelId} is not known`, modelId);
    this.emit({ type: 'model', model: info });
    return info;
  }

  async isActiveModelPresent(): Promise<boolean> {
    return (await this.models()).some((m) => m.active && m.present);
  }

  /** Whether the active model is on disk or Glimpse knows where to download it (and may). */
  async canObtainActiveModel(): Promise<boolean> {
    const config = this.config();
    if (await this.isActiveModelPresent()) return true;
    return !config.offline && findModelEntry(bundledModelManifest(), config.model) !== undefined;
  }

  /** Forgets the open model so the next call opens the configured one (after a settings change). */
  async reset(): Promise<void> {
    const parts = await this.openedParts();
    this.opening = null;
    this.opened = false;
    if (parts) await Promise.all([parts.embedder.close(), parts.vectors.close()]);
  }

  close(): Promise<void> {
    return this.reset();
  }
}
