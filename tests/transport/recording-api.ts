// A transport test double: an Api that records what the transports hand it and answers with canned Results, so the
// IPC and HTTP layers are tested for what they forward and refuse. It stands in for the transport's caller, never
// for a model — the end-to-end test runs the real engine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GlimpseEvent, Result } from '../../src-preload/api';
import type { Api, ImageSize } from '../../src-main/api/api-types';

export interface RecordingApi extends Api {
  calls: { operation: string; input: unknown }[];
  imageRequests: { id: number; size: ImageSize }[];
  emit(event: GlimpseEvent): void;
  listenerCount(): number;
  /** The file served for photo 1. */
  photoFile: string;
  /** What `import.files` saw in each file when it was called (uploads are removed afterwards). */
  importedContents: string[];
}

export function createRecordingApi(answers: Record<string, (input: unknown) => Result<unknown>> = {}): RecordingApi {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-transport-'));
  const photoFile = path.join(dir, 'photo-1.webp');
  fs.writeFileSync(photoFile, Buffer.from('RIFF0000WEBPVP8 fake-bytes-of-photo-1'));
  const listeners = new Set<(event: GlimpseEvent) => void>();
  const api: RecordingApi = {
    calls: [],
    imageRequests: [],
    photoFile,
    importedContents: [],
    async invoke(operation, input) {
      api.calls.push({ operation, input });
      if (operation === 'import.files') {
        const paths = (input as { paths: string[] }).paths;
        api.importedContents.push(...paths.map((file) => fs.readFileSync(file, 'utf8')));
        return { ok: true, value: { indexed: paths.length, duplicates: 0, failed: [] } } as never;
      }
      const answer = answers[operation];
      if (!answer) return { ok: false, error: { code: 'INVALID_INPUT', message: `Unknown operation "${operation}"` } } as never;
      return answer(input) as never;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async imageFile(id, size) {
      api.imageRequests.push({ id, size });
      return id === 1 ? { path: photoFile, contentType: 'image/webp' } : null;
    },
    async close() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
    emit(event) {
      for (const listener of listeners) listener(event);
    },
    listenerCount: () => listeners.size,
  };
  return api;
}
