// `vectors.migrate` (glimpse migrate) refusals a person can meet: a target that is not a vector store, a copy to where
// the vectors already are, and a Qdrant that is not there — each a clear answer, with the library untouched.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig } from '../../src-main/config';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';

describe('vectors.migrate', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-migrate-'));
  let api: Api;

  beforeAll(async () => {
    const config = loadConfig({
      env: { GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' },
      overrides: { dataDir: path.join(root, 'data') },
    });
    api = await openApi(config);
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('takes a Qdrant URL or "embedded", nothing else', async () => {
    const result = await api.invoke('vectors.migrate', { to: 'postgres://127.0.0.1/glimpse' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!result.ok) expect(result.error.message).toContain("give a Qdrant URL (http://host:6333) or 'embedded'");
  });

  it('refuses a Qdrant URL with a path before touching either store', async () => {
    expect(await api.invoke('vectors.migrate', { to: 'http://127.0.0.1:6333/collections' })).toEqual({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: "Qdrant URL http://127.0.0.1:6333/collections has a path (/collections): give only the server's address, like http://127.0.0.1:6333",
        subject: 'qdrant',
      },
    });
  });

  it('says there is nothing to copy when the vectors are already embedded', async () => {
    expect(await api.invoke('vectors.migrate', { to: 'embedded' })).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: "The library's vectors are already in the embedded store: nothing to copy", subject: 'to' },
    });
  });

  it('names a Qdrant that is not there', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await api.invoke('vectors.migrate', { to: `http://127.0.0.1:${port}` });
    expect(result).toMatchObject({ ok: false, error: { code: 'BACKEND_UNAVAILABLE' } });
    if (!result.ok) expect(result.error.message).toBe(`Qdrant at http://127.0.0.1:${port} is unreachable (ECONNREFUSED) while reading its version: is the server running?`);
  });
});

describe('doctor on a PostgreSQL catalog', () => {
  it('names the engine, its version and the catalog size', async () => {
    const { createTestDatabase } = await import('../setup/postgres');
    const database = await createTestDatabase('glimpse_doctor');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-doctor-pg-'));
    const config = loadConfig({
      env: { GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1', GLIMPSE_DATABASE_URL: database.url },
      overrides: { dataDir: path.join(root, 'data') },
    });
    const api = await openApi(config, { indexing: false });
    try {
      const result = await api.invoke('system.doctor', undefined);
      if (!result.ok) throw new Error(result.error.message);
      expect(result.value.checks.find((c) => c.name === 'catalog')?.detail).toMatch(/^PostgreSQL \d+\.\d+.*, \d+\.\d MB at postgres:\/\/glimpse_test:\*\*\*@/);
    } finally {
      await api.close();
      await database.drop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
