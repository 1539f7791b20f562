// `glimpse serve` and the `npm start` fallback: open the engine, start browser mode, print the URL (token included)
// and shut both down cleanly on Ctrl-C, so the CLI needs one call.
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

export async function serveBrowserMode(config: GlimpseConfig, options: ServeOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    log(`The interface is not built (${rendererDir} has no index.html): run \`npm run build:renderer\` first; serving the Api only.`);
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
