// `glimpse serve` right after `npm install`: the interface is not built yet, so serve builds it once and the printed
// link opens the window's page instead of an Api-only server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src-main/config';
import { serveBrowserMode } from '../../src-main/server/serve';
import { FIXTURE_MODEL_ID } from '../fixtures/generate-models';

describe('glimpse serve without a built interface', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-serve-build-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('builds the interface once and serves it at the printed link', async () => {
    const rendererDir = path.join(root, 'renderer');
    const lines: string[] = [];
    const config = loadConfig({
      env: { GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' },
      overrides: { dataDir: path.join(root, 'data') },
    });
    const server = await serveBrowserMode(config, { port: 0, rendererDir, log: (line) => lines.push(line) });
    try {
      expect(fs.existsSync(path.join(rendererDir, 'index.html'))).toBe(true);
      expect(lines.some((line) => line.startsWith('Glimpse is running in browser mode: http://127.0.0.1:'))).toBe(true);
      expect(lines.some((line) => /could not be built|serving the Api only/.test(line))).toBe(false);
      const page = await fetch(server.url, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      await server.close();
    }
  }, 180_000);
});
