// Opt-in GPU setup (`npm run setup:gpu`): .npmrc skips onnxruntime-node's CUDA download so installs work offline;
// this runs that package's own install script with CUDA 12 enabled, then reports whether a CUDA session opens.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runtimeDir = path.dirname(require.resolve('onnxruntime-node/package.json'));

if (process.platform !== 'linux' && process.platform !== 'win32') {
  console.log(`onnxruntime-node has no CUDA provider for ${process.platform}; Glimpse will use the CPU.`);
  process.exit(0);
}

// ONNXRUNTIME_NODE_INSTALL outranks the `onnxruntime-node-install=skip` that npm passes in from .npmrc.
const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12' };
delete env.npm_config_onnxruntime_node_install;
console.log('Downloading the CUDA 12 execution provider for onnxruntime-node (from NuGet)…');
const install = spawnSync(process.execPath, [path.join(runtimeDir, 'script', 'install.js')], {
  cwd: runtimeDir,
  env,
  stdio: 'inherit',
});
if (install.status !== 0) {
  console.error('The CUDA provider could not be installed (see above); Glimpse keeps using the CPU.');
  process.exit(install.status ?? 1);
}

// A fresh process, so the check loads the files just installed, through the same code `glimpse doctor` uses.
const deviceModule = pathToFileURL(path.join(repoRoot, 'src-main', 'ml', 'device.ts')).href;
const check = spawnSync(
  process.execPath,
  [
    require.resolve('tsx/cli'),
    '--eval',
    `import { chooseDevice } from ${JSON.stringify(deviceModule)};
     chooseDevice('auto').then((choice) => {
       console.log(choice.device === 'cuda' ? 'CUDA works: Glimpse will run its models on the GPU.' : 'CUDA is not usable: ' + choice.reason);
       process.exit(choice.device === 'cuda' ? 0 : 1);
     });`,
  ],
  { cwd: repoRoot, stdio: 'inherit' },
);
process.exit(check.status ?? 1);
