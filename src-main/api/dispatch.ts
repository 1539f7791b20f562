// Turns a table of operation handlers into the Api transports call: validate the input with its schema, run
// the handler, and return a typed result whatever happens, so no transport ever sees a thrown error.
import type { ApiOperations, OperationName, OperationOutput, Result } from '../../src-preload/api';
import { GlimpseError, describeError } from '../errors';
import { describeInputError, inputSchemas } from './schemas';

export type Handlers = { [K in OperationName]: (input: ApiOperations[K]['input']) => Promise<ApiOperations[K]['output']> };

export function isOperationName(name: string): name is OperationName {
  return Object.prototype.hasOwnProperty.call(inputSchemas, name);
}

export async function dispatch<K extends OperationName>(
  handlers: Handlers,
  operation: K,
  input: unknown,
  onUnexpected: (operation: string, error: unknown) => void,
): Promise<Result<OperationOutput<K>>> {
  if (typeof operation !== 'string' || !isOperationName(operation)) {
    return { ok: false, error: { code: 'INVALID_INPUT', message: `Unknown operation "${String(operation)}"`, subject: String(operation) } };
  }
  const parsed = inputSchemas[operation].safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: { code: 'INVALID_INPUT', message: describeInputError(operation, parsed.error) } };
  }
  try {
    const handler = handlers[operation] as (input: unknown) => Promise<OperationOutput<K>>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof GlimpseError) return { ok: false, error: error.toApiError() };
    onUnexpected(operation, error);
    return { ok: false, error: { code: 'INTERNAL', message: `${operation} failed: ${describeError(error)}` } };
  }
}
