// The engine's one door: opens the catalog, the library and the model runtime for a configuration and answers
// every operation of the contract. Electron's IPC, the HTTP server and the CLI all call this same object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import type { DoctorCheck, DoctorReport, GlimpseEvent, Settings } from '../../src-preload/api';
import { applyUserSettings, readUserSettings, writeUserSettings, type GlimpseConfig, type UserSettings } from '../config';
import { GlimpseError, describeError } from '../errors';
import { Library } from '../library/library';
import { chooseDevice } from '../ml/device';
import type { SearchCatalog } from '../search/ports';
import { SearchError } from '../search/search-error';
import { Catalog } from '../store/catalog';
import { openCatalogDatabase } from '../store/database';
import type { Api, ImageSize } from './api-types';
import { dispatch, type Handlers } from './dispatch';
import { embeddingStages } from './embedding-stages';
import { facesHandlers } from './faces-handlers';
import { FacesRuntime } from './faces-runtime';
import { acquireLibraryLock } from './library-lock';
import { ModelRuntime, vectorDirFor } from './model-runtime';

export interface OpenApiOptions {
  /**
   * Run the import queue, which makes this process the library's one indexer (see library-lock.ts): the app, browser
   * mode, `glimpse index` and `watch` (the default, without watching). `false` answers reads and records changes (a
   * new folder, a removal) for the indexer to pick up, without touching work another process may be doing.
   */
  indexing?: { watch: boolean; command: string } | false;
  /** Log sink for unexpected failures; defaults to stderr. */
  log?: (line: string) => void;
}

const CONTENT_TYPES: Record<string, string> = {
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  avif: 'image/avif',
  heif: 'image/heif',
  heic: 'image/heic',
};

