// The describe stage: once a person turns captions on, every photo is captioned in the background after the search
// passes (pass 2, after its crops), one at a time in the captioner's worker. The stage's version is the model and
// prompt, so changing either re-captions every photo; the queue lives in the catalog, so a crash resumes.
import type { CaptionerStatus, GlimpseEvent, ModelInfo } from '../../src-preload/api';
import type { GlimpseConfig } from '../config';
import { describeError } from '../errors';
import type { PipelineStage } from '../library/library';
import { captionDtypesFor, captionModelEntries, captionModelPresence, ensureCaptionModel, findCaptionModel } from '../ml/captions/caption-models';
import { Captioner } from '../ml/captions/captioner';
import { chooseDevice } from '../ml/device';
import type { DownloadProgress } from '../ml/model-store';
import { CaptionStore } from '../store/captions';
import type { CatalogSchema } from '../store/schema';
import type { Kysely } from 'kysely';
import { toGlimpseError } from './model-runtime';

export const CAPTION_STAGE = 'describe';

type CaptionConfig = GlimpseConfig['captions'];

/** What a caption depends on: a change of any of these describes every photo again. */
export function captionStageVersion(captions: CaptionConfig): string {
  return JSON.stringify({ model: captions.model, prompt: captions.prompt, splitImages: captions.splitImages });
}

export class CaptionRuntime {
  readonly store: CaptionStore;
  private captioner: Captioner | null = null;
  private download: { receivedBytes: number; totalBytes: number | null } | null = null;
  private downloading: Promise<void> | null = null;

  constructor(
    private readonly config: () => GlimpseConfig,
    db: Kysely<CatalogSchema>,
    private readonly emit: (event: GlimpseEvent) => void,
    /** Called when a captioner download finished, so the library can add the describe stage. */
    private readonly onModelReady: () => Promise<void>,
  ) {
    this.store = new CaptionStore(db, CAPTION_STAGE);
  }

  private get settings(): CaptionConfig {
    return this.config().captions;
  }

  private current(): Captioner {
    const config = this.config();
    this.captioner ??= new Captioner({
      modelsDir: config.modelsDir,
      modelId: config.captions.model,
      offline: config.offline,
      hubUrl: config.hubUrl,
      device: config.device,
      threads: config.captions.threads,
      idleReleaseMs: config.captions.idleReleaseMs,
      onDownload: (progress) => this.reportDownload(progress),
    });
    return this.captioner;
  }

  /** Download progress for Settings and the CLI's bar, as the SigLIP download reports it. */
  private reportDownload(progress: DownloadProgress): void {
    this.download = { receivedBytes: progress.receivedBytes, totalBytes: progress.totalBytes };
    void this.models().then((models) => {
      const model = models.find((m) => m.id === progress.modelId);
      if (model) this.emit({ type: 'model', model: { ...model, download: this.download } });
    });
  }

  private async presence() {
    const config = this.config();
    const device = (await chooseDevice(config.device).catch(() => ({ device: 'cpu' as const }))).device;
    return captionModelPresence({ modelsDir: config.modelsDir, modelId: config.captions.model, dtypes: captionDtypesFor(device) });
  }

  /**
   * The stages the library should run: none while captions are off; the describe stage once the model is on disk.
   * A missing model that can be fetched is downloaded in the background (the stage joins afterwards); one that
   * cannot is reported once, and photos stay browsable and searchable without captions.
   */
  async stages(mayDownload: boolean): Promise<PipelineStage[]> {
    const config = this.config();
    if (!config.captions.enabled) {
      await this.store.park();
      return [];
    }
    const presence = await this.presence();
    if (presence.missing.length === 0) return [this.stage()];
    const obtainable = !config.offline && findCaptionModel(config.captions.model) !== undefined;
    if (obtainable && mayDownload) this.startDownload();
    else if (!obtainable) {
      this.emit({ type: 'notice', level: 'warn', message: `Captions are on but the captioner ${config.captions.model} is missing: ${presence.remedy}.` });
    }
    return [];
  }

  private startDownload(): void {
    this.downloading ??= (async () => {
      try {
        await this.current().ensureModel();
        await this.onModelReady();
      } catch (error) {
        this.emit({ type: 'notice', level: 'warn', message: `${describeError(error)} Photos are described once the captioner is installed.` });
      } finally {
        this.download = null;
        this.downloading = null;
      }
    })();
  }

  /** Throws the clear error (model, folder, remedy) when the captioner cannot be had; waits for a running download. */
  async requireModel(): Promise<void> {
    if (this.downloading) await this.downloading;
    try {
      await this.current().ensureModel();
    } catch (error) {
      throw toGlimpseError(error);
    }
  }

