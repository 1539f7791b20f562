// What `glimpse doctor` says of a reachable Qdrant: its version, the model's collection and size, and whether the
// folder, date and people filters run on its payload or wait for photos' fields to be written first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vectorBackendCheck } from '../../src-main/api/vector-backend';
import { loadConfig } from '../../src-main/config';
import { Catalog } from '../../src-main/store/catalog';
import { openCatalogDatabase } from '../../src-main/store/database';
import { VectorPayloads } from '../../src-main/store/vector-payloads';
import { answering } from '../setup/answering-server';

describe('doctor on a reachable Qdrant', () => {
  // GET /, GET /collections/{name}/exists and POST /collections/{name}/points/count in the shapes of Qdrant's reference.
  const fake = answering((req) => {
    if (req.url === '/') return { status: 200, body: { title: 'qdrant - vector search engine', version: '1.19.1' } };
    if (req.url?.endsWith('/exists')) return { status: 200, body: { result: { exists: true }, status: 'ok', time: 0 } };
    return { status: 200, body: { result: { count: 3 }, status: 'ok', time: 0 } };
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-doctor-qdrant-'));
  let url = '';
  let catalog: Catalog;

  beforeAll(async () => {
    url = await fake.start();
    catalog = new Catalog(await openCatalogDatabase({ dataDir: dir, databaseUrl: null }));
  });

  afterAll(async () => {
    await catalog.close();
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names the server, its version and size, and says whether filters run on its payload', async () => {
    const config = loadConfig({ env: { GLIMPSE_QDRANT_URL: url, GLIMPSE_MODEL: 'Xenova/siglip-base-patch16-224' }, overrides: { dataDir: dir } });
    const payloads = new VectorPayloads(catalog.db);
    const reachable = `Qdrant 1.19.1 at ${url}, reachable; collection glimpse_Xenova_siglip-base-patch16-224: 3 photo(s)`;
    const inStep = await vectorBackendCheck(config, () => payloads.pendingCount());
    expect(inStep).toEqual({ check: { name: 'vectors', ok: true, detail: `${reachable}; filters run on its payload` }, summary: reachable });

    const folder = await catalog.insertFolder('/p');
    const image = await catalog.insertImage({ folder_id: folder.id, path: '/p/a.jpg', hash: 'a', size_bytes: 1, mtime_ms: 1 });
    await catalog.updateImage(image.id, { taken_at: '2020-01-01T00:00:00.000Z' });
    const waiting = await vectorBackendCheck(config, () => payloads.pendingCount());
    expect(waiting.check.detail).toBe(`${reachable}; 1 photo(s)' folder, date or people wait to be written to it, so filters go as the catalog's photo ids until then`);
  });
});
