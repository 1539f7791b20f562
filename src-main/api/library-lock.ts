// One indexer per library: the process that runs the import queue (the app, browser mode, `glimpse index` or
// `watch`) holds a lock file in the data dir, so a second one is told who is already at work instead of re-queueing
// that process's running jobs and doing them twice. A lock left by a process that died is taken over.
import fs from 'node:fs';
import path from 'node:path';
import { GlimpseError } from '../errors';

const LOCK_FILE = 'indexer.lock';
/** Data dirs this process itself holds: a second Api in the same process is refused like another process. */
const heldHere = new Set<string>();

interface LockOwner {
  pid: number;
  command: string;
  startedAt: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
    return Number.isSafeInteger(owner.pid) ? owner : null;
  } catch {
    return null;
  }
}

export interface LibraryLock {
  release(): void;
}

export function acquireLibraryLock(dataDir: string, command: string): LibraryLock {
  const file = path.join(dataDir, LOCK_FILE);
  const key = path.resolve(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      if (heldHere.has(key)) throw Object.assign(new Error('held in this process'), { code: 'EEXIST' });
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid, command, startedAt: new Date().toISOString() }), { flag: 'wx' });
      heldHere.add(key);
      return {
        release() {
          heldHere.delete(key);
          if (readOwner(file)?.pid === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(file);
      if (heldHere.has(key) || (owner && isAlive(owner.pid))) {
        const who = owner ? `${owner.command} (pid ${owner.pid}, since ${owner.startedAt})` : 'another Glimpse';
        throw new GlimpseError(
          'LIBRARY_BUSY',
          `${who} is already indexing the library in ${dataDir}: let it do the work, or stop it and try again`,
          dataDir,
        );
      }
      // The owner died without releasing (a crash, a kill): the lock is stale.
      fs.rmSync(file, { force: true });
    }
  }
  throw new GlimpseError('LIBRARY_BUSY', `Could not take the indexing lock ${file}: another process keeps recreating it`, dataDir);
}