function packageVersion(): string {
  const require = createRequire(import.meta.url);
  try {
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function toSettings(config: GlimpseConfig): Settings {
  return {
    ranking: { ...config.ranking },
    nearDuplicateThreshold: config.nearDuplicateThreshold,
    indexing: { ...config.indexing },
    model: config.model,
    faces: { enabled: config.faces.enabled },
  };
}

/** Errors from the layers below that already name their cause in the contract's terms. */
function asGlimpseError(error: unknown): unknown {
  if (error instanceof SearchError) return new GlimpseError(error.code, error.message, error.subject);
  return error;
}

export async function openApi(initialConfig: GlimpseConfig, options: OpenApiOptions = {}): Promise<Api> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let config = initialConfig;
  const listeners = new Set<(event: GlimpseEvent) => void>();
  const emit = (event: GlimpseEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        log(`glimpse: an event listener failed: ${describeError(error)}`);
      }
    }
  };

  const indexing = options.indexing ?? { watch: false, command: 'Glimpse' };
  const lock = indexing ? acquireLibraryLock(config.dataDir, indexing.command) : null;
  const database = await openCatalogDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, sqliteNativeBinding: config.sqliteNativeBinding }).catch(
    (error: unknown) => {
      lock?.release();
      throw error;
    },
  );
  const catalog = new Catalog(database);
  const faces = new FacesRuntime(() => config, database, emit);
  const searchCatalog: SearchCatalog = {
    photos: (ids) => catalog.photos(ids),
    idsMatching: async (filters) => {
      const matching = await catalog.idsMatching(filters);
      if (!filters.personIds?.length) return matching;
      const withPeople = await faces.store.photosWithPeople(filters.personIds);
      return matching ? new Set([...withPeople].filter((id) => matching.has(id))) : withPeople;
    },
    idOfPath: async (file) => (await catalog.getImageByPath(file))?.id ?? (await catalog.getDuplicateByPath(file))?.image_id ?? null,
    exactDuplicates: () => catalog.exactDuplicateGroups(),
  };
  const runtime = new ModelRuntime(
    () => config,
    searchCatalog,
    () => ({ ranking: config.ranking, nearDuplicateThreshold: config.nearDuplicateThreshold }),
    emit,
  );

  let closed = false;
  let library: Library;
  /** The active model's download, while one runs (started because the model is missing but can be fetched). */
  let fetchingModel: Promise<void> | null = null;

  // The embedding stages join only once the model is on disk: photos get thumbnails and EXIF meanwhile, and a model
  // that cannot be had (offline, no download, no network) leaves them browsable instead of failing every photo.
  const openLibrary = async () => {
    const present = config.embeddings && (await runtime.isActiveModelPresent());
    const obtainable = config.embeddings && !present && (await runtime.canObtainActiveModel());
    if (config.embeddings && !present && !obtainable) {
      const why = config.offline ? 'offline mode is on' : 'Glimpse has no download for it';
      emit({ type: 'notice', level: 'warn', message: `Model ${config.model} is missing and ${why}: photos are catalogued but not searchable until it is installed.` });
    }
    const opened = await Library.open({
      config,
      catalog,
      extraStages: [...(present ? embeddingStages(runtime) : []), ...(config.faces.enabled ? [faces.stage()] : [])],
      onEvent: emit,
      onPhotosRemoved: async (ids) => {
        await faces.photosRemoved(ids);
        const parts = (await runtime.openedParts()) ?? ((await runtime.isActiveModelPresent()) ? await runtime.ready() : null);
        await parts?.vectors.delete(ids);
      },
    });
    if (indexing) await opened.start({ watch: indexing.watch });
    if (indexing && obtainable) fetchingModel ??= fetchActiveModel();
    return opened;
  };

  const fetchActiveModel = async () => {
    try {
      await runtime.ready();
      if (!closed) await reopenLibrary();
    } catch (error) {
      if (!closed) {
        emit({
          type: 'notice',
          level: 'warn',
          message: `${describeError(error)} Photos are catalogued meanwhile; they become searchable once the model is installed (Settings → Models, or \`glimpse models download ${config.model}\`).`,
        });
      }
    } finally {
      fetchingModel = null;
    }
  };
  /** Re-opens the library so its stages match the model now on disk (after a download). */
  const reopenLibrary = async () => {
    await library.close();
    library = await openLibrary();
  };

  /** Re-opens the library and model after a change that alters what the stages produce (the model). */
  const reopenForModelChange = async () => {
    await runtime.reset();
    await reopenLibrary();
  };

  try {
    library = await openLibrary();
  } catch (error) {
    lock?.release();
    await catalog.close();
    throw error;
  }

  const updateSettings = async (changes: UserSettings): Promise<Settings> => {
    const stored = readUserSettings(config.dataDir);
    const merged: UserSettings = {
      ...stored,
      ...changes,
      ranking: { ...stored.ranking, ...changes.ranking },
      indexing: { ...stored.indexing, ...changes.indexing },
      ...(stored.faces || changes.faces ? { faces: { ...stored.faces, ...changes.faces } } : {}),
    };
    const next = applyUserSettings(config, merged);
    writeUserSettings(config.dataDir, merged);
    const modelChanged = next.model !== config.model;
    const { concurrency, workers, threadsPerWorker } = config.indexing;
    // Concurrency is the library's, workers and threads the embedder pool's: both are set when they open.
    const throughputChanged =
      next.indexing.concurrency !== concurrency || next.indexing.workers !== workers || next.indexing.threadsPerWorker !== threadsPerWorker;
    const facesChanged = next.faces.enabled !== config.faces.enabled;
    config = next;
    if (modelChanged || throughputChanged) await reopenForModelChange();
    else if (facesChanged) await reopenLibrary();
    if (changes.indexing?.paused === true) library.pause();
    if (changes.indexing?.paused === false) library.resume();
    return toSettings(config);
  };

  const doctor = async (): Promise<DoctorReport> => {
    const checks: DoctorCheck[] = [];
    try {
      fs.accessSync(config.dataDir, fs.constants.W_OK);
      checks.push({ name: 'data dir', ok: true, detail: `${config.dataDir} is writable` });
    } catch (error) {
      checks.push({ name: 'data dir', ok: false, detail: `${config.dataDir} is not writable: ${describeError(error)}` });
    }
    const counts = await catalog.folderCounts();
    const photos = [...counts.values()].reduce((n, c) => n + c.total, 0);
    checks.push({ name: 'catalog', ok: true, detail: `${catalog.dialect} at ${catalog.location}: ${counts.size} folder(s), ${photos} photo(s)` });
    const device = await chooseDevice(config.device).catch((error: unknown) => ({ device: 'cpu' as const, reason: describeError(error) }));
    checks.push({ name: 'device', ok: config.device !== 'cuda' || device.device === 'cuda', detail: `${device.device}: ${device.reason}` });
    const models = await runtime.models();
    const active = models.find((m) => m.active);
    checks.push({
      name: `model ${config.model}`,
      ok: Boolean(active?.present),
      detail: active?.present ? `present in ${active.dir}` : (active?.remedy ?? `not known: check GLIMPSE_MODEL`),
    });
    // sharp's prebuilt libvips reads HEIC metadata but ships no HEVC decoder; the library decodes HEIC pixels in WASM.
    checks.push({ name: 'image decoders', ok: true, detail: `sharp ${sharp.versions.sharp ?? ''} / libvips ${sharp.versions.vips}; HEIC/HEIF pixels via heic-decode (WASM)` });
    return {
      version: packageVersion(),
      node: process.versions.node,
      platform: `${os.platform()} ${os.arch()}`,
      dataDir: config.dataDir,
      modelsDir: config.modelsDir,
      catalog: `${catalog.dialect}: ${catalog.location}`,
      vectors: `embedded (usearch HNSW + SQLite) in ${vectorDirFor(config.dataDir, config.model)}`,
      device: device.device,
      checks,
      models,
    };
  };

  /** Operations that wait for the queue to drain can only run where the queue runs. */
  const requireIndexing = (operation: string) => {
    if (!indexing) {
      throw new GlimpseError('LIBRARY_BUSY', `${operation} needs the import queue, which this process does not run: use the app, \`glimpse index\` or \`glimpse watch\``);
    }
  };

  const photoOrThrow = async (id: number) => {
    const details = await catalog.photoDetails(id);
    if (!details) throw new GlimpseError('NOT_FOUND', `There is no photo with id ${id} in the library`, String(id));
    return details;
  };

  const handlers: Handlers = {
    'folders.list': () => catalog.listFolders(),
    'folders.add': ({ path: folder }) => library.addFolder(folder),
    'folders.remove': ({ id }) => library.removeFolder(id),
    'folders.rescan': ({ id }) => library.rescanFolder(id),
    'folders.index': async ({ path: folder }) => {
      requireIndexing('folders.index');
      // "Index and exit" should leave photos searchable: let a first-use model download finish first.
      await fetchingModel;
      const result = await library.indexFolder(folder);
      // "Index and exit" means the whole queue, crops included, so a search right after ranks on everything.
      await library.waitForIdle(2);
      return result;
    },
    'import.files': ({ paths }) => {
      requireIndexing('import.files');
      return library.importFiles(paths);
    },
    'gallery.page': (request) =>
      catalog.gallery({
        page: request.page ?? 1,
        pageSize: request.pageSize ?? 50,
        sort: request.sort ?? 'taken',
        order: request.order ?? 'desc',
        ...(request.folderId !== undefined ? { folderId: request.folderId } : {}),
      }),
    'photos.get': ({ id }) => photoOrThrow(id),
    'photos.delete': ({ ids, moveToTrash }) => library.deletePhotos(ids, moveToTrash ?? false),
    'jobs.status': () => library.jobStatus(),
    'jobs.pause': async () => {
      await updateSettings({ indexing: { paused: true } });
      return library.jobStatus();
    },
    'jobs.resume': async () => {
      await updateSettings({ indexing: { paused: false } });
      return library.jobStatus();
    },
    'search.query': async (request) => (await runtime.ready()).search.search(request),
    'search.similar': async (request) => {
      if ('id' in request) await photoOrThrow(request.id);
      return (await runtime.ready()).search.similar(request);
    },
    'search.duplicates': async ({ threshold }) => (await runtime.ready()).search.duplicates(threshold === undefined ? {} : { threshold }),
    'search.tune': async ({ query, limit }) => (await runtime.ready()).search.tune(query, limit === undefined ? {} : { limit }),
    'models.list': () => runtime.models(),
    'models.download': async ({ id }) => {
      const info = await runtime.downloadModel(id);
      if (id === config.model) await reopenLibrary();
      return info;
    },
    ...facesHandlers({ faces, catalog, disableFaces: async () => void (await updateSettings({ faces: { enabled: false } })) }),
    'settings.get': async () => toSettings(config),
    'settings.update': (changes) => updateSettings(changes as UserSettings),
    'system.doctor': () => doctor(),
  };

  const guarded = Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      async (input: unknown) => {
        try {
          return await (handler as (input: unknown) => Promise<unknown>)(input);
        } catch (error) {
          throw asGlimpseError(error);
        }
      },
    ]),
  ) as unknown as Handlers;

  return {
    invoke: (operation, input) =>
      dispatch(guarded, operation, input, (name, error) => log(`glimpse: ${name} failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async imageFile(id: number, size: ImageSize) {
      if (!Number.isSafeInteger(id) || id < 1) return null;
      const image = await catalog.getImage(id);
      if (!image) return null;
      const file = size === 'thumb' ? image.thumb_path : size === 'view' ? image.view_path : image.path;
      if (!file) return null;
      const format = size === 'original' ? (image.format ?? path.extname(file).slice(1)).toLowerCase() : 'webp';
      return { path: file, contentType: CONTENT_TYPES[format] ?? 'application/octet-stream' };
    },
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      await library.close();
      await runtime.close();
      await faces.close();
      await catalog.close();
      lock?.release();
    },
  };
}
