// The text index contract, run on SQLite (FTS5) and PostgreSQL (tsvector): what a person finds by words, in which
// order (compared as orders, never as raw scores), and that the index follows every catalog change by itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src-main/store/catalog';
import { openCatalogDatabase } from '../../src-main/store/database';
import { PhotoWordsStore } from '../../src-main/store/photo-words';
import { openTextIndex, queryTerms, type TextIndex } from '../../src-main/store/text-index';
import { createTestDatabase, type TestDatabase } from '../setup/postgres';

interface Opened {
  catalog: Catalog;
  words: PhotoWordsStore;
  index: TextIndex;
}

const engines: Array<[string, () => Promise<{ open(): Promise<Opened>; cleanup(): Promise<void> }>]> = [
  [
    'sqlite',
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-text-'));
      return {
        open: async () => {
          const database = await openCatalogDatabase({ dataDir: dir, databaseUrl: null });
          return { catalog: new Catalog(database), words: new PhotoWordsStore(database.db), index: openTextIndex(database) };
        },
        cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
      };
    },
  ],
  [
    'postgres',
    async () => {
      const database: TestDatabase = await createTestDatabase('glimpse_text');
      return {
        open: async () => {
          const opened = await openCatalogDatabase({ dataDir: os.tmpdir(), databaseUrl: database.url });
          return { catalog: new Catalog(opened), words: new PhotoWordsStore(opened.db), index: openTextIndex(opened) };
        },
        cleanup: () => database.drop(),
      };
    },
  ],
];

const noWords = { title: null, description: null, keywords: [], people: [], sources: ['xmp'], problem: null };

