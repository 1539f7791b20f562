// Standard output carries only a command's result (the JSON of --json, a table, a URL): libraries that print while
// they work — libheif says "Decoding image failed …" through console.log — are sent to standard error instead.
import { Console } from 'node:console';

const PRINTING_METHODS = ['log', 'info', 'debug', 'dir', 'dirxml', 'table', 'trace', 'group', 'groupCollapsed', 'groupEnd'] as const;

/** Points every console method that writes to standard output at standard error, for this thread. */
export function sendConsoleToStderr(): void {
  const toStderr = new Console({ stdout: process.stderr, stderr: process.stderr });
  for (const method of PRINTING_METHODS) {
    (console as unknown as Record<string, unknown>)[method] = (toStderr[method] as (...args: unknown[]) => void).bind(toStderr);
  }
}
