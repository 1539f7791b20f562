// The layer rules of DESIGN.md §1, enforced: each layer talks only to its neighbours.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'renderer-sees-no-main',
      comment: 'The renderer reaches the engine only through the Api contract (src-preload/api.ts), never main code or a database.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: '^src-main/|better-sqlite3|^node_modules/(pg|kysely|usearch|onnxruntime-node|sharp)/' },
    },
    {
      name: 'renderer-imports-only-the-contract-from-preload',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: '^src-preload/', pathNot: '^src-preload/api\\.ts$' },
    },
    {
      name: 'electron-only-in-app-and-preload',
      comment: 'Only the thin Electron shell and the preload bridge may import electron.',
      severity: 'error',
      from: { pathNot: '^(src-main/app|src-preload)/' },
      to: { path: '^electron$|node_modules/electron/' },
    },
    {
      name: 'search-is-not-electron-or-ui',
      severity: 'error',
      from: { path: '^src-main/search/' },
      to: { path: '^src-main/(app|server|api|library)/|^src-renderer/' },
    },
    {
      name: 'store-runs-no-model',
      comment: 'The stores persist; they never run a model or decode images. They may start a worker thread (ml/worker-host runs no model).',
      severity: 'error',
      from: { path: '^src-main/store/' },
      to: {
        path: '^src-main/(ml|search|library|api|app|server)/|onnxruntime|@huggingface/transformers|@vladmandic/human|sharp',
        pathNot: '^src-main/ml/worker-host\\.ts$',
      },
    },
    {
      name: 'ml-does-not-reach-up',
      severity: 'error',
      from: { path: '^src-main/ml/' },
      to: { path: '^src-main/(search|store|library|api|app|server)/' },
    },
    {
      name: 'library-does-not-reach-up',
      severity: 'error',
      from: { path: '^src-main/library/' },
      to: { path: '^src-main/(search|api|app|server)/' },
    },
    {
      name: 'api-is-transport-agnostic',
      severity: 'error',
      from: { path: '^src-main/api/' },
      to: { path: '^src-main/(app|server)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    exclude: { path: '^(out|dist|node_modules)/' },
  },
};
