// The photo catalog: folders, photos, byte-identical copies, the persistent job queue and per-photo stages.
// Every read and write of catalog rows goes through here, for both SQLite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import { type ExpressionBuilder, type Kysely, type Transaction, sql } from 'kysely';
import type {
  FileFailure,
  FolderInfo,
  GalleryPage,
  GalleryRequest,
  PhotoDetails,
  PhotoSummary,
  SearchFilters,
} from '../../src-preload/api';
import type { CatalogDatabase } from './database';
import type { CatalogSchema, FolderRow, ImageRow, ImageStageRow, ImageUpdate, JobRow, NewImage } from './schema';
import { takenBounds } from './taken-range';

export const nowIso = (): string => new Date().toISOString();

export interface StageDefinition {
  name: string;
  pass: 1 | 2;
  /** What the stage's output depends on (e.g. a model id); a change marks done rows as pending again. */
  version: string | null;
}

export interface ClaimedStage {
  imageId: number;
  stage: string;
  attempts: number;
}

export interface FolderCounts {
  total: number;
  ready: number;
  pending: number;
  failed: number;
  duplicates: number;
}

export function toPhotoSummary(row: ImageRow): PhotoSummary {
  return {
    id: row.id,
    path: row.path,
    folderId: row.folder_id,
    width: row.width,
    height: row.height,
    takenAt: row.taken_at,
    addedAt: row.added_at,
    status: row.status,
  };
}

export interface CatalogOptions {
  /** How long a claim on queued work holds without renewal (Library renews it while the work runs). */
  leaseMs?: number;
}

export const DEFAULT_WORK_LEASE_MS = 60_000;

export class Catalog {
  readonly db: Kysely<CatalogSchema>;
  /** Names this process's claims on queued work, so several indexers can share one PostgreSQL catalog. */
  readonly workerId = randomUUID();
  readonly leaseMs: number;

  constructor(
    private readonly database: CatalogDatabase,
    options: CatalogOptions = {},
  ) {
    this.db = database.db;
    this.leaseMs = options.leaseMs ?? DEFAULT_WORK_LEASE_MS;
  }

  /** The lease columns of a fresh claim by this process. */
  private lease() {
    return { lease_owner: this.workerId, lease_until: new Date(Date.now() + this.leaseMs).toISOString() };
  }

