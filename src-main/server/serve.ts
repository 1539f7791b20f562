// `glimpse serve` and the `npm start` fallback: open the engine, start browser mode, print the URL (token included)
// and shut both down cleanly on Ctrl-C, so the CLI needs one call.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GlimpseConfig } from '../config';
import { openApi } from '../api';
import { startServer, type RunningServer } from './index';

/** Where `npm run build` / `npm run build:renderer` put the renderer, relative to this checkout. */
export function defaultRendererDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../out/renderer');
}

export interface ServeOptions {
  port?: number;
  rendererDir?: string;
  log?: (line: string) => void;
}

/**
 * Right after `npm install` in a checkout the interface is not built yet: build it once with the checkout's own Vite
 * (what `npm run build:renderer` runs), its output on stderr so stdout keeps only the URL. Returns why it could not.
 */
export function buildRendererFromCheckout(outDir: string): string | null {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const config = path.join(root, 'vite.renderer.config.ts');
  if (!fs.existsSync(vite) || !fs.existsSync(config)) return 'this is not a checkout with its development packages installed';
  const built = spawnSync(process.execPath, [vite, 'build', '--config', config, '--outDir', outDir, '--emptyOutDir'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (built.status !== 0) return `the build exited with ${built.status ?? built.signal}`;
  return fs.existsSync(path.join(outDir, 'index.html')) ? null : `the build wrote no index.html to ${outDir}`;
}

export async function serveBrowserMode(config: GlimpseConfig, options: ServeOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    process.stderr.write(`glimpse: the interface is not built yet; building it once into ${rendererDir} (npm run build:renderer)…\n`);
    const failed = buildRendererFromCheckout(rendererDir);
    if (failed) log(`The interface could not be built (${failed}): run \`npm run build:renderer\`; serving the Api only.`);
  }
  const api = await openApi(config, { indexing: { watch: true, command: 'glimpse serve' } });
  api.subscribe((event) => {
    if (event.type === 'notice') log(`${event.level}: ${event.message}`);
  });
  const server = await startServer(api, { port: options.port, rendererDir });
  log(`Glimpse is running in browser mode: ${server.url}`);
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await server.close();
    await api.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return {
    ...server,
    close: async () => {
      await server.close();
      await api.close();
    },
  };
}
