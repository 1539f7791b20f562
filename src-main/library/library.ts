// The library: folders, scanning and reconciliation, watching, imports, deletes and the indexing queue, behind one
// object that the Api and the CLI call. Everything it knows lives in the catalog, so it can stop at any moment.
import fs from 'node:fs';
import path from 'node:path';
import trash from 'trash';
import type { DeleteResult, FileFailure, FolderInfo, FolderProgress, GlimpseEvent, ImportResult, JobStatus } from '../../src-preload/api';
import type { GlimpseConfig } from '../config';
import { GlimpseError, describeError } from '../errors';
import type { Catalog, ClaimedStage, StageDefinition } from '../store/catalog';
import { catalogAwayCause, isCatalogServerAway } from '../store/catalog-server-away';
import type { FolderRow, ImageRow, JobRow } from '../store/schema';
import { CatalogCatchUp } from './catalog-catch-up';
import { copyWithoutOverwriting } from './copy-without-overwriting';
import { hashFile } from './content-hash';
import { decodeStage } from './decode-stage';
import { exifStage } from './exif-stage';
import { makeDataDirPrivate } from './data-dir-permissions';
import { PhotoFileError, describeFileFailure, describePhotoFailure } from './failure-causes';
import { DecisionQueue, type IdentityContext, handOverToCopy, ingestFile, settleLostFile } from './file-identity';
import { scanFolder } from './folder-scanner';
import { checkLibraryFolder } from './folder-rules';
import { FolderWatcher } from './folder-watcher';
import { PHOTO_EXTENSIONS, isPhotoPath } from './formats';
import { StageDeferredError, type PipelineStage, type StageContext } from './pipeline-stage';
import { ProgressTracker } from './progress-tracker';
import { thumbnailStage } from './thumbnail-stage';
import { removeThumbnails } from './thumbnail-store';
import { WorkRunner } from './work-runner';

export type { PipelineStage, StageContext } from './pipeline-stage';
export type LibraryEvent = GlimpseEvent;

export interface LibraryOptions {
  config: GlimpseConfig;
  catalog: Catalog;
  /** Stages other layers add (embeddings in pass 1, crops in pass 2); they run after the built-in ones, in order. */
  extraStages?: PipelineStage[];
  onEvent?: (event: GlimpseEvent) => void;
  /** Called before photos leave the catalog for good, so vector stores can drop them too. */
  onPhotosRemoved?: (ids: number[]) => Promise<void>;
}

export const BUILTIN_STAGES: readonly PipelineStage[] = [decodeStage, exifStage, thumbnailStage];
export const MANAGED_FOLDER_NAME = 'Imported';
/** A stage claimed this many times without finishing keeps killing the process: it fails instead of looping. */
const MAX_STAGE_ATTEMPTS = 5;
const EVENT_INTERVAL_MS = 250;
const FAILURES_PER_FOLDER_EVENT = 100;
/** How often a missing library folder (an unplugged drive) is looked for. */
const OFFLINE_POLL_MS = 2_000;

/** Why a library folder would be refused today (the data dir, a system folder), or null. */
async function refusalOf(folderPath: string, dataDir: string): Promise<string | null> {
  try {
    await checkLibraryFolder(folderPath, { dataDir, confirm: true });
    return null;
  } catch (error) {
    return error instanceof GlimpseError && error.code === 'FOLDER_REFUSED' ? error.message : null;
  }
}