  private stage(): PipelineStage {
    const settings = this.settings;
    return {
      name: CAPTION_STAGE,
      pass: 2,
      version: captionStageVersion(settings),
      run: async (image) => {
        const { caption, ms } = await this.current().caption({
          // The viewer picture: oriented, decodable for every format (HEIC included) and far larger than the model's input.
          path: image.view_path ?? image.path,
          prompt: settings.prompt,
          maxNewTokens: settings.maxNewTokens,
          splitImages: settings.splitImages,
        });
        // An empty answer is the model's answer: stored as "", not treated as a failure to retry.
        const made = { caption, model: settings.model, prompt: settings.prompt, durationMs: ms };
        return { status: 'done', write: (trx) => this.store.record(trx, image.id, image.hash, made) };
      },
    };
  }

  /** Whether `modelId` is a captioner Glimpse knows how to fetch. */
  knows(modelId: string): boolean {
    return findCaptionModel(modelId) !== undefined;
  }

  /** The captioners of the manifest (and the configured one), for `models.list` and Settings. */
  async models(): Promise<ModelInfo[]> {
    const config = this.config();
    const device = (await chooseDevice(config.device).catch(() => ({ device: 'cpu' as const }))).device;
    const ids = captionModelEntries().map((m) => m.id);
    if (!ids.includes(config.captions.model)) ids.push(config.captions.model);
    return Promise.all(
      ids.map(async (id): Promise<ModelInfo> => {
        const presence = await captionModelPresence({ modelsDir: config.modelsDir, modelId: id, dtypes: captionDtypesFor(device) });
        const present = presence.missing.length === 0;
        const active = id === config.captions.model;
        return {
          id,
          role: 'caption',
          present,
          active,
          dir: presence.dir,
          sizeBytes: null,
          device: present ? device : null,
          remedy: presence.remedy,
          download: active ? this.download : null,
        };
      }),
    );
  }

  /** Downloads a captioner (even in offline mode: a person asked for it) and adds the describe stage if it is the one in use. */
  async downloadModel(modelId: string): Promise<ModelInfo> {
    const config = this.config();
    const device = (await chooseDevice(config.device).catch(() => ({ device: 'cpu' as const }))).device;
    try {
      await ensureCaptionModel({
        modelsDir: config.modelsDir,
        modelId,
        dtypes: captionDtypesFor(device),
        offline: false,
        hubUrl: config.hubUrl,
        onDownload: (progress) => this.reportDownload(progress),
      });
    } catch (error) {
      throw toGlimpseError(error);
    } finally {
      this.download = null;
    }
    const info = (await this.models()).find((m) => m.id === modelId) as ModelInfo;
    this.emit({ type: 'model', model: info });
    if (modelId === config.captions.model && config.captions.enabled) await this.onModelReady();
    return info;
  }

  /** The captioner's line in `glimpse doctor`: fine when off or present; the remedy when on and missing. */
  async doctorCheck(): Promise<{ name: string; ok: boolean; detail: string }> {
    const status = await this.status();
    const name = `captioner ${status.model}`;
    if (status.state === 'present') return { name, ok: true, detail: `present in ${status.dir}; captions are ${status.enabled ? 'on' : 'off'}` };
    const detail = `${status.state === 'downloading' ? 'downloading' : 'missing'}: ${status.remedy ?? ''}`;
    return { name, ok: !status.enabled, detail: status.enabled ? detail : `${detail} (captions are off)` };
  }

  async status(): Promise<CaptionerStatus> {
    const config = this.config();
    const [presence, counts] = await Promise.all([this.presence(), this.store.counts()]);
    const msPerPhoto = this.captioner?.msPerPhoto ?? null;
    const working = counts.pending > 0 && msPerPhoto !== null;
    return {
      enabled: config.captions.enabled,
      model: config.captions.model,
      prompt: config.captions.prompt,
      state: presence.missing.length === 0 ? 'present' : this.downloading ? 'downloading' : 'missing',
      remedy: presence.remedy,
      download: this.download,
      dir: presence.dir,
      device: this.captioner?.device ?? null,
      loaded: this.captioner?.loaded ?? false,
      splitImages: config.captions.splitImages,
      threads: config.captions.threads,
      progress: {
        ...counts,
        rate: working ? 1000 / msPerPhoto : 0,
        etaSeconds: working ? Math.ceil((counts.pending * msPerPhoto) / 1000) : null,
      },
      msPerPhoto,
    };
  }

  /** Forgets the captioner so the next photo uses the current settings (model, threads). */
  async reset(): Promise<void> {
    const captioner = this.captioner;
    this.captioner = null;
    await captioner?.close();
  }

  /** A download in flight carries on to its end (it resumes next time if cut); its result is then ignored. */
  async close(): Promise<void> {
    await this.reset();
  }
}
