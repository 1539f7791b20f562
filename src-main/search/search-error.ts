// Search failures carry the Api's error code, so the Api layer can hand them to people unchanged.
import type { ErrorCode } from '../../src-preload/api';

export class SearchError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly subject?: string,
  ) {
    super(message);
    this.name = 'SearchError';
  }
}
