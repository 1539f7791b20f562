// One indexer of a library whose catalog is a shared PostgreSQL database: it drains the queue it shares with other
// processes until nothing is left, then prints what it did. The multi-indexer test runs two and kills one.
import { Library } from '../../src-main/library/library';
import { Catalog } from '../../src-main/store/catalog';
import { openCatalogDatabase } from '../../src-main/store/database';
import { makeTestConfig } from './library-harness';

const [dataDir, databaseUrl, leaseMs] = process.argv.slice(2);
const config = makeTestConfig(dataDir);
const catalog = new Catalog(await openCatalogDatabase({ dataDir, databaseUrl }), { leaseMs: Number(leaseMs) });
const library = await Library.open({ config, catalog });
await library.start();
process.stdout.write(`started ${catalog.workerId}\n`);
await library.waitForIdle(2);
await library.close();
await catalog.close();
process.stdout.write(`done ${catalog.workerId}\n`);
