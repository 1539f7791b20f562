// Sets up what every library test needs: a temp folder of photos, a data dir with a real SQLite catalog, and a
// Library on top, with the events it emits collected for assertions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GlimpseEvent } from '../../src-preload/api';
import { type GlimpseConfig, configSchema } from '../../src-main/config';
import { Library, type PipelineStage } from '../../src-main/library/library';
import { Catalog } from '../../src-main/store/catalog';
import { openCatalogDatabase } from '../../src-main/store/database';

export interface Harness {
  root: string;
  photos: string;
  config: GlimpseConfig;
  catalog: Catalog;
  library: Library;
  events: GlimpseEvent[];
  /** Closes the library and the catalog and opens both again on the same data dir (an app restart). */
  reopen(options?: { watch?: boolean }): Promise<Library>;
  dispose(): Promise<void>;
}

export function makeTestConfig(dataDir: string, overrides: Record<string, unknown> = {}): GlimpseConfig {
  return configSchema.parse({
    dataDir,
    modelsDir: path.join(dataDir, 'models'),
    embeddings: false,
    writeSettleMs: 150,
    indexing: { concurrency: 2 },
    thumbnails: { gridSize: 64, viewSize: 512 },
    ...overrides,
  });
}

export async function makeHarness(
  options: {
    watch?: boolean;
    start?: boolean;
    extraStages?: PipelineStage[];
    config?: Record<string, unknown>;
    /** A PostgreSQL catalog instead of SQLite in the data dir. */
    databaseUrl?: string;
  } = {},
): Promise<Harness> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-library-')));
  const photos = path.join(root, 'photos');
  fs.mkdirSync(photos);
  const config = makeTestConfig(path.join(root, 'data'), options.config);
  const events: GlimpseEvent[] = [];
  const open = async (watch: boolean) => {
    const catalog = new Catalog(await openCatalogDatabase({ dataDir: config.dataDir, databaseUrl: options.databaseUrl ?? null }));
    const library = await Library.open({ config, catalog, extraStages: options.extraStages, onEvent: (e) => events.push(e) });
    if (options.start !== false) await library.start({ watch });
    return { catalog, library };
  };
  const harness: Harness = {
    root,
    photos,
    config,
    events,
    ...(await open(options.watch ?? false)),
    async reopen(reopenOptions = {}) {
      await harness.library.close();
      await harness.catalog.close();
      Object.assign(harness, await open(reopenOptions.watch ?? false));
      return harness.library;
    },
    async dispose() {
      await harness.library.close();
      await harness.catalog.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Polls until `check` passes (the watcher reacts on its own schedule), failing with the last error after `ms`. */
export async function eventually(check: () => Promise<void> | void, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
