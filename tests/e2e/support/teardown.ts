// The end of every end-to-end file: the browser, the server and the engine closed in that order (a page still open
// would call a closed server), then the file's temporary folder removed.
import fs from 'node:fs';
import type { Browser } from 'playwright-core';

interface Closable {
  close(): Promise<unknown>;
}

export async function closeEndToEnd(parts: { browser?: Browser | null; server?: Closable | null; api?: Closable | null; workDir?: string | null }): Promise<void> {
  await parts.browser?.close();
  await parts.server?.close();
  await parts.api?.close();
  if (parts.workDir) fs.rmSync(parts.workDir, { recursive: true, force: true });
}
