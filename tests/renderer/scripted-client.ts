// A scripted GlimpseClient for component and store tests: canned Results per operation and a hand-driven event
// stream, recording every call — the transport double the renderer tests stand on.
import type { GlimpseEvent, OperationName, PhotoSummary, Result, SearchHit } from '../../src-preload/api';
import type { GlimpseClient } from '../../src-renderer/client/client';

export interface ScriptedClient extends GlimpseClient {
  calls: { operation: OperationName; input: unknown }[];
  emit(event: GlimpseEvent): void;
}

type Answer = (input: never) => Result<unknown> | Promise<Result<unknown>>;

export function scriptedClient(answers: Partial<Record<OperationName, Answer>>, extra: Partial<GlimpseClient> = {}): ScriptedClient {
  const listeners = new Set<(event: GlimpseEvent) => void>();
  const client: ScriptedClient = {
    mode: 'browser',
    calls: [],
    async invoke(operation, input) {
      client.calls.push({ operation, input });
      const answer = answers[operation];
      if (!answer) return { ok: false, error: { code: 'INTERNAL', message: `no scripted answer for ${operation}` } } as never;
      return (await answer(input as never)) as never;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    imageUrl: (id, size) => `/media/${size}/${id}`,
    emit(event) {
      for (const listener of listeners) listener(event);
    },
    ...extra,
  };
  return client;
}

export function photo(id: number, takenAt: string | null, name = `photo-${id}.jpg`): PhotoSummary {
  return {
    id,
    path: `/photos/${name}`,
    folderId: 1,
    width: 640,
    height: 480,
    takenAt,
    addedAt: '2024-01-01T12:00:00.000Z',
    status: 'ready',
  };
}

export function hit(p: PhotoSummary, calibrated: number, global = 0.2, local: number | null = 0.25): SearchHit {
  const final = local === null ? global : 0.7 * global + 0.3 * local;
  return { photo: p, global, local, final, calibrated, score: calibrated, globalOnly: local === null };
}
