// The engine's one door: opens the catalog, the library and the model runtime for a configuration and answers
// every operation of the contract. Electron's IPC, the HTTP server and the CLI all call this same object.
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import type { DoctorCheck, DoctorReport, GlimpseEvent, Settings } from '../../src-preload/api';
import { applyUserSettings, readUserSettings, writeUserSettings, type GlimpseConfig, type UserSettings } from '../config';
import { GlimpseError, describeError } from '../errors';
import { makeDataDirPrivate } from '../library/data-dir-permissions';
import { Library } from '../library/library';
import { servableOriginal } from '../library/servable-original';
import { chooseDevice } from '../ml/device';
import type { SearchCatalog } from '../search/ports';
import { SearchError } from '../search/search-error';
import { Catalog } from '../store/catalog';
import { catalogEngineInfo, openCatalogDatabase } from '../store/database';
import { VectorPayloads } from '../store/vector-payloads';
import type { Api, ImageSize } from './api-types';
import { openDeepSearchParts } from './deep-search-handlers';
import { dispatch, type Handlers } from './dispatch';
import { deferringWhileServerAway, embeddingStages } from './embedding-stages';
import { CaptionRuntime } from './caption-stage';
import { captionHandlers } from './captions-handlers';
import { facesHandlers } from './faces-handlers';
import { FacesRuntime } from './faces-runtime';
import { acquireLibraryLock } from './library-lock';
import { ModelRuntime } from './model-runtime';
import { checkVectorBackendUrl, faceVectorBackendCheck, vectorBackendCheck, vectorServerError } from './vector-backend';
import { catalogMigrationHandlers } from './catalog-migration-handlers';
import { vectorMigrationHandlers } from './vector-migration-handlers';
import { openWords } from './words-handlers';
import { ModelFetchSchedule } from './model-fetch-schedule';
import { photoHandlers } from './photo-handlers';
import { rotationHandlers } from './rotation-handlers';
import { exportHandlers } from './export-handlers';

export interface OpenApiOptions {
  /**
   * Run the import queue, which makes this process the library's one indexer (see library-lock.ts): the app, browser
   * mode, `glimpse index` and `watch` (the default, without watching). `false` answers reads and records changes (a
   * new folder, a removal) for the indexer to pick up, without touching work another process may be doing.
   */
  indexing?: { watch: boolean; command: string } | false;
  /** Log sink for unexpected failures; defaults to stderr. */
  log?: (line: string) => void;
  /** First wait before a failed background model download is tried again (doubling each time); tests shorten it. */
  modelRetryBaseMs?: number;
}

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
    captions: { enabled: config.captions.enabled, model: config.captions.model, prompt: config.captions.prompt, maxNewTokens: config.captions.maxNewTokens, splitImages: config.captions.splitImages, threads: config.captions.threads },
    ocr: { ...config.ocr },
    words: { ...config.words },
    faces: { enabled: config.faces.enabled },
  };
}