describe.each(engines)('text index on %s', (_name, makeEngine) => {
  let engine: Awaited<ReturnType<(typeof engines)[number][1]>>;
  let t: Opened;
  let folder: { id: number; path: string };
  let n = 0;

  const addPhoto = async (relative: string, caption: string | null = null) => {
    n += 1;
    const row = await t.catalog.insertImage({
      folder_id: folder.id,
      path: path.join(folder.path, relative),
      hash: `hash-${n}-${Math.random()}`,
      size_bytes: 1,
      mtime_ms: 1,
      caption,
    });
    return row.id;
  };
  const find = async (query: string, limit = 20) => (await t.index.search(queryTerms(query).terms, limit)).map((m) => m.id);

  beforeAll(async () => {
    engine = await makeEngine();
    t = await engine.open();
    folder = await t.catalog.insertFolder('/photos/Iceland Trip');
  });
  afterAll(async () => {
    await t.catalog.close();
    await engine.cleanup();
  });

  it('finds photos by imported words, OCR text, captions, file and folder names', async () => {
    const titled = await addPhoto('IMG_0001.jpg');
    await t.words.saveImported(titled, { ...noWords, title: 'Sunset over Reykjavik harbour' });
    const keyworded = await addPhoto('IMG_0002.jpg');
    await t.words.saveImported(keyworded, { ...noWords, keywords: ['glacier', 'Vatnajökull'], people: ['Ana Silva'] });
    const printed = await addPhoto('IMG_0003.jpg');
    await t.words.saveOcr(printed, { lines: [{ text: 'CAFÉ LOKI menu', box: [1, 2, 3, 4], score: 0.97 }], model: 'test' });
    const captioned = await addPhoto('IMG_0004.jpg', 'a puffin standing on a cliff');
    const named = await addPhoto('Whales/humpback_breaching.jpg');

    expect(await find('reykjavik')).toEqual([titled]);
    expect(await find('glacier')).toEqual([keyworded]);
    expect(await find('silva')).toEqual([keyworded]);
    expect(await find('loki')).toEqual([printed]);
    expect(await find('puffin')).toEqual([captioned]);
    expect(await find('humpback')).toEqual([named]);
    expect(await find('whales')).toEqual([named]);
    // The library folder's own name counts as a folder name for every photo in it.
    expect((await find('iceland')).sort()).toEqual([titled, keyworded, printed, captioned, named].sort());
    // Stemming: a plural and a verb form find the singular and the base form.
    expect(await find('sunsets')).toEqual([titled]);
    expect(await find('breach')).toEqual([named]);
    // Search as you type: the last word is a prefix.
    expect(await find('reykja')).toEqual([titled]);
  });

  it('ranks what a person wrote above what a model guessed, and photos with every word first', async () => {
    const byCaption = await addPhoto('a1.jpg', 'an old lighthouse on the coast');
    const byTitle = await addPhoto('a2.jpg');
    await t.words.saveImported(byTitle, { ...noWords, title: 'Lighthouse' });
    const byOcr = await addPhoto('a3.jpg');
    await t.words.saveOcr(byOcr, { lines: [{ text: 'LIGHTHOUSE TOURS', box: [0, 0, 1, 1], score: 0.9 }], model: 'test' });
    expect(await find('lighthouse')).toEqual([byTitle, byOcr, byCaption]);

    const both = await addPhoto('b1.jpg');
    await t.words.saveImported(both, { ...noWords, keywords: ['lava', 'field'] });
    const one = await addPhoto('b2.jpg');
    await t.words.saveImported(one, { ...noWords, title: 'Lava lava lava' });
    const matches = await t.index.search(queryTerms('lava field').terms, 10);
    expect(matches.map((m) => m.id)).toEqual([both, one]);
    expect(matches.map((m) => m.allTerms)).toEqual([true, false]);
  });

  it('searches related words below the words typed, each photo ranked by the best way it was found', async () => {
    const typed = await addPhoto('c1.jpg');
    await t.words.saveImported(typed, { ...noWords, title: 'Streetcar' });
    const close = await addPhoto('c2.jpg');
    await t.words.saveImported(close, { ...noWords, title: 'Tram' });
    const furtherTitled = await addPhoto('c3.jpg');
    await t.words.saveImported(furtherTitled, { ...noWords, title: 'Trolley' });
    const furtherCaptioned = await addPhoto('c4.jpg', 'an old trolley in the rain at night near the depot');
    const related = [
      { terms: ['tram'], weight: 0.8 },
      { terms: ['trolley'], weight: 0.5 },
    ];
    expect(await find('streetcar')).toEqual([typed]);
    const widened = await t.index.search(['streetcar'], 10, related);
    expect(widened.map((m) => m.id)).toEqual([typed, close, furtherTitled, furtherCaptioned]);
    expect(widened.map((m) => m.alternative)).toEqual([null, 0, 1, 1]);
    expect(widened.map((m) => m.rank)).toEqual([1, 2, 3, 4]);

    // Every word, one of them through a related word, ranks above some of the words typed.
    const tramInTown = await addPhoto('c5.jpg');
    await t.words.saveImported(tramInTown, { ...noWords, title: 'Tram in Ponta Delgada' });
    const town = await addPhoto('c6.jpg');
    await t.words.saveImported(town, { ...noWords, title: 'Ponta Delgada' });
    const both = await t.index.search(['streetcar', 'delgada'], 10, [{ terms: ['tram', 'delgada'], weight: 0.8 }]);
    expect(both[0]).toMatchObject({ id: tramInTown, allTerms: true, alternative: 0 });
    expect(both.map((m) => m.id).slice(1, 3).sort()).toEqual([typed, town].sort());
    expect(both.map((m) => m.id)).toContain(close);
    expect(both.findIndex((m) => m.id === close)).toBeGreaterThan(both.findIndex((m) => m.id === town));

    // The related word is highlighted beside the words typed.
    const fields = await t.index.matchedFields(['streetcar'], [close], ['tram']);
    expect(fields.get(close)?.map((f) => [f.field, f.snippet])).toEqual([['title', 'Tram']]);
  });

  it('follows renames, moves, edits, re-captions and deletes without being told', async () => {
    const id = await addPhoto('Garage/rusty_shed.jpg', 'a red tractor');
    await t.words.saveImported(id, { ...noWords, keywords: ['harvest'] });
    expect(await find('tractor')).toEqual([id]);

    // Rename and move (the catalog's relocate path).
    await t.catalog.relocateImage(id, { folder_id: folder.id, path: path.join(folder.path, 'Farm/barn_door.jpg'), size_bytes: 1, mtime_ms: 2 });
    expect(await find('rusty')).toEqual([]);
    expect(await find('barn')).toEqual([id]);
    expect(await find('garage')).toEqual([]);
    expect(await find('farm')).toEqual([id]);

    // A captioner writing images.caption by any code path.
    await t.catalog.updateImage(id, { caption: 'a blue combine harvester', caption_model: 'test-vlm' });
    expect(await find('tractor')).toEqual([]);
    expect(await find('combine')).toEqual([id]);

    // Imported words edited, then gone.
    await t.words.saveImported(id, { ...noWords, keywords: ['autumn'] });
    expect(await find('harvest')).toEqual([id]); // still in the caption
    expect(await find('autumn')).toEqual([id]);
    await t.words.clearImported(id);
    expect(await find('autumn')).toEqual([]);

    // The file edited in place: caption cleared with the rest of the derived data.
    await t.catalog.replaceImageContent(id, { hash: `edited-${Math.random()}`, size_bytes: 2, mtime_ms: 3 });
    expect(await find('combine')).toEqual([]);

    await t.words.saveOcr(id, { lines: [{ text: 'EXIT', box: [0, 0, 1, 1], score: 0.9 }], model: 'test' });
    expect(await find('exit')).toEqual([id]);
    await t.catalog.deleteImages([id]);
    expect(await find('exit')).toEqual([]);
    expect(await find('farm')).toEqual([]);
  });

  it('removes a folder’s photos from the index with the folder', async () => {
    const other = await t.catalog.insertFolder('/photos/Scratch');
    const row = await t.catalog.insertImage({ folder_id: other.id, path: '/photos/Scratch/zebra.jpg', hash: `z-${Math.random()}`, size_bytes: 1, mtime_ms: 1 });
    expect(await find('zebra')).toEqual([row.id]);
    await t.catalog.deleteFolder(other.id);
    expect(await find('zebra')).toEqual([]);
  });

  it('returns highlighted excerpts for each field that matched', async () => {
    const id = await addPhoto('market.jpg', 'fruit stalls at a market');
    await t.words.saveImported(id, { ...noWords, title: 'Saturday market in Lisbon', description: 'We bought figs and cherries at the market.' });
    const fields = (await t.index.matchedFields(queryTerms('market').terms, [id])).get(id) ?? [];
    expect(fields.map((f) => f.field)).toEqual(['title', 'description', 'fileName', 'caption']);
    for (const f of fields) {
      expect(f.highlights.length).toBeGreaterThan(0);
      for (const [start, end] of f.highlights) expect(f.snippet.slice(start, end).toLowerCase()).toBe('market');
    }
  });

  it('treats operator characters, stop-words and very long queries as plain words', async () => {
    const id = await addPhoto('ops.jpg');
    await t.words.saveImported(id, { ...noWords, title: 'Near the crater: rim (north) - "viewpoint"' });
    for (const query of ['"crater', 'crater*', 'NEAR(crater rim)', '-crater', 'title:crater', '(crater', 'crater AND OR NOT', "crater' OR 1=1 --", 'crater & | ! <->']) {
      expect(await find(query), query).toContain(id);
    }
    expect(queryTerms('the of and a').terms).toEqual([]);
    expect(await find('the of and a')).toEqual([]);
    const long = `${'viewpoint '.repeat(100)}crater`;
    expect(long.length).toBeGreaterThanOrEqual(1000);
    expect(await find(long)).toContain(id);
    expect(await find('"*-:()')).toEqual([]);
  });

  it('finds keywords in mixed scripts and ignores diacritics where the engine can', async () => {
    const id = await addPhoto('scripts.jpg');
    await t.words.saveImported(id, { ...noWords, keywords: ['東京', 'Москва', 'Αθήνα', 'Zürich'] });
    expect(await find('Москва')).toEqual([id]);
    expect(await find('東京')).toEqual([id]);
    expect(await find('Αθήνα')).toEqual([id]);
    expect(await find('zürich')).toEqual([id]);
  });

  it('takes a last word the library knows as typed, and an unknown one as the start of a word', async () => {
    const exact = await addPhoto('k1.jpg');
    await t.words.saveImported(exact, { ...noWords, keywords: ['kiwi'] });
    const longer = await addPhoto('k2.jpg');
    await t.words.saveImported(longer, { ...noWords, keywords: ['kiwifruit'] });
    expect(await find('kiwi')).toEqual([exact]);
    expect(await find('kiwif')).toEqual([longer]);
    expect((await find('kiw')).sort()).toEqual([exact, longer].sort());
  });

  it('exposes the vocabulary with photo counts', async () => {
    const a = await addPhoto('v1.jpg');
    const b = await addPhoto('v2.jpg');
    await t.words.saveImported(a, { ...noWords, keywords: ['waterfall', 'waterfowl'] });
    await t.words.saveImported(b, { ...noWords, keywords: ['waterfall'] });
    const terms = await t.index.vocabulary.terms('waterf', 10);
    expect(terms).toEqual([
      { term: 'waterfall', count: 2 },
      { term: 'waterfowl', count: 1 },
    ]);
    const all = await t.index.vocabulary.allTerms();
    expect(all.find((x) => x.term === 'waterfowl')).toEqual({ term: 'waterfowl', count: 1 });
  });
});
