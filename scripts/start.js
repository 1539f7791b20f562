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

/**
 * better-sqlite3 is the one native module not built on Node-API, so Electron needs its own build of it. We keep that
 * build beside node_modules (prebuilt download first, compiled from source otherwise) and hand its path to the
 * catalog through GLIMPSE_SQLITE_BINDING, so the Node build that the CLI and the tests use stays untouched.
 */
function electronSqliteBinding(electronVersion) {
  const dir = path.join(root, '.cache', 'electron-native', electronVersion, 'better-sqlite3');
  const binding = path.join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (fs.existsSync(binding)) return binding;
  process.stdout.write(`Building better-sqlite3 for Electron ${electronVersion} (once)…\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(root, 'node_modules', 'better-sqlite3'), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}build${path.sep}`) });
  const prebuilt = spawnSync(bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion], { cwd: dir, stdio: 'inherit' });
  if (prebuilt.status !== 0 || !fs.existsSync(binding)) {
    spawnSync(bin('node-gyp'), ['rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers'], {
      cwd: dir,
      stdio: 'inherit',
    });
  }
  return fs.existsSync(binding) ? binding : null;
}

function probeElectron(env) {
  return spawnSync(electronBinary(), ['-e', "const D = require('better-sqlite3'); new D(':memory:', process.env.GLIMPSE_SQLITE_BINDING ? { nativeBinding: process.env.GLIMPSE_SQLITE_BINDING } : {}); require('sharp')"], {
    cwd: root,
    env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

/** The environment Electron runs with, or a string saying why it cannot run here (downloading the binary first if needed). */
function electronEnvironment() {
  if (forceBrowser) return 'browser mode requested';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display (DISPLAY/WAYLAND_DISPLAY unset)';
  if (!electronBinary()) {
    const install = spawnSync(bin('install-electron'), ['--no'], { cwd: root, stdio: 'ignore', timeout: 180_000 });
    if (!electronBinary()) return `no Electron binary and \`npx install-electron\` could not fetch one (exit ${install.status ?? install.signal})`;
  }
  let env = { ...process.env };
  let probe = probeElectron(env);
  if (probe.error) return `the Electron binary does not start (${probe.error.message})`;
  if (probe.status !== 0 && /NODE_MODULE_VERSION/.test(probe.stderr)) {
    const version = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
    const binding = electronSqliteBinding(version);
    if (!binding) return `better-sqlite3 could not be built for Electron ${version} (no prebuilt download and no compiler?)`;
    env = { ...env, GLIMPSE_SQLITE_BINDING: binding };
    probe = probeElectron(env);
  }
  if (probe.status !== 0) return `Electron cannot load Glimpse's native modules (${probe.stderr.trim().split('\n')[0]})`;
  return env;
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

const environment = electronEnvironment();
if (typeof environment !== 'string') {
  build('the desktop app', ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'], bin('electron-vite'), ['build']);
  run(electronBinary(), [root, ...passThrough], environment);
} else {
  process.stdout.write(`Electron is not available here (${environment}); starting Glimpse in browser mode instead.\n`);
  build('the interface', ['out/renderer/index.html'], bin('vite'), ['build', '--config', 'vite.renderer.config.ts']);
  run(process.execPath, [path.join(root, 'bin', 'glimpse.js'), 'serve', ...passThrough]);
}
