#!/usr/bin/env node
// `npm test`: everything a fresh checkout needs to prove itself — install what is missing, then the type check,
// the linters (eslint, dependency-cruiser, electronegativity) and the whole vitest suite, ending on one summary line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function run(label, command, args, options = {}) {
  process.stdout.write(`\n▶ ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...options.env } });
  if (result.error) throw new Error(`${label}: ${result.error.message}`);
  return result.status ?? 1;
}

function must(label, command, args, options) {
  const status = run(label, command, args, options);
  if (status !== 0) {
    process.stdout.write(`\n${label} failed (exit ${status})\n0 passed, 1 failed\n`);
    process.exit(status);
  }
}

function ensureSystemPackages() {
  const wanted = [];
  if (!fs.existsSync('/usr/bin/pg_ctlcluster')) wanted.push('postgresql');
  if (!fs.existsSync('/usr/bin/chromium')) wanted.push('chromium');
  if (!fs.existsSync('/usr/bin/xvfb-run')) wanted.push('xvfb');
  if (wanted.length === 0 || process.platform !== 'linux') return;
  if (!isRoot) {
    process.stdout.write(`Missing system packages: ${wanted.join(' ')}. Install them (e.g. sudo apt-get install ${wanted.join(' ')}) and run npm test again.\n`);
    process.exit(1);
  }
  must('apt-get update', 'apt-get', ['update', '-qq']);
  must(`apt-get install ${wanted.join(' ')}`, 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...wanted], {
    env: { DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** Starts Debian's PostgreSQL cluster and a test role, unless the caller already points at a server. */
function ensurePostgres() {
  if (process.env.GLIMPSE_TEST_POSTGRES_URL) return;
  const clusters = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  const line = clusters.stdout?.trim().split('\n').find(Boolean);
  if (!line) {
    process.stdout.write('No PostgreSQL cluster found: install postgresql or set GLIMPSE_TEST_POSTGRES_URL.\n0 passed, 1 failed\n');
    process.exit(1);
  }
  const [version, cluster, port, status] = line.split(/\s+/);
  if (status !== 'online') must(`start PostgreSQL ${version}/${cluster}`, 'pg_ctlcluster', [version, cluster, 'start']);
  const role = spawnSync('su', ['postgres', '-c', `psql -p ${port} -v ON_ERROR_STOP=1 -q -f -`], {
    encoding: 'utf8',
    input: `DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'glimpse_test') THEN
        CREATE ROLE glimpse_test LOGIN CREATEDB PASSWORD 'glimpse_test';
      END IF;
    END $$;`,
  });
  if (role.status !== 0) {
    process.stdout.write(`Could not create the PostgreSQL test role (${role.stderr.trim()}); set GLIMPSE_TEST_POSTGRES_URL instead.\n0 passed, 1 failed\n`);
    process.exit(1);
  }
  process.env.GLIMPSE_TEST_POSTGRES_URL = `postgres://glimpse_test:glimpse_test@127.0.0.1:${port}/postgres`;
}

if (!fs.existsSync(path.join(root, 'node_modules', '.package-lock.json'))) must('npm ci', 'npm', ['ci']);
ensureSystemPackages();
ensurePostgres();

must('type check (tsc)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
must('lint (eslint)', bin('eslint'), ['--max-warnings', '0', '.']);
must('layers (dependency-cruiser)', bin('depcruise'), ['src-main', 'src-preload', 'src-renderer', '--config', '.dependency-cruiser.cjs']);
must('Electron security (electronegativity)', process.execPath, [path.join(root, 'scripts', 'electronegativity.js')]);

const report = path.join(os.tmpdir(), `glimpse-vitest-${process.pid}.json`);
const status = run('tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);
let passed = 0;
let failed = 0;
try {
  const results = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests + (status !== 0 && results.numFailedTests === 0 ? 1 : 0);
} catch {
  failed = 1;
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(status === 0 && failed === 0 ? 0 : 1);
