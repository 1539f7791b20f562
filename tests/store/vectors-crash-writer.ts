// Child process for the crash test: writes to an embedded vector store and is killed before it can close it,
// the way a power cut or a force-quit would leave the store.
import { openEmbeddedVectorStore } from '../../src-main/store/vectors/embedded-vector-store';
import { clusteredSpace } from '../../bench/synthetic-vectors';

const [dir, dimensionsText] = process.argv.slice(2);
const dimensions = Number(dimensionsText);
const space = clusteredSpace(dimensions, 20, 11);
const store = await openEmbeddedVectorStore({ dir, dimensions, exactSearchBelow: 0, saveAfterChanges: 1_000_000 });
const photo = (id: number) => ({ id, vector: space.sample() });
const crops = (id: number) => ({ id, crops: Array.from({ length: 5 }, () => space.sample()) });
const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

await store.upsertGlobals(ids(1, 3000).map(photo));
await store.upsertCrops(ids(1, 3000).map(crops));
await store.flush();
await store.upsertGlobals(ids(3001, 3500).map(photo));
await store.upsertCrops(ids(3001, 3500).map(crops));
await store.delete(ids(1, 100));
process.kill(process.pid, 'SIGKILL');
