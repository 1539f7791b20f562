// Test shorthand for an Api call that must succeed: the value, or a thrown error naming the operation and cause.
import type { OperationName, OperationOutput } from '../../src-preload/api';
import type { Api } from '../../src-main/api/api-types';

export async function call<K extends OperationName>(api: Api, operation: K, input: unknown): Promise<OperationOutput<K>> {
  const result = await api.invoke(operation, input);
  if (!result.ok) throw new Error(`${operation}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}
