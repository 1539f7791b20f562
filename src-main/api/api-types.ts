// The shape of the engine's Api object as transports (IPC, HTTP, CLI) see it: one async handler per operation
// of the contract in src-preload/api.ts, plus the event stream and the by-id image lookup the transports serve.
import type { GlimpseEvent, OperationInput, OperationName, OperationOutput, Result } from '../../src-preload/api';

export type ImageSize = 'thumb' | 'view' | 'original';

export interface Api {
  /** Validates `input` against the operation's schema, runs it, and never throws: failures are typed results. */
  invoke<K extends OperationName>(operation: K, input: unknown): Promise<Result<OperationOutput<K>>>;
  /** Subscribes to engine events; returns the unsubscribe function. */
  subscribe(listener: (event: GlimpseEvent) => void): () => void;
  /** Resolves a photo id to the file a transport may serve for it, or null: ids only, never caller-given paths. */
  imageFile(id: number, size: ImageSize): Promise<{ path: string; contentType: string } | null>;
  close(): Promise<void>;
}

export type { OperationInput, OperationName, OperationOutput };