function isInside(child: string, parent: string): boolean {
  return child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

export class Library {
  private readonly config: GlimpseConfig;
  private readonly catalog: Catalog;
  private readonly stages: PipelineStage[];
  private readonly stageByName: Map<string, PipelineStage>;
  private readonly stageDefinitions: StageDefinition[];
  private readonly stageOrder: string[];
  private readonly identity: IdentityContext;
  private readonly stageContext: StageContext;
  private readonly runner: WorkRunner;
  private readonly progress = new ProgressTracker();
  private readonly watchers = new Map<number, FolderWatcher>();
  /** Paths reported gone, with when to act: a grace period lets a move's "add" arrive first. */
  private readonly pendingMissing = new Map<string, number>();
  /** Library folders already reported missing, so an unplugged drive is one notice, not one per photo. */
  private readonly reportedOffline = new Set<string>();
  private readonly changes = { added: new Set<number>(), updated: new Set<number>(), removed: new Set<number>() };
  /** Scans and watcher changes that met the catalog's server away, run again once it answers. */
  private readonly catchUp = new CatalogCatchUp(() => this.catalog.serverName, (level, message) => this.notice(level, message));
  private eventTimer: NodeJS.Timeout | null = null;
  private leaseTimer: NodeJS.Timeout | null = null;
  private missingTimer: NodeJS.Timeout | null = null;
  private returnTimer: NodeJS.Timeout | null = null;
  private foldersChanged = false;
  private watching = false;
  private closed = false;
  /** The latest deferral that waiting alone will not clear, counted so each wait hears only of those after it began. */
  private lastingHold = { cause: '', count: 0 };

  private constructor(
    private readonly options: LibraryOptions,
    /** The data dir's real path: what folders are compared with (a link to it is the same folder). */
    private readonly dataDir: string,
  ) {
    this.config = options.config;
    this.catalog = options.catalog;
    this.stages = [...BUILTIN_STAGES, ...(options.extraStages ?? [])];
    const names = new Set<string>();
    for (const stage of this.stages) {
      if (names.has(stage.name)) throw new Error(`Two indexing stages are named "${stage.name}"`);
      names.add(stage.name);
    }
    this.stageByName = new Map(this.stages.map((s) => [s.name, s]));
    // Pass 1 before pass 2, each in the order given: the order a photo's stages must run in.
    const ordered = [...this.stages.filter((s) => s.pass === 1), ...this.stages.filter((s) => s.pass === 2)];
    this.stageDefinitions = ordered.map(({ name, pass, version }) => ({ name, pass, version }));
    this.stageOrder = ordered.map((s) => s.name);
    this.identity = { catalog: this.catalog, dataDir: this.config.dataDir, stages: this.stageDefinitions, decisions: new DecisionQueue() };
    this.stageContext = { catalog: this.catalog, config: this.config };
    this.runner = new WorkRunner(
      this.catalog,
      this.stageOrder,
      this.config.indexing.concurrency,
      {
        ingest: (job) => this.runIngestJob(job),
        stage: (claim) => this.runStage(claim),
        drained: () => this.onDrained(),
        catalogAway: (error) => this.deferWhileCatalogAway(error),
        catalogBack: () => this.notice('info', `${this.catalog.serverName} is back; indexing goes on`),
      },
      this.config.workPollMs,
    );
    if (this.config.indexing.paused) this.runner.pause();
  }

  static async open(options: LibraryOptions): Promise<Library> {
    await makeDataDirPrivate(options.config.dataDir);
    await fs.promises.mkdir(path.join(options.config.dataDir, 'thumbnails'), { recursive: true });
    return new Library(options, await fs.promises.realpath(options.config.dataDir));
  }

  /** Requeues interrupted work, reconciles every folder with the disk, starts the watchers (if asked) and the queue. */
  async start(options: { watch?: boolean } = {}): Promise<void> {
    await this.catalog.requeueInterrupted();
    await this.catalog.ensureStages(await this.catalog.allImageIds(), this.stageDefinitions);
    this.watching = options.watch ?? false;
    for (const folder of await this.catalog.listFolderRows()) {
      const refusal = folder.managed === 1 ? null : await refusalOf(folder.path, this.dataDir);
      if (refusal) {
        // Added by a version that did not refuse it: nothing of it is scanned or watched any more.
        this.notice('warn', `Library folder ${refusal}. Remove it from the library; nothing in it is scanned or watched.`);
        continue;
      }
      await this.catchUpWith(folder);
      if (this.watching) await this.startWatcher(folder);
    }
    this.runner.start();
    await this.runner.listening();
    // Claims on queued work hold for a lease; renewing it while this process lives keeps other indexers off it.
    this.leaseTimer = setInterval(() => void this.catalog.renewLeases().catch(() => {}), Math.max(250, Math.floor(this.catalog.leaseMs / 3)));
    this.leaseTimer.unref();
    this.scheduleEvents(true);
  }

  // ------------------------------------------------------------ folders

  /** `confirm` says yes to a folder that needs it (a disk root, a home directory's parent; see folder-rules.ts). */
  async addFolder(folderPath: string, options: { confirm?: boolean } = {}): Promise<FolderInfo> {
    const real = await this.validateFolder(folderPath);
    await checkLibraryFolder(real, { dataDir: this.dataDir, confirm: options.confirm ?? false });
    const folders = await this.catalog.listFolderRows();
    if (folders.some((f) => f.path === real)) {
      throw new GlimpseError('ALREADY_ADDED', `${real} is already in the library`, real);
    }
    const container = folders.find((f) => isInside(real, f.path));
    if (container) {
      throw new GlimpseError('NESTED_FOLDER', `${real} is inside the library folder ${container.path}, which already includes it`, real);
    }
    const row = await this.catalog.insertFolder(real);
    // A parent of existing folders takes them over: their photos keep their ids and everything derived.
    const absorbed = folders.filter((f) => f.managed === 0 && isInside(f.path, real));
    for (const child of absorbed) await this.stopWatcher(child.id);
    // Between two identity decisions, so a file being hashed for a child folder is recorded under the parent.
    await this.identity.decisions.run(() => this.catalog.mergeFoldersInto(absorbed.map((f) => f.id), row.id));
    await this.catchUpWith(row);
    if (this.watching) await this.startWatcher(row);
    this.foldersChanged = true;
    this.scheduleEvents();
    this.runner.announce();
    return this.folderInfo(row);
  }

  async removeFolder(id: number): Promise<{ removedPhotos: number }> {
    const folder = await this.requireFolder(id);
    await this.stopWatcher(id);
    // A photo with a copy in another library folder stays in the library: the copy takes over its row.
    const kept = await this.identity.decisions.run(async () => {
      const handedOver = new Set<number>();
      for (const imageId of await this.catalog.imagesWithCopiesOutside(id)) {
        const image = await this.catalog.getImage(imageId);
        if (image && (await handOverToCopy(this.identity, image, id))) handedOver.add(imageId);
      }
      return handedOver;
    });
    const images = (await this.catalog.knownFiles(id)).images.filter((i) => !kept.has(i.id));
    const ids = images.map((i) => i.id);
    if (ids.length > 0) await this.options.onPhotosRemoved?.(ids);
    await this.catalog.deleteFolder(folder.id);
    await Promise.all(images.map((i) => removeThumbnails(this.config.dataDir, i.hash)));
    for (const removedId of ids) this.changes.removed.add(removedId);
    for (const keptId of kept) this.changes.updated.add(keptId);
    this.foldersChanged = true;
    this.scheduleEvents();
    return { removedPhotos: ids.length };
  }

  /** Scans the folder again and gives its failed files another try. */
  async rescanFolder(id: number): Promise<FolderInfo> {
    const folder = await this.requireFolder(id);
    await this.catalog.retryFailed(id);
    await this.catchUpWith(folder);
    this.foldersChanged = true;
    this.scheduleEvents();
    this.runner.announce();
    return this.folderInfo(folder);
  }

  async listFolders(): Promise<FolderInfo[]> {
    return this.catalog.listFolders();
  }

  /** CLI `index`: adds the folder when new (an added one, or one inside an added one, is rescanned), waits for pass 1. */
  async indexFolder(folderPath: string, options: { confirm?: boolean } = {}): Promise<ImportResult> {
    const real = await this.validateFolder(folderPath);
    const folders = await this.catalog.listFolderRows();
    const known = folders.find((f) => f.path === real || isInside(real, f.path));
    // A folder already in the library was confirmed when it was added.
    await checkLibraryFolder(real, { dataDir: this.dataDir, confirm: Boolean(options.confirm) || known !== undefined });
    if (known) await this.rescanFolder(known.id);
    else await this.addFolder(real, { confirm: true });
    await this.waitForIdle(1);
    const under = await this.catalog.pathsUnder(real.endsWith(path.sep) ? real : real + path.sep);
    return {
      indexed: under.images.filter((i) => i.status === 'ready').length,
      duplicates: under.duplicates.length,
      failed: under.failed,
    };
  }

  // ------------------------------------------------------------ import and delete

  /** Copies files into the managed "Imported" folder and indexes them; resolves when their pass 1 is done. */
  async importFiles(paths: string[]): Promise<ImportResult> {
    const managed = await this.managedFolder();
    const failed: FileFailure[] = [];
    let duplicates = 0;
    const copies: Array<{ source: string; copy: string }> = [];
    const seen = new Set<string>();
    for (const given of paths) {
      const source = path.resolve(given);
      try {
        if (!isPhotoPath(source)) {
          throw new PhotoFileError(
            `not a photo Glimpse can import (${path.extname(source) || 'no extension'}); it takes ${[...PHOTO_EXTENSIONS].join(' ')}`,
          );
        }
        const { hash } = await hashFile(source);
        if (seen.has(hash) || (await this.catalog.getImageByHash(hash))) {
          duplicates++;
          continue;
        }
        seen.add(hash);
        const copy = await copyWithoutOverwriting(source, managed.path);
        copies.push({ source, copy });
      } catch (error) {
        failed.push({ path: source, error: describeFileFailure(error) });
      }
    }
    await this.catalog.enqueueIngest(managed.id, copies.map((c) => c.copy));
    this.runner.announce();
    await this.waitForIdle(1);
    let indexed = 0;
    const inputOrder = new Map(paths.map((p, i) => [path.resolve(p), i]));
    for (const { source, copy } of copies) {
      const image = await this.catalog.getImageByPath(copy);
      if (image?.status === 'ready') {
        indexed++;
        continue;
      }
      if (!image && (await this.catalog.getDuplicateByPath(copy))) {
        duplicates++;
        continue;
      }
      // A copy that cannot be indexed is not kept: the import failed and the original is untouched.
      const failure = (await this.catalog.pathsUnder(copy)).failed.find((f) => f.path === copy);
      failed.push({ path: source, error: failure?.error ?? image?.error ?? 'it could not be indexed' });
      if (image) await this.catalog.deleteImages([image.id]);
      await this.catalog.forgetJobsForPath(copy);
      await fs.promises.rm(copy, { force: true });
    }
    this.foldersChanged = true;
    this.scheduleEvents();
    failed.sort((a, b) => (inputOrder.get(a.path) ?? 0) - (inputOrder.get(b.path) ?? 0));
    return { indexed, duplicates, failed };
  }

  /**
   * Removes photos from the library. With `moveToTrash` the file goes to the OS trash (restoring it brings the photo
   * back); without, the file stays on disk and is remembered as removed, so scans skip it until its bytes change.
   * Byte-identical copies are never trashed (the person did not see them), only remembered as removed.
   */
  async deletePhotos(ids: number[], moveToTrash: boolean): Promise<DeleteResult> {
    const failed: FileFailure[] = [];
    const removed: number[] = [];
    const hashes: string[] = [];
    let trashed = 0;
    for (const id of [...new Set(ids)]) {
      const image = await this.catalog.getImage(id);
      if (!image) {
        failed.push({ path: `#${id}`, error: 'no photo with this id in the library' });
        continue;
      }
      const exclusions = (await this.catalog.duplicatesOf(id)).map((d) => ({ path: d.path, size_bytes: d.size_bytes, mtime_ms: d.mtime_ms }));
      if (moveToTrash) {
        try {
          if (fs.existsSync(image.path)) {
            await trash(image.path, { glob: false });
            trashed++;
          }
        } catch (error) {
          failed.push({ path: image.path, error: `could not move it to the trash: ${describeError(error)}` });
          continue;
        }
      } else {
        exclusions.push({ path: image.path, size_bytes: image.size_bytes, mtime_ms: image.mtime_ms });
      }
      await this.catalog.excludeRemovedFiles(exclusions);
      removed.push(id);
      hashes.push(image.hash);
    }
    if (removed.length > 0) {
      await this.options.onPhotosRemoved?.(removed);
      await this.catalog.deleteImages(removed);
      await Promise.all(hashes.map((h) => removeThumbnails(this.config.dataDir, h)));
      for (const id of removed) this.changes.removed.add(id);
      this.foldersChanged = true;
      this.scheduleEvents();
    }
    return { removed: removed.length, trashed, failed };
  }

  // ------------------------------------------------------------ queue

  async jobStatus(): Promise<JobStatus> {
    const [folders, counts, stageCounts] = await Promise.all([
      this.catalog.listFolderRows(),
      this.catalog.folderCounts(),
      this.catalog.stageCounts(),
    ]);
    const overall = { total: 0, done: 0, failed: 0, pending: 0 };
    const folderProgress: FolderProgress[] = [];
    for (const folder of folders) {
      const c = counts.get(folder.id) ?? { total: 0, ready: 0, pending: 0, failed: 0, duplicates: 0 };
      const numbers = { total: c.total, done: c.ready, failed: c.failed, pending: c.pending };
      overall.total += c.total;
      overall.done += c.ready;
      overall.failed += c.failed;
      overall.pending += c.pending;
      const failures = c.failed > 0 ? (await this.catalog.failedFiles(folder.id)).slice(0, FAILURES_PER_FOLDER_EVENT) : [];
      folderProgress.push({ folderId: folder.id, path: folder.path, ...this.progress.folder(folder.id, numbers), failures });
    }
    const background = { total: 0, done: 0, failed: 0, pending: 0 };
    for (const row of stageCounts.filter((r) => r.pass === 2)) {
      background.total += row.n;
      if (row.status === 'done' || row.status === 'skipped') background.done += row.n;
      else if (row.status === 'failed') background.failed += row.n;
      else background.pending += row.n;
    }
    return {
      paused: this.runner.isPaused,
      overall: this.progress.overall(overall),
      background: this.progress.background(background),
      folders: folderProgress,
    };
  }

  /** Work may be waiting in the catalog that another layer queued (e.g. photos sent back to a stage). */
  kick(): void {
    this.runner.announce();
  }

  pause(): void {
    this.runner.pause();
    this.scheduleEvents();
  }

  resume(): void {
    this.runner.resume();
    this.scheduleEvents();
  }

  /** Resolves when no file waits for hashing and no stage of pass ≤ `pass` is open (waits while paused). */
  async waitForIdle(pass: 1 | 2 = 1): Promise<void> {
    const holdsBefore = this.lastingHold.count;
    for (;;) {
      if (this.closed) return;
      if (this.lastingHold.count > holdsBefore) {
        throw new GlimpseError('BACKEND_UNAVAILABLE', `${this.lastingHold.cause}; indexing waits until that is fixed (the photos stay catalogued)`);
      }
      try {
        const [jobs, stages] = await Promise.all([this.catalog.openIngestJobCount(), this.catalog.openStageCount(pass)]);
        if (jobs === 0 && stages === 0 && this.pendingMissing.size === 0 && this.catchUp.idle) {
          // Idle may be reached before the runner notices it drained: settle photos whose last stage ended elsewhere.
          for (const id of await this.catalog.markFinishedImagesReady()) this.changes.updated.add(id);
          return;
        }
      } catch (error) {
        // The import goes on once the server is back; the runner says it is away.
        if (!isCatalogServerAway(error)) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.catchUp.close();
    await Promise.all([...this.watchers.keys()].map((id) => this.stopWatcher(id)));
    await this.runner.stop();
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    if (this.missingTimer) clearTimeout(this.missingTimer);
    if (this.returnTimer) clearTimeout(this.returnTimer);
    if (this.eventTimer) clearTimeout(this.eventTimer);
    this.eventTimer = null;
    this.flushLibraryEvent();
  }

  // ------------------------------------------------------------ work

  private async runIngestJob(job: JobRow): Promise<void> {
    try {
      const outcome = await ingestFile(this.identity, job);
      await this.catalog.finishIngestJob(job.id);
      if (outcome.kind === 'new') this.changes.added.add(outcome.imageId);
      else if (outcome.kind === 'moved' || outcome.kind === 'changed') this.changes.updated.add(outcome.imageId);
      if (outcome.kind !== 'excluded') for (const id of outcome.updatedIds ?? []) this.changes.updated.add(id);
      if (outcome.removedIds.length > 0) await this.forgetPhotos(outcome.removedIds);
    } catch (error) {
      if (this.deferWhileCatalogAway(error)) {
        // Not the file's fault: the job runs again once the server is back (ingesting a file again is idempotent).
        await this.whenCatalogBack(() => this.catalog.releaseIngestJob(job.id));
        return;
      }
      await this.catalog.failIngestJob(job.id, describeFileFailure(error)).catch(() => undefined);
      this.progress.photoFinished(job.folder_id);
    }
    this.scheduleEvents();
  }

  /**
   * The catalog's server went away (restart, network drop): claiming waits with back-off, and the person is told which
   * server and why. Returns false for any other error.
   */
  private deferWhileCatalogAway(error: unknown): boolean {
    if (!isCatalogServerAway(error)) return false;
    this.runner.noteCatalogAway();
    const waitMs = this.runner.deferAfterFailure();
    this.notice(
      'warn',
      `${this.catalog.serverName} went away: ${catalogAwayCause(error)}; indexing waits ${Math.round(waitMs / 1000)} s and tries again (photos stay catalogued)`,
    );
    return true;
  }

  /** Runs `write` once the catalog's server answers again, trying with back-off while it is away (or until closing). */
  private async whenCatalogBack(write: () => Promise<void>): Promise<void> {
    for (let waitMs = 1_000; ; waitMs = Math.min(30_000, waitMs * 2)) {
      try {
        return await write();
      } catch (error) {
        if (!isCatalogServerAway(error) || this.closed) return;
      }
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  /** Runs one claimed stage; one cut off by the catalog's server going away goes back to the queue, its attempt uncounted. */
  private async runStage(claim: ClaimedStage): Promise<ClaimedStage | null> {
    try {
      return await this.runClaimedStage(claim);
    } catch (error) {
      if (!this.deferWhileCatalogAway(error)) throw error;
      // A stage whose finish committed before the reply was lost is no longer running, so this leaves it done.
      await this.whenCatalogBack(() => this.catalog.releaseStage(claim.imageId, claim.stage));
      return null;
    }
  }

  /** Runs one claimed stage and records the outcome; returns the photo's next stage when it could claim it. */
  private async runClaimedStage(claim: ClaimedStage): Promise<ClaimedStage | null> {
    const stage = this.stageByName.get(claim.stage);
    const image = await this.catalog.getImage(claim.imageId);
    if (!stage || !image) return null;
    try {
      if (claim.attempts > MAX_STAGE_ATTEMPTS) {
        throw new PhotoFileError(`gave up after ${MAX_STAGE_ATTEMPTS} attempts: Glimpse stopped every time it worked on this photo`);
      }
      const outcome = await stage.run(image, this.stageContext);
      this.runner.clearDeferral();
      const finished =
        typeof outcome === 'string'
          ? await this.catalog.finishStage(image.id, stage.name, outcome, null, image.hash)
          : await this.catalog.finishStageWithResult(image.id, stage.name, outcome.status, image.hash, outcome.write);
      if (!finished) {
        await this.discardStaleStage(image, stage.name);
        return null;
      }
      if (stage.pass === 2) this.progress.backgroundStageFinished();
      else if (await this.catalog.markReadyIfComplete(image.id)) {
        this.progress.photoFinished(image.folder_id);
        this.changes.updated.add(image.id);
      }
    } catch (error) {
      if (error instanceof StageDeferredError) {
        await this.catalog.releaseStage(image.id, stage.name);
        const waitMs = this.runner.deferAfterFailure();
        if (error.lasting) this.lastingHold = { cause: error.message, count: this.lastingHold.count + 1 };
        this.notice('warn', `${error.message}; indexing waits ${Math.round(waitMs / 1000)} s and tries again (photos stay catalogued)`);
        return null;
      }
      // The database being away is not the photo's fault: never record it as the photo failing.
      if (isCatalogServerAway(error)) throw error;
      const cause = await describePhotoFailure(error, image.path);
      if (stage.pass === 1) {
        if (await this.catalog.failImage(image.id, stage.name, cause, image.hash)) {
          this.progress.photoFinished(image.folder_id);
          this.changes.updated.add(image.id);
        } else await this.discardStaleStage(image, stage.name);
      } else if (await this.catalog.finishStage(image.id, stage.name, 'failed', cause, image.hash)) {
        this.progress.backgroundStageFinished();
      } else await this.discardStaleStage(image, stage.name);
      this.scheduleEvents();
      return null;
    }
    this.scheduleEvents();
    const next = await this.catalog.claimNextStageOf(image.id, this.stageOrder);
    // Pass-2 work waits until every photo has finished pass 1, so search works early.
    if (next && stage.pass === 1 && this.stageByName.get(next.stage)?.pass === 2) {
      await this.catalog.releaseStage(next.imageId, next.stage);
      return null;
    }
    return next;
  }

  /**
   * A stage finished on bytes the photo no longer has (edited, or removed, while it ran): it runs again on the new
   * bytes, and thumbnails it wrote for bytes no photo holds any more are deleted.
   */
  private async discardStaleStage(image: ImageRow, stageName: string): Promise<void> {
    await this.catalog.requeueStage(image.id, stageName);
    if (!(await this.catalog.getImageByHash(image.hash))) await removeThumbnails(this.config.dataDir, image.hash);
    this.runner.kick();
  }

  private async onDrained(): Promise<void> {
    for (const id of await this.catalog.markFinishedImagesReady()) this.changes.updated.add(id);
    await this.processMissing();
    this.foldersChanged = true;
    this.scheduleEvents();
  }

  // ------------------------------------------------------------ reconciliation and watching

  /** Brings one folder's rows in line with the disk: new and changed files are queued, missing ones settled. */
  private async reconcile(folder: FolderRow): Promise<void> {
    const stat = await fs.promises.stat(folder.path).catch(() => null);
    if (!stat?.isDirectory()) {
      // An unplugged drive must not empty the library: keep everything until the folder returns or is removed.
      this.reportedOffline.add(folder.path);
      this.armReturnCheck();
      this.notice('warn', `Library folder ${folder.path} is missing; its photos are kept until it comes back or you remove the folder`);
      return;
    }
    const scan = await scanFolder(folder.path, this.skippedPaths(folder.path));
    const known = await this.catalog.knownFiles(folder.id);
    const recorded = new Map<string, { size_bytes: number; mtime_ms: number }>();
    for (const row of [...known.images, ...known.duplicates]) recorded.set(row.path, row);
    const removed = new Map((await this.catalog.removedFilesUnder(folder.path + path.sep)).map((r) => [r.path, r]));
    const failedBefore = new Set(known.failedJobs);
    const onDisk = new Set<string>();
    const toIngest: string[] = [];
    for (const file of scan.files) {
      onDisk.add(file.path);
      const row = recorded.get(file.path);
      if (row && row.size_bytes === file.sizeBytes && Math.floor(row.mtime_ms) === file.mtimeMs) continue;
      const gone = removed.get(file.path);
      if (gone && gone.size_bytes === file.sizeBytes && Math.floor(gone.mtime_ms) === file.mtimeMs) continue;
      if (!row && failedBefore.has(file.path)) continue;
      toIngest.push(file.path);
    }
    for (const failure of scan.failures) {
      onDisk.add(failure.path);
      await this.catalog.recordFailedFile(folder.id, failure.path, failure.error);
    }
    await this.catalog.enqueueIngest(folder.id, toIngest);
    for (const filePath of recorded.keys()) if (!onDisk.has(filePath)) this.pendingMissing.set(filePath, 0);
    for (const filePath of failedBefore) if (!onDisk.has(filePath)) await this.catalog.forgetJobsForPath(filePath);
    this.armMissingTimer(0);
  }

  /** Reconciles the folder now or, when the catalog's server is away, once it answers again. */
  private catchUpWith(folder: FolderRow): Promise<void> {
    return this.catchUp.attempt(`folder ${folder.id}`, `catching up with ${folder.path}`, () => this.reconcileIfKept(folder.id));
  }

  /** A watcher's change met the server away: the folder is reconciled once it is back, which finds the change again. */
  private waitToCatchUp(folder: FolderRow, error: unknown): boolean {
    return this.catchUp.defer(`folder ${folder.id}`, `catching up with ${folder.path}`, error, () => this.reconcileIfKept(folder.id));
  }

  /** Reconciles the folder unless it left the library while it waited; what it queued is announced (a late run's too). */
  private async reconcileIfKept(folderId: number): Promise<void> {
    const folder = await this.catalog.getFolder(folderId);
    if (!folder) return;
    await this.reconcile(folder);
    this.foldersChanged = true;
    this.scheduleEvents();
    this.runner.announce();
  }

  private async startWatcher(folder: FolderRow): Promise<void> {
    if (this.watchers.has(folder.id)) return;
    const graceMs = this.config.writeSettleMs + 1_000;
    const watcher = new FolderWatcher(
      folder.path,
      { settleMs: this.config.writeSettleMs, skip: this.skippedPaths(folder.path) },
      {
        fileChanged: (filePath) => {
          this.pendingMissing.delete(filePath);
          this.catalog
            .enqueueIngest(folder.id, [filePath])
            .then(() => this.runner.announce())
            .catch((error: unknown) => this.waitToCatchUp(folder, error) || this.notice('error', `Could not queue ${filePath}: ${describeError(error)}`));
        },
        fileVanished: (filePath) => {
          this.pendingMissing.set(filePath, Date.now() + graceMs);
          this.armMissingTimer(graceMs);
        },
        folderVanished: (folderPath) => {
          this.catalog
            .pathsUnder(folderPath + path.sep)
            .then((under) => {
              const due = Date.now() + graceMs;
              for (const p of [...under.images.map((i) => i.path), ...under.duplicates]) this.pendingMissing.set(p, due);
              this.armMissingTimer(graceMs);
            })
            .catch((error: unknown) => this.waitToCatchUp(folder, error) || this.notice('error', describeError(error)));
        },
        error: (message) => this.notice('warn', message),
      },
    );
    this.watchers.set(folder.id, watcher);
    await watcher.whenReady();
  }

  private async stopWatcher(folderId: number): Promise<void> {
    const watcher = this.watchers.get(folderId);
    this.watchers.delete(folderId);
    await watcher?.close();
  }

  private armMissingTimer(delayMs: number): void {
    if (this.missingTimer || this.closed) return;
    this.missingTimer = setTimeout(() => {
      this.missingTimer = null;
      this.processMissing().catch(
        (error: unknown) =>
          this.catchUp.defer('removals', 'settling deleted files', error, () => this.processMissing()) || this.notice('error', describeError(error)),
      );
    }, delayMs + 50);
  }

  /**
   * Settles paths that vanished, once their grace period is over and no file waits for hashing: a move's new path
   * is hashed first and claims the row, so only files that are really gone are removed (or replaced by a copy).
   */
  private async processMissing(): Promise<void> {
    if (this.pendingMissing.size === 0 || this.closed) return;
    const now = Date.now();
    const due = [...this.pendingMissing].filter(([, at]) => at <= now).map(([p]) => p);
    // A scan waiting for the catalog's server may yet find a vanished file's new path (a rename seen while it was away).
    if (due.length === 0 || !this.catchUp.idle || (await this.catalog.openIngestJobCount()) > 0) {
      this.armMissingTimer(500);
      return;
    }
    const removedIds: number[] = [];
    const offline = await this.offlineFolders();
    for (const filePath of due) {
      // Left in pendingMissing until settled, so waitForIdle cannot return halfway.
      const root = offline.find((folderPath) => isInside(filePath, folderPath));
      if (root !== undefined) {
        // The whole library folder went (a drive unplugged, a share unmounted): keep its photos, as at start-up.
        this.pendingMissing.delete(filePath);
        continue;
      }
      if (!fs.existsSync(filePath)) {
        await this.identity.decisions.run(async () => {
          const image = await this.catalog.getImageByPath(filePath);
          if (image) {
            const removed = await settleLostFile(this.identity, image);
            if (removed === null) this.changes.updated.add(image.id);
            else removedIds.push(removed);
          }
          await this.catalog.deleteDuplicateByPath(filePath);
          await this.catalog.forgetJobsForPath(filePath);
        });
      }
      if (this.pendingMissing.get(filePath) === undefined || this.pendingMissing.get(filePath)! <= now) this.pendingMissing.delete(filePath);
    }
    if (removedIds.length > 0) await this.forgetPhotos(removedIds);
    this.foldersChanged = true;
    this.scheduleEvents();
    if (this.pendingMissing.size > 0) this.armMissingTimer(500);
  }

  /** Library folders that are no longer there as folders, each reported once while it stays away. */
  private async offlineFolders(): Promise<string[]> {
    const offline: string[] = [];
    for (const folder of await this.catalog.listFolderRows()) {
      const stat = await fs.promises.stat(folder.path).catch(() => null);
      if (stat?.isDirectory()) {
        this.reportedOffline.delete(folder.path);
        continue;
      }
      offline.push(folder.path);
      if (!this.reportedOffline.has(folder.path)) {
        this.reportedOffline.add(folder.path);
        this.notice('warn', `Library folder ${folder.path} is missing; its photos are kept until it comes back or you remove the folder`);
      }
    }
    this.armReturnCheck();
    return offline;
  }

  /** While a folder is missing, look for it now and then: when it is back, catch up with it and watch it again. */
  private armReturnCheck(): void {
    if (this.returnTimer || this.closed || this.reportedOffline.size === 0) return;
    this.returnTimer = setTimeout(() => {
      this.returnTimer = null;
      this.catchUpReturnedFolders().catch(
        (error: unknown) =>
          this.catchUp.defer('returned folders', 'looking for library folders that came back', error, () => this.catchUpReturnedFolders()) ||
          this.notice('error', describeError(error)),
      );
    }, OFFLINE_POLL_MS);
  }

  private async catchUpReturnedFolders(): Promise<void> {
    for (const folder of await this.catalog.listFolderRows()) {
      if (this.closed || !this.reportedOffline.has(folder.path)) continue;
      const stat = await fs.promises.stat(folder.path).catch(() => null);
      if (!stat?.isDirectory()) continue;
      this.reportedOffline.delete(folder.path);
      this.notice('info', `Library folder ${folder.path} is back`);
      // The old watcher saw its folder go and watches nothing any more.
      await this.stopWatcher(folder.id);
      await this.catchUpWith(folder);
      if (this.watching && !this.closed) await this.startWatcher(folder);
      this.foldersChanged = true;
      this.runner.announce();
    }
    for (const offlinePath of this.reportedOffline) {
      if (!(await this.catalog.getFolderByPath(offlinePath))) this.reportedOffline.delete(offlinePath);
    }
    this.armReturnCheck();
  }

  /** Photos whose rows are already gone: tell the stores that hold derived data, and the UI. */
  private async forgetPhotos(ids: number[]): Promise<void> {
    await this.options.onPhotosRemoved?.(ids);
    for (const id of ids) this.changes.removed.add(id);
  }

  // ------------------------------------------------------------ helpers

  private async validateFolder(folderPath: string): Promise<string> {
    const absolute = path.resolve(folderPath);
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') throw new GlimpseError('PERMISSION_DENIED', `Glimpse is not allowed to open ${absolute}`, absolute);
      throw new GlimpseError('NOT_FOUND', `Folder not found: ${absolute}`, absolute);
    }
    if (!stat.isDirectory()) throw new GlimpseError('NOT_A_DIRECTORY', `${absolute} is a file, not a folder`, absolute);
    const real = await fs.promises.realpath(absolute);
    try {
      await fs.promises.access(real, fs.constants.R_OK | fs.constants.X_OK);
      await fs.promises.readdir(real);
    } catch {
      throw new GlimpseError('PERMISSION_DENIED', `Glimpse is not allowed to read the folder ${real}`, real);
    }
    return real;
  }

  private async requireFolder(id: number): Promise<FolderRow> {
    const folder = await this.catalog.getFolder(id);
    if (!folder) throw new GlimpseError('NOT_FOUND', `No library folder with id ${id}`, String(id));
    return folder;
  }

  private async folderInfo(row: FolderRow): Promise<FolderInfo> {
    return this.catalog.toFolderInfo(row, (await this.catalog.folderCounts()).get(row.id));
  }

  /**
   * The data dir (thumbnails, catalog, imported copies) is never scanned as photos, even when a library folder
   * contains it; only the managed Imported folder lives inside it on purpose.
   */
  private skippedPaths(folderPath: string): string[] {
    return isInside(folderPath, this.dataDir) ? [path.join(this.dataDir, 'thumbnails')] : [this.dataDir];
  }

  private async managedFolder(): Promise<FolderRow> {
    const dir = path.join(path.resolve(this.config.dataDir), MANAGED_FOLDER_NAME);
    await fs.promises.mkdir(dir, { recursive: true });
    const real = await fs.promises.realpath(dir);
    const existing = (await this.catalog.listFolderRows()).find((f) => f.managed === 1);
    if (existing) return existing;
    const row = await this.catalog.insertFolder(real, true);
    if (this.watching) await this.startWatcher(row);
    this.foldersChanged = true;
    return row;
  }

  private notice(level: 'info' | 'warn' | 'error', message: string): void {
    this.emit({ type: 'notice', level, message });
  }

  private emit(event: GlimpseEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A listener's bug must not stop indexing.
    }
  }

  /** Coalesces library changes and progress into at most one burst of events every 250 ms. */
  private scheduleEvents(immediate = false): void {
    if (this.eventTimer || this.closed || !this.options.onEvent) return;
    this.eventTimer = setTimeout(() => {
      this.eventTimer = null;
      void this.flushEvents();
    }, immediate ? 0 : EVENT_INTERVAL_MS);
  }

  private flushLibraryEvent(): void {
    const { added, updated, removed } = this.changes;
    if (added.size + updated.size + removed.size === 0) return;
    for (const id of removed) {
      added.delete(id);
      updated.delete(id);
    }
    for (const id of added) updated.delete(id);
    this.emit({ type: 'library', added: [...added], updated: [...updated], removed: [...removed] });
    added.clear();
    updated.clear();
    removed.clear();
  }

  private async flushEvents(): Promise<void> {
    const foldersChanged = this.foldersChanged;
    try {
      this.flushLibraryEvent();
      this.emit({ type: 'progress', status: await this.jobStatus() });
      if (foldersChanged) {
        this.foldersChanged = false;
        this.emit({ type: 'folders', folders: await this.catalog.listFolders() });
      }
    } catch (error) {
      // A server that is away is told of once, by the queue or the catch-up; the folders go out with the next update.
      if (isCatalogServerAway(error)) this.foldersChanged ||= foldersChanged;
      else if (!this.closed) this.notice('error', `Progress update failed: ${describeError(error)}`);
    }
  }
}
