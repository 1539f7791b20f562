// The renderer's build, shared by `electron-vite build` (desktop) and `npm run build:renderer` (browser mode): one
// bundle in out/renderer with relative URLs, so Electron's file:// page and the browser-mode server both load it.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Plugin, UserConfig } from 'vite';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)));

/** The page's Content-Security-Policy, added at build time only: the dev server's hot reload needs inline scripts. */
export const RENDERER_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' glimpse: data: blob:; font-src 'self'; " +
  "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'";

function contentSecurityPolicy(): Plugin {
  return {
    name: 'glimpse-csp',
    apply: 'build',
    transformIndexHtml: (html) =>
      html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${RENDERER_CSP}">`),
  };
}

export const rendererConfig: UserConfig = {
  root: resolve(root, 'src-renderer'),
  base: './',
  publicDir: false,
  plugins: [react(), contentSecurityPolicy()],
  build: {
    outDir: resolve(root, 'out/renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    assetsInlineLimit: 0,
    minify: true,
    rolldownOptions: { input: resolve(root, 'src-renderer/index.html') },
  },
  server: { fs: { allow: [root] } },
};

export default rendererConfig;