  /**
   * Work that may be claimed: pending, or — on PostgreSQL, where other processes may have claimed it — running under a
   * lease that ran out (its process died). SQLite has one indexer (the data-dir lock), which requeues at start instead.
   */
  private claimable(eb: ExpressionBuilder<CatalogSchema, 'jobs' | 'image_stages'>) {
    const pending = eb('status', '=', 'pending');
    if (this.dialect !== 'postgres') return pending;
    return eb.or([pending, eb.and([eb('status', '=', 'running'), eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso())])])]);
  }

  /** Keeps this process's claims alive while it works on them. */
  async renewLeases(): Promise<void> {
    const until = new Date(Date.now() + this.leaseMs).toISOString();
    await this.db.updateTable('jobs').set({ lease_until: until }).where('lease_owner', '=', this.workerId).where('status', '=', 'running').execute();
    await this.db
      .updateTable('image_stages')
      .set({ lease_until: until })
      .where('lease_owner', '=', this.workerId)
      .where('status', '=', 'running')
      .execute();
  }

  get dialect() {
    return this.database.dialect;
  }

  get location() {
    return this.database.location;
  }

  /** What to call the catalog's server in a message that it is away: `PostgreSQL at host:port/database`. */
  get serverName() {
    return this.database.server ? `PostgreSQL at ${this.database.server}` : `the catalog at ${this.database.location}`;
  }

  /** Wakes other indexers of a shared catalog when this process queues work (PostgreSQL); null on SQLite. */
  get workSignals() {
    return this.database.workSignals ?? null;
  }

  transaction<T>(work: (trx: Transaction<CatalogSchema>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  close(): Promise<void> {
    return this.database.close();
  }

  // ------------------------------------------------------------ folders

  async listFolderRows(): Promise<FolderRow[]> {
    return this.db.selectFrom('folders').selectAll().orderBy('path').execute();
  }

  async getFolder(id: number): Promise<FolderRow | undefined> {
    return this.db.selectFrom('folders').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async getFolderByPath(folderPath: string): Promise<FolderRow | undefined> {
    return this.db.selectFrom('folders').selectAll().where('path', '=', folderPath).executeTakeFirst();
  }

  async insertFolder(folderPath: string, managed = false): Promise<FolderRow> {
    return this.db
      .insertInto('folders')
      .values({ path: folderPath, added_at: nowIso(), managed: managed ? 1 : 0 })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Removes the folder and, through cascades, its photos, copies, jobs and stages. Returns the removed photo ids. */
  async deleteFolder(id: number): Promise<number[]> {
    return this.transaction(async (trx) => {
      const ids = (await trx.selectFrom('images').select('id').where('folder_id', '=', id).execute()).map((r) => r.id);
      await trx.deleteFrom('folders').where('id', '=', id).execute();
      return ids;
    });
  }

  /** Moves every row of `fromIds` into folder `to` (adding a parent of existing folders absorbs them). */
  async mergeFoldersInto(fromIds: number[], to: number): Promise<void> {
    if (fromIds.length === 0) return;
    await this.transaction(async (trx) => {
      await trx.updateTable('images').set({ folder_id: to }).where('folder_id', 'in', fromIds).execute();
      await trx.updateTable('duplicate_files').set({ folder_id: to }).where('folder_id', 'in', fromIds).execute();
      await trx.updateTable('jobs').set({ folder_id: to }).where('folder_id', 'in', fromIds).execute();
      await trx.deleteFrom('folders').where('id', 'in', fromIds).execute();
    });
  }

  async folderCounts(): Promise<Map<number, FolderCounts>> {
    const counts = new Map<number, FolderCounts>();
    const get = (id: number) => {
      let c = counts.get(id);
      if (!c) counts.set(id, (c = { total: 0, ready: 0, pending: 0, failed: 0, duplicates: 0 }));
      return c;
    };
    const images = await this.db
      .selectFrom('images')
      .select(['folder_id', 'status', sql<number>`count(*)`.as('n')])
      .groupBy(['folder_id', 'status'])
      .execute();
    for (const row of images) {
      const c = get(row.folder_id);
      c[row.status] += Number(row.n);
      c.total += Number(row.n);
    }
    // Files that never got an identity (unreadable, vanished, not an image) count as failed photos of their folder;
    // pending ingest jobs are photos still to come.
    const jobs = await this.db
      .selectFrom('jobs')
      .select(['folder_id', 'status', sql<number>`count(*)`.as('n')])
      .where('status', 'in', ['pending', 'running', 'failed'])
      .groupBy(['folder_id', 'status'])
      .execute();
    for (const row of jobs) {
      const c = get(row.folder_id);
      if (row.status === 'failed') c.failed += Number(row.n);
      else c.pending += Number(row.n);
      c.total += Number(row.n);
    }
    const dups = await this.db
      .selectFrom('duplicate_files')
      .select(['folder_id', sql<number>`count(*)`.as('n')])
      .groupBy('folder_id')
      .execute();
    for (const row of dups) get(row.folder_id).duplicates += Number(row.n);
    return counts;
  }

  async listFolders(): Promise<FolderInfo[]> {
    const [rows, counts] = await Promise.all([this.listFolderRows(), this.folderCounts()]);
    return rows.map((row) => this.toFolderInfo(row, counts.get(row.id)));
  }

  toFolderInfo(row: FolderRow, counts?: FolderCounts): FolderInfo {
    const c = counts ?? { total: 0, ready: 0, pending: 0, failed: 0, duplicates: 0 };
    return { id: row.id, path: row.path, addedAt: row.added_at, managed: row.managed === 1, ...c };
  }

  // ------------------------------------------------------------ photos

  async getImage(id: number): Promise<ImageRow | undefined> {
    return this.db.selectFrom('images').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async getImageByHash(hash: string): Promise<ImageRow | undefined> {
    return this.db.selectFrom('images').selectAll().where('hash', '=', hash).executeTakeFirst();
  }

  async getImageByPath(filePath: string): Promise<ImageRow | undefined> {
    return this.db.selectFrom('images').selectAll().where('path', '=', filePath).executeTakeFirst();
  }

  async insertImage(image: Omit<NewImage, 'added_at' | 'updated_at' | 'status'>): Promise<ImageRow> {
    const now = nowIso();
    return this.db
      .insertInto('images')
      .values({ ...image, added_at: now, updated_at: now, status: 'pending' })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async updateImage(id: number, update: ImageUpdate): Promise<void> {
    await this.db
      .updateTable('images')
      .set({ ...update, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
  }

  async deleteImages(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.deleteFrom('images').where('id', 'in', ids).execute();
  }

  async photos(ids: number[]): Promise<Map<number, PhotoSummary>> {
    const out = new Map<number, PhotoSummary>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('images')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const row of rows) out.set(row.id, toPhotoSummary(row));
    }
    return out;
  }

  /** Ids passing the filters, or null when there are no filters (every photo passes). */
  async idsMatching(filters: SearchFilters): Promise<Set<number> | null> {
    if (filters.folderId === undefined && !filters.from && !filters.to) return null;
    let query = this.db.selectFrom('images').select('id');
    if (filters.folderId !== undefined) query = query.where('folder_id', '=', filters.folderId);
    const when = sql<string>`coalesce(taken_at, added_at)`;
    const { from, to } = takenBounds(filters);
    if (from) query = query.where(when, '>=', from);
    if (to) query = query.where(when, '<=', to);
    return new Set((await query.execute()).map((r) => r.id));
  }

  async gallery(request: Required<Omit<GalleryRequest, 'folderId'>> & { folderId?: number }): Promise<GalleryPage> {
    const { page, pageSize, sort, order, folderId } = request;
    // Files that failed to decode are listed with their reasons per folder, not shown as photos.
    let base = this.db.selectFrom('images').where('status', '!=', 'failed');
    if (folderId !== undefined) base = base.where('folder_id', '=', folderId);
    const total = Number((await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const key = sort === 'taken' ? sql`coalesce(taken_at, added_at)` : sql`added_at`;
    const rows = await base
      .selectAll()
      .orderBy(key, order)
      .orderBy('id', order)
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { items: rows.map(toPhotoSummary), total, page, pageSize };
  }

  async photoDetails(id: number): Promise<PhotoDetails | undefined> {
    const row = await this.getImage(id);
    if (!row) return undefined;
    const [copies, stages] = await Promise.all([
      this.db.selectFrom('duplicate_files').select('path').where('image_id', '=', id).orderBy('path').execute(),
      this.db.selectFrom('image_stages').select(['stage', 'status']).where('image_id', '=', id).execute(),
    ]);
    return {
      ...toPhotoSummary(row),
      hash: row.hash,
      sizeBytes: row.size_bytes,
      mtime: new Date(row.mtime_ms).toISOString(),
      format: row.format,
      exif: {
        cameraMake: row.camera_make,
        cameraModel: row.camera_model,
        lens: row.lens,
        focalLength: row.focal_length,
        fNumber: row.f_number,
        exposureTime: row.exposure_time,
        iso: row.iso,
        gpsLatitude: row.gps_latitude,
        gpsLongitude: row.gps_longitude,
        orientation: row.orientation,
      },
      error: row.error,
      duplicatePaths: copies.map((c) => c.path),
      caption: row.caption,
      stages: Object.fromEntries(
        stages.map((s) => [s.stage, s.status === 'running' ? 'pending' : s.status]),
      ) as PhotoDetails['stages'],
    };
  }

  // ------------------------------------------------------------ byte-identical copies

  async addDuplicateFile(imageId: number, folderId: number, filePath: string, sizeBytes: number, mtimeMs: number) {
    await this.db
      .insertInto('duplicate_files')
      .values({ image_id: imageId, folder_id: folderId, path: filePath, size_bytes: sizeBytes, mtime_ms: mtimeMs })
      .onConflict((oc) => oc.column('path').doUpdateSet({ image_id: imageId, folder_id: folderId, size_bytes: sizeBytes, mtime_ms: mtimeMs }))
      .execute();
  }

  async getDuplicateByPath(filePath: string) {
    return this.db.selectFrom('duplicate_files').selectAll().where('path', '=', filePath).executeTakeFirst();
  }

  async duplicatesOf(imageId: number) {
    return this.db.selectFrom('duplicate_files').selectAll().where('image_id', '=', imageId).orderBy('path').execute();
  }

  /** Photos of a folder that have a byte-identical copy recorded in another folder. */
  async imagesWithCopiesOutside(folderId: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('images')
      .innerJoin('duplicate_files', 'duplicate_files.image_id', 'images.id')
      .select('images.id')
      .distinct()
      .where('images.folder_id', '=', folderId)
      .where('duplicate_files.folder_id', '!=', folderId)
      .orderBy('images.id')
      .execute();
    return rows.map((r) => r.id);
  }

  async deleteDuplicateByPath(filePath: string): Promise<void> {
    await this.db.deleteFrom('duplicate_files').where('path', '=', filePath).execute();
  }

  /** Groups of byte-identical files: each photo with at least one recorded copy. */
  async exactDuplicateGroups(): Promise<Array<{ photo: PhotoSummary; copies: string[] }>> {
    const rows = await this.db
      .selectFrom('duplicate_files')
      .innerJoin('images', 'images.id', 'duplicate_files.image_id')
      .selectAll('images')
      .select('duplicate_files.path as copy_path')
      .orderBy('images.id')
      .execute();
    const groups = new Map<number, { photo: PhotoSummary; copies: string[] }>();
    for (const row of rows) {
      const group = groups.get(row.id) ?? { photo: toPhotoSummary(row), copies: [] };
      group.copies.push(row.copy_path);
      groups.set(row.id, group);
    }
    return [...groups.values()];
  }

  // ------------------------------------------------------------ ingest jobs

  async enqueueIngest(folderId: number, paths: string[]): Promise<void> {
    const now = nowIso();
    for (let i = 0; i < paths.length; i += 200) {
      await this.db
        .insertInto('jobs')
        .values(
          paths.slice(i, i + 200).map((p) => ({
            kind: 'ingest' as const,
            folder_id: folderId,
            path: p,
            status: 'pending' as const,
            attempts: 0,
            created_at: now,
            updated_at: now,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['kind', 'path']).doUpdateSet({ status: 'pending', folder_id: folderId, error: null, attempts: 0, updated_at: now }),
        )
        .execute();
    }
  }

  /** Marks up to `limit` pending ingest jobs running and returns them, oldest first. */
  async claimIngestJobs(limit: number): Promise<JobRow[]> {
    return this.transaction(async (trx) => {
      let select = trx
        .selectFrom('jobs')
        .selectAll()
        .where((eb) => this.claimable(eb))
        .orderBy('id')
        .limit(limit);
      // Another indexer's claim in progress is skipped rather than waited for (PostgreSQL only).
      if (this.dialect === 'postgres') select = select.forUpdate().skipLocked();
      const jobs = await select.execute();
      if (jobs.length === 0) return [];
      await trx
        .updateTable('jobs')
        .set({ status: 'running', attempts: sql`attempts + 1`, updated_at: nowIso(), ...this.lease() })
        .where('id', 'in', jobs.map((j) => j.id))
        .execute();
      return jobs.map((j) => ({ ...j, status: 'running' as const, attempts: j.attempts + 1 }));
    });
  }

  /** Only a job still running is closed: one queued again meanwhile (the file changed while hashed) must run again. */
  async finishIngestJob(id: number): Promise<void> {
    await this.db.deleteFrom('jobs').where('id', '=', id).where('status', '=', 'running').execute();
  }

  /**
   * Puts back, without counting an attempt, every job and stage this process holds: called only when it runs nothing, so
   * any it holds are claims made as the connection to the server broke, whose replies never came.
   */
  async releaseOwnClaims(): Promise<void> {
    for (const table of ['jobs', 'image_stages'] as const) {
      await this.db
        .updateTable(table)
        .set({ status: 'pending', attempts: sql`case when attempts > 0 then attempts - 1 else 0 end`, updated_at: nowIso() })
        .where('status', '=', 'running')
        .where('lease_owner', '=', this.workerId)
        .execute();
    }
  }

  /** Puts a claimed job back without counting the attempt (the catalog was away while it ran), if this process still holds it. */
  async releaseIngestJob(id: number): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ status: 'pending', attempts: sql`case when attempts > 0 then attempts - 1 else 0 end`, updated_at: nowIso() })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('lease_owner', '=', this.workerId)
      .execute();
  }

  async failIngestJob(id: number, error: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ status: 'failed', error, updated_at: nowIso() })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  }

  /** The folder an ingest job belongs to now (a parent folder added meanwhile takes its children's jobs). */
  async ingestJobFolder(jobId: number): Promise<number | undefined> {
    return (await this.db.selectFrom('jobs').select('folder_id').where('id', '=', jobId).executeTakeFirst())?.folder_id;
  }

  async forgetJobsForPath(filePath: string): Promise<void> {
    await this.db.deleteFrom('jobs').where('path', '=', filePath).execute();
  }

  async failedFiles(folderId?: number): Promise<FileFailure[]> {
    let jobs = this.db.selectFrom('jobs').select(['path', 'error']).where('status', '=', 'failed');
    let images = this.db.selectFrom('images').select(['path', 'error']).where('status', '=', 'failed');
    if (folderId !== undefined) {
      jobs = jobs.where('folder_id', '=', folderId);
      images = images.where('folder_id', '=', folderId);
    }
    const rows = [...(await jobs.execute()), ...(await images.execute())];
    return rows.map((r) => ({ path: r.path, error: r.error ?? 'unknown error' })).sort((a, b) => a.path.localeCompare(b.path));
  }

  // ------------------------------------------------------------ stages

  /** Creates the stage rows a photo still needs; rows whose version changed go back to pending. */
  async ensureStages(imageIds: number[], stages: StageDefinition[]): Promise<void> {
    if (imageIds.length === 0 || stages.length === 0) return;
    const now = nowIso();
    for (const stage of stages) {
      for (let i = 0; i < imageIds.length; i += 300) {
        await this.db
          .insertInto('image_stages')
          .values(
            imageIds.slice(i, i + 300).map((imageId) => ({
              image_id: imageId,
              stage: stage.name,
              pass: stage.pass,
              status: 'pending' as const,
              version: stage.version,
              attempts: 0,
              updated_at: now,
            })),
          )
          .onConflict((oc) => oc.columns(['image_id', 'stage']).doNothing())
          .execute();
      }
      await this.db
        .updateTable('image_stages')
        .set({ status: 'pending', version: stage.version, attempts: 0, error: null, updated_at: now })
        .where('stage', '=', stage.name)
        .where((eb) =>
          stage.version === null ? eb('version', 'is not', null) : eb.or([eb('version', 'is', null), eb('version', '!=', stage.version)]),
        )
        .execute();
    }
  }

  /** Sends every stage of a photo back to pending (its bytes changed). */
  async resetStages(imageId: number): Promise<void> {
    await this.db
      .updateTable('image_stages')
      .set({ status: 'pending', attempts: 0, error: null, updated_at: nowIso() })
      .where('image_id', '=', imageId)
      .execute();
  }

  /**
   * Claims up to `limit` pending stage rows of the lowest pass that has work, in stage order for each photo:
   * a stage is claimable only when every earlier stage (in `order`) of the same photo is done or skipped.
   */
  async claimStages(order: string[], limit: number): Promise<ClaimedStage[]> {
    return this.transaction(async (trx) => {
      let select = trx
        .selectFrom('image_stages')
        .select(['image_id', 'stage', 'attempts', 'pass'])
        .where((eb) => this.claimable(eb))
        .orderBy('pass')
        .orderBy('image_id')
        .limit(limit * 8);
      if (this.dialect === 'postgres') select = select.forUpdate().skipLocked();
      const candidates = await select.execute();
      if (candidates.length === 0) return [];
      const imageIds = [...new Set(candidates.map((c) => c.image_id))];
      const blocking = await trx
        .selectFrom('image_stages')
        .select(['image_id', 'stage'])
        .where('image_id', 'in', imageIds)
        .where('status', 'in', ['pending', 'running', 'failed'])
        .execute();
      const openByImage = new Map<number, Set<string>>();
      for (const row of blocking) {
        const set = openByImage.get(row.image_id) ?? new Set<string>();
        set.add(row.stage);
        openByImage.set(row.image_id, set);
      }
      const claimed: ClaimedStage[] = [];
      const busyImages = new Set<number>();
      for (const c of candidates) {
        if (claimed.length >= limit) break;
        if (busyImages.has(c.image_id)) continue;
        const open = openByImage.get(c.image_id) ?? new Set<string>();
        const position = order.indexOf(c.stage);
        const earlierOpen = order.slice(0, position).some((s) => open.has(s));
        if (position < 0 || earlierOpen) continue;
        claimed.push({ imageId: c.image_id, stage: c.stage, attempts: c.attempts + 1 });
        busyImages.add(c.image_id);
      }
      for (const c of claimed) {
        await trx
          .updateTable('image_stages')
          .set({ status: 'running', attempts: c.attempts, updated_at: nowIso(), ...this.lease() })
          .where('image_id', '=', c.imageId)
          .where('stage', '=', c.stage)
          .execute();
      }
      return claimed;
    });
  }

  /**
   * Claims the next stage of one photo (the first open one in `order`) if it is pending and every earlier stage is
   * done or skipped, so a worker can carry a photo through its stages without going back to the queue.
   */
  async claimNextStageOf(imageId: number, order: string[]): Promise<ClaimedStage | null> {
    return this.transaction(async (trx) => {
      let select = trx.selectFrom('image_stages').select(['stage', 'status', 'attempts']).where('image_id', '=', imageId);
      if (this.dialect === 'postgres') select = select.forUpdate();
      const rows = await select.execute();
      const byName = new Map(rows.map((r) => [r.stage, r]));
      for (const name of order) {
        const row = byName.get(name);
        if (!row || row.status === 'done' || row.status === 'skipped') continue;
        if (row.status !== 'pending') return null;
        await trx
          .updateTable('image_stages')
          .set({ status: 'running', attempts: row.attempts + 1, updated_at: nowIso(), ...this.lease() })
          .where('image_id', '=', imageId)
          .where('stage', '=', name)
          .execute();
        return { imageId, stage: name, attempts: row.attempts + 1 };
      }
      return null;
    });
  }

  /**
   * Puts a claimed stage back untouched (claimed for a worker that is stopping before it started), while this process
   * still holds it: one cut off past its lease may find another indexer took it over, and that claim stays.
   */
  async releaseStage(imageId: number, stage: string): Promise<void> {
    await this.db
      .updateTable('image_stages')
      .set({ status: 'pending', attempts: sql`case when attempts > 0 then attempts - 1 else 0 end`, updated_at: nowIso() })
      .where('image_id', '=', imageId)
      .where('stage', '=', stage)
      .where('status', '=', 'running')
      .where('lease_owner', '=', this.workerId)
      .execute();
  }

  /**
   * Records a stage's outcome. Given `forHash` (the bytes the stage worked on), it is recorded only while the photo
   * still has those bytes: returns false when the photo was edited or removed meanwhile, so stale work never counts.
   */
  async finishStage(
    imageId: number,
    stage: string,
    status: 'done' | 'failed' | 'skipped',
    error: string | null = null,
    forHash?: string,
  ): Promise<boolean> {
    return this.finishStageIn(this.db, imageId, stage, status, error, forHash);
  }

  /**
   * Writes a stage's result and marks the stage finished in one transaction, so a crash leaves both or neither. False,
   * with nothing written, when the photo no longer has the bytes `forHash` (or `write` says so).
   */
  async finishStageWithResult(
    imageId: number,
    stage: string,
    status: 'done' | 'skipped',
    forHash: string,
    write: (trx: Transaction<CatalogSchema>) => Promise<boolean>,
  ): Promise<boolean> {
    const stale = new Error('stale stage result');
    try {
      return await this.transaction(async (trx) => {
        if (!(await write(trx)) || !(await this.finishStageIn(trx, imageId, stage, status, null, forHash))) throw stale;
        return true;
      });
    } catch (error) {
      if (error === stale) return false;
      throw error;
    }
  }

  private async finishStageIn(
    db: Kysely<CatalogSchema>,
    imageId: number,
    stage: string,
    status: 'done' | 'failed' | 'skipped',
    error: string | null,
    forHash: string | undefined,
  ): Promise<boolean> {
    let update = db
      .updateTable('image_stages')
      .set({ status, error, updated_at: nowIso() })
      .where('image_id', '=', imageId)
      .where('stage', '=', stage);
    if (forHash !== undefined) update = update.where(this.stillHasBytes(imageId, forHash));
    const result = await update.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** A stage that worked on bytes the photo no longer has must run again (what it wrote may be stale). */
  async requeueStage(imageId: number, stage: string): Promise<void> {
    await this.db
      .updateTable('image_stages')
      .set({ status: 'pending', attempts: 0, error: null, updated_at: nowIso() })
      .where('image_id', '=', imageId)
      .where('stage', '=', stage)
      .where('status', 'in', ['done', 'skipped', 'running'])
      .execute();
  }

  private stillHasBytes(imageId: number, hash: string) {
    return sql<boolean>`exists (select 1 from images where images.id = ${imageId} and images.hash = ${hash})`;
  }

  async stagesOf(imageId: number): Promise<ImageStageRow[]> {
    return this.db.selectFrom('image_stages').selectAll().where('image_id', '=', imageId).execute();
  }

  /**
   * After a crash or quit, work marked running was interrupted: it becomes pending again. On PostgreSQL other indexers
   * may be running it right now, so only work whose lease ran out is requeued (the rest is reclaimed when it does).
   */
  async requeueInterrupted(): Promise<void> {
    const now = nowIso();
    for (const table of ['jobs', 'image_stages'] as const) {
      let update = this.db.updateTable(table).set({ status: 'pending', updated_at: now, lease_owner: null, lease_until: null }).where('status', '=', 'running');
      if (this.dialect === 'postgres') update = update.where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]));
      await update.execute();
    }
  }

  async stageCounts(): Promise<Array<{ pass: number; status: string; n: number }>> {
    const rows = await this.db
      .selectFrom('image_stages')
      .select(['pass', 'status', sql<number>`count(*)`.as('n')])
      .groupBy(['pass', 'status'])
      .execute();
    return rows.map((r) => ({ pass: r.pass, status: r.status, n: Number(r.n) }));
  }
  // ------------------------------------------------------------ library maintenance (scan, identity, removal)

  /** Records a file that could not become a photo (unreadable, vanished, not a file) as a failed ingest job. */
  async recordFailedFile(folderId: number, filePath: string, error: string): Promise<void> {
    const now = nowIso();
    await this.db
      .insertInto('jobs')
      .values({ kind: 'ingest', folder_id: folderId, path: filePath, status: 'failed', attempts: 0, error, created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['kind', 'path']).doUpdateSet({ status: 'failed', folder_id: folderId, error, updated_at: now }))
      .execute();
  }

  /** The file at a photo's path now holds other bytes: new identity, metadata cleared, every stage to redo. */
  async replaceImageContent(id: number, file: { hash: string; size_bytes: number; mtime_ms: number }): Promise<void> {
    const now = nowIso();
    await this.transaction(async (trx) => {
      await trx
        .updateTable('images')
        .set({
          ...file,
          status: 'pending',
          error: null,
          format: null,
          width: null,
          height: null,
          orientation: null,
          thumb_path: null,
          view_path: null,
          caption: null,
          caption_model: null,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
      await trx
        .updateTable('image_stages')
        .set({ status: 'pending', attempts: 0, error: null, updated_at: now })
        .where('image_id', '=', id)
        .execute();
    });
  }

  /** Points a photo at another file holding its bytes (a move, or a copy taking over); that path stops being a copy. */
  async relocateImage(id: number, to: { folder_id: number; path: string; size_bytes: number; mtime_ms: number }): Promise<void> {
    await this.transaction(async (trx) => {
      await trx.deleteFrom('duplicate_files').where('path', '=', to.path).execute();
      await trx
        .updateTable('images')
        .set({ ...to, updated_at: nowIso() })
        .where('id', '=', id)
        .execute();
    });
  }

  /**
   * A pass-1 stage failed: the photo is failed with that cause, and its other open stages are closed as not run.
   * Given `forHash`, only while the photo still has those bytes; returns whether it was recorded.
   */
  async failImage(imageId: number, stage: string, error: string, forHash?: string): Promise<boolean> {
    const now = nowIso();
    return this.transaction(async (trx) => {
      if (forHash !== undefined) {
        const current = await trx.selectFrom('images').select('id').where('id', '=', imageId).where('hash', '=', forHash).executeTakeFirst();
        if (!current) return false;
      }
      await trx
        .updateTable('image_stages')
        .set({ status: 'failed', error, updated_at: now })
        .where('image_id', '=', imageId)
        .where('stage', '=', stage)
        .execute();
      await trx
        .updateTable('image_stages')
        .set({ status: 'failed', error: `not run: the ${stage} stage failed`, updated_at: now })
        .where('image_id', '=', imageId)
        .where('status', 'in', ['pending', 'running'])
        .execute();
      await trx.updateTable('images').set({ status: 'failed', error, updated_at: now }).where('id', '=', imageId).execute();
      return true;
    });
  }

  /** Marks the photo ready when every pass-1 stage is done or skipped; returns whether it is ready now. */
  async markReadyIfComplete(imageId: number): Promise<boolean> {
    const open = await this.db
      .selectFrom('image_stages')
      .select(sql<number>`count(*)`.as('n'))
      .where('image_id', '=', imageId)
      .where('pass', '=', 1)
      .where('status', 'not in', ['done', 'skipped'])
      .executeTakeFirstOrThrow();
    if (Number(open.n) > 0) return false;
    await this.db
      .updateTable('images')
      .set({ status: 'ready', error: null, updated_at: nowIso() })
      .where('id', '=', imageId)
      .where('status', '!=', 'ready')
      .execute();
    return true;
  }

  /**
   * Photos whose pass-1 stages all finished but which were never marked ready — the process that finished the last
   * stage died before it could (another indexer on a shared catalog, or this one before a restart). Returns their ids.
   */
  async markFinishedImagesReady(): Promise<number[]> {
    const finished = await this.db
      .selectFrom('images')
      .select('id')
      .where('status', '=', 'pending')
      .where((eb) =>
        eb.and([
          eb.exists(eb.selectFrom('image_stages').select('image_id').whereRef('image_stages.image_id', '=', 'images.id').where('pass', '=', 1)),
          eb.not(
            eb.exists(
              eb
                .selectFrom('image_stages')
                .select('image_id')
                .whereRef('image_stages.image_id', '=', 'images.id')
                .where('pass', '=', 1)
                .where('status', 'not in', ['done', 'skipped']),
            ),
          ),
        ]),
      )
      .execute();
    const ids = finished.map((row) => row.id);
    for (const id of ids) await this.markReadyIfComplete(id);
    return ids;
  }

  async allImageIds(): Promise<number[]> {
    return (await this.db.selectFrom('images').select('id').orderBy('id').execute()).map((r) => r.id);
  }

  /** What the catalog believes is on disk in a folder: photos, copies and files that failed before hashing. */
  async knownFiles(folderId: number) {
    const [images, duplicates, failedJobs] = await Promise.all([
      this.db.selectFrom('images').select(['id', 'path', 'hash', 'size_bytes', 'mtime_ms', 'status']).where('folder_id', '=', folderId).execute(),
      this.db.selectFrom('duplicate_files').select(['image_id', 'path', 'size_bytes', 'mtime_ms']).where('folder_id', '=', folderId).execute(),
      this.db.selectFrom('jobs').select(['path']).where('folder_id', '=', folderId).where('status', '=', 'failed').execute(),
    ]);
    return { images, duplicates, failedJobs: failedJobs.map((j) => j.path) };
  }

  /** Photos and copies whose path lies under a folder path (for a folder that vanished or an `index` of a sub-folder). */
  async pathsUnder(prefix: string): Promise<{ images: ImageRow[]; duplicates: string[]; failed: FileFailure[] }> {
    const under = (column: 'images.path' | 'duplicate_files.path' | 'jobs.path') =>
      sql<boolean>`substr(${sql.ref(column)}, 1, ${prefix.length}) = ${prefix}`;
    const [images, duplicates, failedJobs] = await Promise.all([
      this.db.selectFrom('images').selectAll().where(under('images.path')).execute(),
      this.db.selectFrom('duplicate_files').select('path').where(under('duplicate_files.path')).execute(),
      this.db.selectFrom('jobs').select(['path', 'error']).where('status', '=', 'failed').where(under('jobs.path')).execute(),
    ]);
    const failed = [
      ...failedJobs.map((j) => ({ path: j.path, error: j.error ?? 'unknown error' })),
      ...images.filter((i) => i.status === 'failed').map((i) => ({ path: i.path, error: i.error ?? 'unknown error' })),
    ].sort((a, b) => a.path.localeCompare(b.path));
    return { images, duplicates: duplicates.map((d) => d.path), failed };
  }

  /** Pending or running ingest jobs (files not yet hashed). */
  async openIngestJobCount(): Promise<number> {
    const row = await this.db
      .selectFrom('jobs')
      .select(sql<number>`count(*)`.as('n'))
      .where('status', 'in', ['pending', 'running'])
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Pending or running stages of passes up to `maxPass`. */
  async openStageCount(maxPass: number): Promise<number> {
    const row = await this.db
      .selectFrom('image_stages')
      .select(sql<number>`count(*)`.as('n'))
      .where('status', 'in', ['pending', 'running'])
      .where('pass', '<=', maxPass)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Gives failed photos and files of a folder another try (a rescan asks for it). */
  async retryFailed(folderId: number): Promise<void> {
    const now = nowIso();
    await this.transaction(async (trx) => {
      const failedIds = trx.selectFrom('images').select('id').where('folder_id', '=', folderId).where('status', '=', 'failed');
      await trx
        .updateTable('image_stages')
        .set({ status: 'pending', attempts: 0, error: null, updated_at: now })
        .where('image_id', 'in', failedIds)
        .where('status', '=', 'failed')
        .execute();
      await trx
        .updateTable('images')
        .set({ status: 'pending', error: null, updated_at: now })
        .where('folder_id', '=', folderId)
        .where('status', '=', 'failed')
        .execute();
      await trx
        .updateTable('jobs')
        .set({ status: 'pending', attempts: 0, error: null, updated_at: now })
        .where('folder_id', '=', folderId)
        .where('status', '=', 'failed')
        .execute();
    });
  }

  async excludeRemovedFiles(files: Array<{ path: string; size_bytes: number; mtime_ms: number }>): Promise<void> {
    const now = nowIso();
    for (const file of files) {
      await this.db
        .insertInto('removed_files')
        .values({ ...file, removed_at: now })
        .onConflict((oc) => oc.column('path').doUpdateSet({ size_bytes: file.size_bytes, mtime_ms: file.mtime_ms, removed_at: now }))
        .execute();
    }
  }

  async removedFile(filePath: string) {
    return this.db.selectFrom('removed_files').selectAll().where('path', '=', filePath).executeTakeFirst();
  }

  async forgetRemovedFile(filePath: string): Promise<void> {
    await this.db.deleteFrom('removed_files').where('path', '=', filePath).execute();
  }

  /** Removed-file records of one folder, so a scan can skip them without one query per file. */
  async removedFilesUnder(prefix: string) {
    return this.db
      .selectFrom('removed_files')
      .selectAll()
      .where(sql<boolean>`substr(path, 1, ${prefix.length}) = ${prefix}`)
      .execute();
  }
}
