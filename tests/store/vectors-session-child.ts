// Child process for the reopen tests: one run of the app or CLI against an embedded vector store, given as steps. It
// is a separate process because usearch aborts the process (SIGABRT, uncatchable) on an index it cannot load.
// Usage: tsx vectors-session-child.ts <dir> <json Session>; prints one JSON line per `report` step.
import { openEmbeddedVectorStore } from '../../src-main/store/vectors/embedded-vector-store';
import type { VectorStore } from '../../src-main/store/vectors/vector-store';
import { vectorOf, type Session, type SessionReport } from './vector-sessions';

async function report(store: VectorStore, session: Session, notices: string[]): Promise<SessionReport> {
  const { photos } = await store.count();
  const ids: number[] = [];
  for await (const page of store.scanGlobals()) ids.push(...page.map((entry) => entry.id));
  const found = photos === 0 ? [] : (await store.search(vectorOf(1, session.dimensions), photos)).map((match) => match.id);
  const notFoundByOwnVector: number[] = [];
  for (const id of ids) {
    const [best] = await store.search(vectorOf(id, session.dimensions), 1);
    if (best?.id !== id) notFoundByOwnVector.push(id);
  }
  return { photos, found: found.sort((a, b) => a - b), notFoundByOwnVector, notices: notices.splice(0) };
}

async function main(): Promise<void> {
  const [dir, json] = process.argv.slice(2);
  const session = JSON.parse(json) as Session;
  const notices: string[] = [];
  const open = (exactSearchBelow = session.exactSearchBelow) =>
    openEmbeddedVectorStore({
      dir,
      dimensions: session.dimensions,
      exactSearchBelow,
      saveAfterChanges: session.saveAfterChanges,
      onNotice: (message) => notices.push(message),
    });
  let store = await open();
  for (const step of session.steps) {
    if (typeof step === 'object' && 'add' in step) {
      await store.upsertGlobals(step.add.map((id) => ({ id, vector: vectorOf(id, session.dimensions) })));
    } else if (typeof step === 'object' && 'remove' in step) {
      await store.delete(step.remove);
    } else if (typeof step === 'object') {
      await store.close();
      store = await open(step.reopen.exactSearchBelow);
    } else if (step === 'flush') {
      await store.flush();
    } else if (step === 'reopen') {
      await store.close();
      store = await open();
    } else if (step === 'report') {
      process.stdout.write(`${JSON.stringify(await report(store, session, notices))}\n`);
    } else if (step === 'close') {
      await store.close();
    } else {
      process.kill(process.pid, 'SIGKILL');
    }
  }
}

await main();
