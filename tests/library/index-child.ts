// A separate process that indexes one folder and prints the report as JSON: the crash test kills it mid-work,
// and the permission test runs it as an unprivileged user (root can read any file).
import { Library } from '../../src-main/library/library';
import { Catalog } from '../../src-main/store/catalog';
import { openCatalogDatabase } from '../../src-main/store/database';
import { makeTestConfig } from './library-harness';

const [dataDir, folder] = process.argv.slice(2);
const config = makeTestConfig(dataDir);
const catalog = new Catalog(await openCatalogDatabase({ dataDir, databaseUrl: null }));
const library = await Library.open({ config, catalog });
await library.start();
const report = await library.indexFolder(folder);
await library.close();
await catalog.close();
process.stdout.write(`${JSON.stringify(report)}\n`);
