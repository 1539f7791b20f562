// The stages that write their results to the catalog (imported words, OCR) do it once, even when the process dies
// between the result and its stage's done mark (pinned there by stage-kill-point.ts): on both engines the result goes
// down with the mark, and a restart reads only that photo again, leaving the others' stored results untouched.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importedWordsStage } from '../../src-main/library/imported-words-stage';
import { ocrStage } from '../../src-main/library/ocr-stage';
import type { PipelineStage } from '../../src-main/library/pipeline-stage';
import { OcrReader } from '../../src-main/ml/ocr/ocr-reader';
import { PhotoWordsStore, type PhotoWordsTables } from '../../src-main/store/photo-words';
import { writeJpeg, writeTextPicture, xmpPacket } from '../deep/word-fixtures';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';
import { type Harness, makeHarness } from './library-harness';
import { postgresKillPoint, sqliteKillPoint, type StageKillPoint } from './stage-kill-point';

// The stages write only through the transaction they are handed, so one store works across the harness's reopen.
const anyCatalog = { within: (trx) => new PhotoWordsStore(trx) } as PhotoWordsStore;
const reader = new OcrReader();

interface StageCase {
  name: string;
  stage: PipelineStage;
  pass: 1 | 2;
  table: keyof PhotoWordsTables;
  /** Writes two photos with something for the stage to find; returns their file names and what each should give. */
  write(dir: string): Promise<Array<{ file: string; found: (store: PhotoWordsStore, id: number) => Promise<unknown> }>>;
}

const cases: StageCase[] = [
  {
    name: 'imported words',
    stage: importedWordsStage(anyCatalog),
    pass: 1,
    table: 'photo_words',
    write: async (dir) =>
      Promise.all(
        ['Harbour at dawn', 'Fish market'].map(async (title, i) => ({
          file: await writeJpeg(path.join(dir, `titled-${i}.jpg`), { xmp: xmpPacket({ title }) }),
          found: async (store: PhotoWordsStore, id: number) => expect((await store.get(id))?.title).toBe(title),
        })),
      ),
  },
  {
    name: 'OCR',
    stage: ocrStage(reader, anyCatalog),
    pass: 2,
    table: 'photo_ocr',
    write: async (dir) =>
      Promise.all(
        ['HOTEL', 'PHARMACY'].map(async (word, i) => ({
          file: await writeTextPicture(path.join(dir, `sign-${i}.png`), [word], { width: 600, height: 200, fontSize: 80 }),
          found: async (store: PhotoWordsStore, id: number) => expect((await store.get(id))?.ocr?.text).toBe(word),
        })),
      ),
  },
];

const databases: TestDatabase[] = [];
afterAll(async () => {
  await reader.close();
  for (const database of databases) await database.drop();
});

const engines = [
  { name: 'SQLite', databaseUrl: async () => undefined, killPoint: async (h: Harness) => sqliteKillPoint(h.config.dataDir) },
  {
    name: 'PostgreSQL',
    databaseUrl: async () => {
      const database = await createTestDatabase('glimpse_stage_once');
      databases.push(database);
      return database.url;
    },
    killPoint: async (_: Harness, url?: string) => postgresKillPoint(url as string),
  },
];

describe.each(engines)('stage results written once on $name', (engine) => {
  it.each(cases)('$name: a kill before the done mark keeps no result, and a restart redoes only that photo', { timeout: 180_000 }, async (stageCase) => {
    const databaseUrl = await engine.databaseUrl();
    const harness = await makeHarness({ extraStages: [stageCase.stage], start: false, databaseUrl });
    const outside: StageKillPoint = await engine.killPoint(harness, databaseUrl);
    try {
      const [dying, surviving] = await stageCase.write(harness.photos);
      const resultsAt = async () => {
        const rows = await harness.catalog.db.withTables<PhotoWordsTables>().selectFrom(stageCase.table).select(['image_id', 'updated_at']).execute();
        return new Map(rows.map((r) => [r.image_id, r.updated_at]));
      };
      const idOf = async (file: string) => (await harness.catalog.getImageByPath(file))?.id as number;
      const stageOf = async (file: string) => (await harness.catalog.stagesOf(await idOf(file))).find((s) => s.stage === stageCase.stage.name)?.status;

      await outside.dieWhenMarkingDone(stageCase.stage.name, dying.file);
      await harness.library.start();
      await harness.library.indexFolder(harness.photos);
      await harness.library.waitForIdle(stageCase.pass);
      expect(await stageOf(dying.file)).toBe('failed');
      expect(await stageOf(surviving.file)).toBe('done');
      const before = await resultsAt();
      // What the stage made for the dying photo went down with the failed mark; the other photo's result is there.
      expect(before.has(await idOf(dying.file))).toBe(false);
      await surviving.found(new PhotoWordsStore(harness.catalog.db), await idOf(surviving.file));

      await outside.leaveAsKilled(stageCase.stage.name, dying.file);
      // The harness was made unstarted (the kill point needs the catalog first), so its reopened library is too.
      await (await harness.reopen()).start();
      await harness.library.waitForIdle(stageCase.pass);
      expect(await stageOf(dying.file)).toBe('done');
      await dying.found(new PhotoWordsStore(harness.catalog.db), await idOf(dying.file));
      // The photo that had its result was not read again: the very same row.
      const after = await resultsAt();
      expect(after.get(await idOf(surviving.file))).toBe(before.get(await idOf(surviving.file)));
    } finally {
      await outside.close();
      await harness.dispose();
    }
  });
});
