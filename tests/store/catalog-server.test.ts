// A PostgreSQL catalog that cannot be used says which server and why, without its password, before anything is written.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { CatalogServerError, openCatalogDatabase } from '../../src-main/store/database';
import { requirePostgresUrl } from '../setup/postgres';

const open = (databaseUrl: string) => openCatalogDatabase({ dataDir: os.tmpdir(), databaseUrl });

describe('catalog servers that cannot be used', () => {
  it('a wrong password names the server and the remedy, not the password', async () => {
    const url = new URL(requirePostgresUrl());
    url.password = 'not-the-password';
    const opening = open(url.toString());
    await expect(opening).rejects.toThrow(CatalogServerError);
    await expect(opening).rejects.toThrow(
      new RegExp(`^PostgreSQL at ${url.hostname}:${url.port}${url.pathname}: password authentication failed for user "${url.username}": check the user and password in GLIMPSE_DATABASE_URL$`),
    );
    await expect(opening).rejects.not.toThrow(/not-the-password/);
  });

  it('a server that is not there is called unreachable', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expect(open(`postgres://glimpse:secret@127.0.0.1:${port}/glimpse`)).rejects.toThrow(
      `PostgreSQL at 127.0.0.1:${port}/glimpse: unreachable (ECONNREFUSED): is the server running and the address right?`,
    );
  });

  it('a database that does not exist says to create it', async () => {
    const url = new URL(requirePostgresUrl());
    url.pathname = '/glimpse_no_such_database';
    await expect(open(url.toString())).rejects.toThrow(/database "glimpse_no_such_database" does not exist: create the database first/);
  });

  it('a URL of another scheme is refused before connecting', async () => {
    await expect(open('mysql://root@127.0.0.1:3306/glimpse')).rejects.toThrow(
      'GLIMPSE_DATABASE_URL uses mysql: the catalog runs on PostgreSQL (postgres://user:password@host:5432/database) or, unset, on SQLite',
    );
  });
});
