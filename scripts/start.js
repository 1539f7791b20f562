#!/usr/bin/env node
// `npm start`: the desktop app when an Electron binary can run here; otherwise one line saying why, then the same UI
// in browser mode (`glimpse serve`), whose URL (token included) is printed. `npm start -- --browser` forces the latter.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const args = process.argv.slice(2);
const forceBrowser = args.includes('--browser') || process.env.GLIMPSE_BROWSER === '1';
const passThrough = args.filter((arg) => arg !== '--browser');

function electronBinary() {
  const pathFile = path.join(root, 'node_modules', 'electron', 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const executable = path.join(root, 'node_modules', 'electron', 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(executable) ? executable : null;
}

/** Why Electron cannot run here, or null when it can (downloading the binary first with install-electron if needed). */
function electronUnavailable() {
  if (forceBrowser) return 'browser mode requested';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display (DISPLAY/WAYLAND_DISPLAY unset)';
  if (!electronBinary()) {
    const install = spawnSync(bin('install-electron'), ['--no'], { cwd: root, stdio: 'ignore', timeout: 180_000 });
    if (!electronBinary()) return `no Electron binary and \`npx install-electron\` could not fetch one (exit ${install.status ?? install.signal})`;
  }
  const probe = spawnSync(electronBinary(), ['-e', "require('better-sqlite3'); require('sharp')"], {
    cwd: root,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (probe.error) return `the Electron binary does not start (${probe.error.message})`;
  if (probe.status !== 0) {
    const reason = /NODE_MODULE_VERSION/.test(probe.stderr) ? 'native modules are built for Node, not Electron: run `npx electron-builder install-app-deps`' : probe.stderr.trim().split('\n')[0];
    return `Electron cannot load Glimpse's native modules (${reason})`;
  }
  return null;
}

function build(label, outputs, command, commandArgs) {
  if (outputs.every((file) => fs.existsSync(path.join(root, file)))) return;
  process.stdout.write(`Building ${label}…\n`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function run(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const reason = electronUnavailable();
if (reason === null) {
  build('the desktop app', ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'], bin('electron-vite'), ['build']);
  run(electronBinary(), [root, ...passThrough]);
} else {
  process.stdout.write(`Electron is not available here (${reason}); starting Glimpse in browser mode instead.\n`);
  build('the interface', ['out/renderer/index.html'], bin('vite'), ['build', '--config', 'vite.renderer.config.ts']);
  run(process.execPath, [path.join(root, 'bin', 'glimpse.js'), 'serve', ...passThrough]);
}
