// The one error type the engine throws on purpose: it carries the contract's ErrorCode and the thing it is
// about, so the Api can turn it into a typed result that names the cause instead of a stack trace.
import type { ApiError, ErrorCode } from '../src-preload/api';

export class GlimpseError extends Error {
  override name = 'GlimpseError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly subject?: string,
    /** The lower layer's error this one reads for, when a caller must still tell its kinds apart. */
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toApiError(): ApiError {
    return this.subject === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, subject: this.subject };
  }
}

/** Turns anything thrown into a one-line reason fit for a person or a log (no stack traces). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] || error.name;
  return String(error);
}
