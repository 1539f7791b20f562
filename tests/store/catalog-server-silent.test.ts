// A GLIMPSE_DATABASE_URL whose port takes the connection but never speaks (a hung server, a stuck proxy, another
// program's port): opening the catalog gives up after its connect timeout and says which server stayed silent.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { CatalogServerError, openCatalogDatabase } from '../../src-main/store/database';
import { silentServer } from '../setup/silent-server';

describe('a catalog server that never answers', () => {
  it('fails the opening in one line naming the server, how long it was given, and what to check', async () => {
    const silent = await silentServer();
    try {
      const opening = openCatalogDatabase({ dataDir: os.tmpdir(), databaseUrl: `postgres://glimpse:secret@${silent.url}/glimpse`, connectTimeoutMs: 500 });
      await expect(opening).rejects.toThrow(CatalogServerError);
      await expect(opening).rejects.toThrow(
        new RegExp(
          `^PostgreSQL at ${silent.url}/glimpse: did not answer within 0\\.5 s \\(it took the connection, then said nothing\\): is that PostgreSQL's port, and is the server overloaded or stuck\\?$`,
        ),
      );
      await expect(opening).rejects.not.toThrow(/secret/);
    } finally {
      await silent.close();
    }
  });
});
