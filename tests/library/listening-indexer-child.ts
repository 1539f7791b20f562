// An indexer of a shared PostgreSQL catalog that polls for unannounced work only every 10 minutes, so it can only
// pick up work another process queues by being told (LISTEN/NOTIFY); it exits once that work is all done.
import { Library } from '../../src-main/library/library';
import { Catalog } from '../../src-main/store/catalog';
import { openCatalogDatabase } from '../../src-main/store/database';
import { makeTestConfig } from './library-harness';

const [dataDir, databaseUrl, expectedPhotos] = process.argv.slice(2);
const config = makeTestConfig(dataDir, { workPollMs: 600_000 });
const catalog = new Catalog(await openCatalogDatabase({ dataDir, databaseUrl }));
const library = await Library.open({ config, catalog });
await library.start();
process.stdout.write(`listening ${catalog.workerId}\n`);
const photoCount = async () => Number((await catalog.db.selectFrom('images').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
while ((await photoCount()) < Number(expectedPhotos)) await new Promise((resolve) => setTimeout(resolve, 100));
await library.waitForIdle(2);
await library.close();
await catalog.close();
process.stdout.write(`done ${catalog.workerId}\n`);