/** Errors from the layers below that already name their cause in the contract's terms. */
function asGlimpseError(error: unknown): unknown {
  if (error instanceof SearchError) return new GlimpseError(error.code, error.message, error.subject);
  return vectorServerError(error);
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
  checkVectorBackendUrl(config);
  await makeDataDirPrivate(config.dataDir);
  const lock = indexing ? acquireLibraryLock(config.dataDir, indexing.command) : null;
  const database = await openCatalogDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    sqliteNativeBinding: config.sqliteNativeBinding,
    poolSize: config.databasePoolSize,
    idleTimeoutMs: config.databaseIdleTimeoutMs,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
  }).catch(
    (error: unknown) => {
      lock?.release();
      throw error;
    },
  );
  const catalog = new Catalog(database, { leaseMs: config.workLeaseMs });
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
  const vectorPayloads = new VectorPayloads(catalog.db);
  const runtime = new ModelRuntime(
    () => config,
    searchCatalog,
    () => ({ ranking: config.ranking, nearDuplicateThreshold: config.nearDuplicateThreshold }),
    emit,
    vectorPayloads,
  );
  const deep = openDeepSearchParts({ database, catalog: searchCatalog, runtime, config: () => config, expansions: (request) => words.textExpansions(request), remember: (query) => words.rememberSearch(query) });

  const words = openWords({ database, runtime, config: () => config, subscribe: (listener) => listeners.add(listener), preloadDictionary: Boolean(indexing), textVocabulary: deep.textIndex.vocabulary, log });

  let closed = false;
  let library: Library;
  const captions = new CaptionRuntime(() => config, catalog.db, emit, async () => {
    if (!closed) await reopenLibrary();
  });
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
      extraStages: [
        ...deep.ingestStages(),
        ...(present ? embeddingStages(runtime) : []),
        ...deep.backgroundStages(config),
        ...(await captions.stages(Boolean(indexing))),
        ...(config.faces.enabled ? [deferringWhileServerAway(faces.stage())] : []),
      ],
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

  const fetchSchedule = new ModelFetchSchedule(options.modelRetryBaseMs, () => {
    if (!closed) fetchingModel ??= fetchActiveModel();
  });
  const fetchActiveModel = async () => {
    try {
      await runtime.ready();
      fetchSchedule.succeeded();
      const active = (await runtime.models()).find((m) => m.active);
      if (active) emit({ type: 'model', model: active });
      if (!closed) await reopenLibrary();
    } catch (error) {
      if (!closed) {
        fetchSchedule.failed(describeError(error));
        const active = (await runtime.models()).find((m) => m.active);
        if (active) emit({ type: 'model', model: { ...active, ...fetchSchedule.state() } });
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

  /**
   * The search parts, or at once a MODEL_MISSING error when this process fetches the model in the background: a
   * search must not wait on (or retry) a download, and the window shows one banner for the state.
   */
  const searchParts = async () => {
    if (indexing && !runtime.isOpen() && !(await runtime.isActiveModelPresent())) {
      const active = (await runtime.models()).find((m) => m.active);
      const size = active?.sizeBytes ? ` (${Math.round(active.sizeBytes / 1024 / 1024)} MB)` : '';
      const why = fetchingModel
        ? 'it is being downloaded'
        : config.offline
          ? 'downloads are off (offline mode)'
          : (fetchSchedule.state().fetchError ?? 'it is not installed');
      const remedy = active?.remedy ? ` To install it, ${active.remedy}.` : '';
      throw new GlimpseError('MODEL_MISSING', `Search is unavailable until the model ${config.model}${size} is installed: ${why}.${remedy}`, config.model);
    }
    return runtime.ready();
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
    await words.close();
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
      ...(stored.captions || changes.captions ? { captions: { ...stored.captions, ...changes.captions } } : {}),
      ...(changes.ocr ?? stored.ocr ? { ocr: changes.ocr ?? stored.ocr } : {}),
      ...(stored.words || changes.words ? { words: { ...stored.words, ...changes.words } } : {}),
      ...(stored.faces || changes.faces ? { faces: { ...stored.faces, ...changes.faces } } : {}),
    };
    const next = applyUserSettings(config, merged);
    writeUserSettings(config.dataDir, merged);
    const modelChanged = next.model !== config.model;
    const previousOcr = config.ocr.enabled;
    const { concurrency, workers, threadsPerWorker } = config.indexing;
    // Concurrency is the library's, workers and threads the embedder pool's: both are set when they open.
    const throughputChanged =
      next.indexing.concurrency !== concurrency || next.indexing.workers !== workers || next.indexing.threadsPerWorker !== threadsPerWorker;
    const captionsChanged = JSON.stringify(next.captions) !== JSON.stringify(config.captions);
    const facesChanged = next.faces.enabled !== config.faces.enabled;
    config = next;
    if (captionsChanged) await captions.reset();
    if (modelChanged || throughputChanged) await reopenForModelChange();
    else if (captionsChanged || facesChanged || next.ocr.enabled !== previousOcr) await reopenLibrary();
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
    const engine = await catalogEngineInfo(database).catch((error: unknown) => `engine unknown (${describeError(error)})`);
    checks.push({ name: 'catalog', ok: true, detail: `${engine} at ${catalog.location}: ${counts.size} folder(s), ${photos} photo(s)${database.pool ? `; ${database.pool}` : ''}` });
    const device = await chooseDevice(config.device).catch((error: unknown) => ({ device: 'cpu' as const, reason: describeError(error) }));
    checks.push({ name: 'device', ok: config.device !== 'cuda' || device.device === 'cuda', detail: `${device.device}: ${device.reason}` });
    const models = await runtime.models();
    const active = models.find((m) => m.active);
    checks.push({
      name: `model ${config.model}`,
      ok: Boolean(active?.present),
      detail: active?.present ? `present in ${active.dir}` : (active?.remedy ?? `not known: check GLIMPSE_MODEL`),
    });
    const vectorBackend = await vectorBackendCheck(config, () => vectorPayloads.pendingCount());
    checks.push(vectorBackend.check);
    checks.push(await faceVectorBackendCheck(config, faces.model));
    checks.push(await captions.doctorCheck());
    // sharp's prebuilt libvips reads HEIC metadata but ships no HEVC decoder; the library decodes HEIC pixels in WASM.
    checks.push({ name: 'image decoders', ok: true, detail: `sharp ${sharp.versions.sharp ?? ''} / libvips ${sharp.versions.vips}; HEIC/HEIF pixels via heic-decode (WASM)` });
    return {
      version: packageVersion(),
      node: process.versions.node,
      platform: `${os.platform()} ${os.arch()}`,
      dataDir: config.dataDir,
      modelsDir: config.modelsDir,
      catalog: `${engine} at ${catalog.location}`,
      vectors: vectorBackend.summary,
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

  const photos = photoHandlers({ catalog, library: () => library, config: () => config });
  const rotation = rotationHandlers({ catalog, quality: () => config.thumbnails.quality });
  const handlers: Handlers = {
    'folders.list': () => catalog.listFolders(),
    'folders.add': ({ path: folder, confirm }) => library.addFolder(folder, { confirm: confirm ?? false }),
    'folders.remove': ({ id }) => library.removeFolder(id),
    'folders.rescan': ({ id }) => library.rescanFolder(id),
    'folders.index': async ({ path: folder, confirm }) => {
      requireIndexing('folders.index');
      // "Index and exit" should leave photos searchable: let a first-use model download finish first.
      await fetchingModel;
      const result = await library.indexFolder(folder, { confirm: confirm ?? false });
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
    ...photos,
    ...rotation.handlers,
    ...exportHandlers(catalog, () => config),
    'photos.get': async (request) => deep.withWords(await photos['photos.get'](request)),
    'jobs.status': () => library.jobStatus(),
    'jobs.pause': async () => {
      await updateSettings({ indexing: { paused: true } });
      return library.jobStatus();
    },
    'jobs.resume': async () => {
      await updateSettings({ indexing: { paused: false } });
      return library.jobStatus();
    },
    'search.query': async (request) => {
      // A missing model answers at once with what to do, instead of waiting on a download per query.
      await searchParts();
      return words.search(request);
    },
    'search.similar': async (request) => {
      if ('id' in request) await photoOrThrow(request.id);
      return (await searchParts()).search.similar(request);
    },
    'search.duplicates': async ({ threshold }) => (await searchParts()).search.duplicates(threshold === undefined ? {} : { threshold }),
    'search.tune': async ({ query, limit }) => (await searchParts()).search.tune(query, limit === undefined ? {} : { limit }),
    'models.list': async () => [...(await runtime.models()).map((m) => (m.active ? { ...m, ...fetchSchedule.state() } : m)), ...(await captions.models())],
    'models.download': async ({ id }) => {
      if (captions.knows(id)) return captions.downloadModel(id);
      const info = await runtime.downloadModel(id);
      if (id === config.model) {
        fetchSchedule.succeeded();
        await reopenLibrary();
      }
      return info;
    },
    ...facesHandlers({ faces, catalog, database, disableFaces: async () => void (await updateSettings({ faces: { enabled: false } })) }),
    'settings.get': async () => toSettings(config),
    'settings.update': (changes) => updateSettings(changes as UserSettings),
    'system.doctor': () => doctor(),
    ...catalogMigrationHandlers(() => config, database),
    ...vectorMigrationHandlers(() => config, runtime, (message) => emit({ type: 'notice', level: 'info', message }), faces),
    ...captionHandlers({
      captions,
      library: () => library,
      enabled: () => config.captions.enabled,
      prompt: () => config.captions.prompt,
      updateSettings,
      requireIndexing,
      photoExists: async (id) => (await catalog.getImage(id)) !== undefined,
    }),
    ...deep.handlers,
    ...words.handlers,
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
      // Originals (also what the OS opens or shows) only for photos that indexed as pictures: see servable-original.ts.
      if (size === 'original') return servableOriginal(image);
      const file = await rotation.shownPicture(image, size);
      return file ? { path: file, contentType: 'image/webp' } : null;
    },
    async close() {
      if (closed) return;
      closed = true;
      fetchSchedule.stop();
      listeners.clear();
      await library.close();
      await captions.close();
      await runtime.close();
      await deep.close();
      await words.close();
      await faces.close();
      await catalog.close();
      lock?.release();
    },
  };
}
