// Watches one library folder with chokidar and reports photo files appearing, changing and vanishing. Files still
// being written are waited out (awaitWriteFinish); deciding what a change means (move, copy, edit) is left to the
// content hash in file-identity.ts.
import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import { systemFolderOf } from './folder-rules';
import { isHiddenName, isPhotoPath } from './formats';

export interface WatchHandlers {
  /** A photo file was added or its bytes changed (after it stopped growing). */
  fileChanged(filePath: string): void;
  fileVanished(filePath: string): void;
  folderVanished(folderPath: string): void;
  error(message: string): void;
}

export class FolderWatcher {
  private readonly watcher: FSWatcher;
  private readonly ready: Promise<void>;

  constructor(root: string, options: { settleMs: number; skip: readonly string[] }, handlers: WatchHandlers) {
    const skipped = new Set(options.skip.map((p) => path.resolve(p)));
    this.watcher = watch(root, {
      ignoreInitial: true,
      // Links are followed by scans (with loop protection); the watcher stays on real folders so it can never loop.
      followSymlinks: false,
      awaitWriteFinish:
        options.settleMs > 0 ? { stabilityThreshold: options.settleMs, pollInterval: Math.min(100, options.settleMs) } : false,
      // The root is compared too: a watched folder that is itself skipped (the data dir) or a system folder sees nothing.
      ignored: (p, stats) => {
        if (skipped.has(p) || systemFolderOf(p)) return true;
        if (p === root) return false;
        if (isHiddenName(path.basename(p))) return true;
        return stats?.isFile() === true && !isPhotoPath(p);
      },
    });
    this.watcher.on('add', (p) => isPhotoPath(p) && handlers.fileChanged(p));
    this.watcher.on('change', (p) => isPhotoPath(p) && handlers.fileChanged(p));
    this.watcher.on('unlink', (p) => isPhotoPath(p) && handlers.fileVanished(p));
    this.watcher.on('unlinkDir', (p) => handlers.folderVanished(p));
    this.watcher.on('error', (error) => handlers.error(`Watching ${root} failed: ${(error as Error).message ?? String(error)}`));
    this.ready = new Promise((resolve) => this.watcher.once('ready', () => resolve()));
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  close(): Promise<void> {
    return this.watcher.close();
  }
}
