// `npm run build` (electron-vite build): the main process (plus each worker-thread entry as its own file, which
// src-main/ml/worker-host.ts finds beside the bundle), the sandboxed preload (CommonJS, as sandboxed preloads must
// be) and the renderer, whose config is shared with the browser-mode build.
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: {
          index: 'src-main/app/main.ts',
          'embedding-worker': 'src-main/ml/embedding-worker.ts',
          'caption-worker': 'src-main/ml/captions/caption-worker.ts',
          'ocr-worker': 'src-main/ml/ocr/ocr-worker.ts',
          'spelling-worker': 'src-main/search/spelling-worker.ts',
          'face-worker': 'src-main/ml/faces/face-worker.ts',
          'index-compaction-worker': 'src-main/store/vectors/index-compaction-worker.ts',
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: 'src-preload/index.ts' },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
