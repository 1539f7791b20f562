// The words people already wrote, read at ingest: XMP (embedded and sidecars), IPTC, EXIF, people tagged in face
// regions; stored per photo, found through the text index, and hostile metadata named without losing the photo.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importedWordsStage } from '../../src-main/library/imported-words-stage';
import { MAX_FIELD_CHARS } from '../../src-main/library/imported-words';
import { PhotoWordsStore } from '../../src-main/store/photo-words';
import { openTextIndex, queryTerms } from '../../src-main/store/text-index';
import { type Harness, makeHarness } from '../library/library-harness';
import { writeJpeg, xmpPacket } from './word-fixtures';

/** A real White House photo whose XMP description breaks its lines with `&#xA;` and repeats in IPTC and EXIF. */
const BIDEN = path.resolve(import.meta.dirname, '..', 'fixtures', 'faces', 'biden.jpg');

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

async function indexed(setup: (dir: string) => Promise<void>) {
  // The stage writes through a store on the harness's own database, which exists once the harness is made.
  let store: PhotoWordsStore | null = null;
  const stage = importedWordsStage({ within: (trx) => store!.within(trx) } as PhotoWordsStore);
  harness = await makeHarness({ extraStages: [stage], start: false });
  store = new PhotoWordsStore(harness.catalog.db);
  await setup(harness.photos);
  await harness.library.start();
  await harness.library.indexFolder(harness.photos);
  const wordsOf = async (name: string) => {
    const image = await harness!.catalog.getImageByPath(path.join(harness!.photos, name));
    return { image, words: image ? await store!.get(image.id) : null };
  };
  return { store, wordsOf };
}

describe('words people already wrote', () => {
  it('reads XMP title, description, subjects, hierarchical keywords, headline and people in face regions', async () => {
    const { wordsOf } = await indexed(async (dir) => {
      await writeJpeg(path.join(dir, 'lisbon.jpg'), {
        xmp: xmpPacket({
          title: 'Sunset over Lisbon',
          description: 'Tram 28 climbing the hill',
          subjects: ['tram', 'Portugal'],
          hierarchical: ['Places|Europe|Lisbon'],
          headline: 'Golden hour',
          mwgNames: ['Ana Silva', 'João'],
          microsoftNames: ['Maria Costa'],
        }),
      });
    });
    const { image, words } = await wordsOf('lisbon.jpg');
    expect(image?.status).toBe('ready');
    expect(words).toMatchObject({
      title: 'Sunset over Lisbon',
      description: 'Tram 28 climbing the hill\nGolden hour',
      keywords: ['tram', 'Portugal', 'Places', 'Europe', 'Lisbon'],
      people: ['Ana Silva', 'João', 'Maria Costa'],
      sources: ['xmp'],
      problem: null,
    });
  });

  it('reads IPTC (UTF-8) and EXIF ImageDescription / XPTitle / XPKeywords / XPComment', async () => {
    const { wordsOf } = await indexed(async (dir) => {
      await writeJpeg(path.join(dir, 'iptc.jpg'), {
        iptc: [
          [5, 'Fish market'],
          [120, 'Morning catch at the café über den Hafen'],
          [25, 'sardines'],
          [25, 'рыба'],
          [105, 'Early start'],
        ],
      });
      await writeJpeg(path.join(dir, 'exif.jpg'), {
        exif: { ImageDescription: 'A red barn', XPTitle: 'Farm visit', XPKeywords: 'barn;cows', XPComment: 'smelled of hay' },
      });
    });
    expect((await wordsOf('iptc.jpg')).words).toMatchObject({
      title: 'Fish market',
      description: 'Morning catch at the café über den Hafen\nEarly start',
      keywords: ['sardines', 'рыба'],
      sources: ['iptc'],
    });
    expect((await wordsOf('exif.jpg')).words).toMatchObject({
      title: 'Farm visit',
      description: 'A red barn\nsmelled of hay',
      keywords: ['barn', 'cows'],
      sources: ['exif'],
    });
  });

  it('shows a real photo\'s description once, as plain text with its paragraph break, and indexes its words without entities', async () => {
    const { wordsOf } = await indexed(async (dir) => {
      fs.copyFileSync(BIDEN, path.join(dir, 'biden.jpg'));
    });
    const { image, words } = await wordsOf('biden.jpg');
    // XMP, IPTC and EXIF carry the same caption with `&#xA;`, `\r` and `\n` line breaks: one text, not three.
    const paragraphs = words?.description?.split('\n\n') ?? [];
    expect(paragraphs).toHaveLength(2);
    expect(paragraphs[0]).toMatch(/^President Barack Obama and Vice President Joe Biden .* \(Official White House Photo by Pete Souza\)$/);
    expect(paragraphs[1]).toMatch(/^This official White House photograph .* the First Family, or the White House\.$/);
    expect(words?.description).not.toMatch(/&#|\r/);

    const index = openTextIndex({ db: harness!.catalog.db, dialect: 'sqlite', location: '', close: async () => {} });
    const terms = (await index.vocabulary.allTerms()).map((t) => t.term);
    expect(terms).toContain('souza');
    expect(terms).not.toContain('xa');
    expect((await index.search(queryTerms('souza').terms, 5)).map((m) => m.id)).toEqual([image!.id]);
  });

  it('re-reads, when it next starts, the words a library stored before their entities were decoded', async () => {
    let store: PhotoWordsStore | null = null;
    const stage = importedWordsStage({ within: (trx) => store!.within(trx) } as PhotoWordsStore);
    harness = await makeHarness({ extraStages: [stage], start: false });
    store = new PhotoWordsStore(harness.catalog.db);
    fs.copyFileSync(BIDEN, path.join(harness.photos, 'biden.jpg'));
    await harness.library.start();
    await harness.library.indexFolder(harness.photos);
    const image = await harness.catalog.getImageByPath(path.join(harness.photos, 'biden.jpg'));
    // What the words stage stored before it decoded entities, under its old version.
    const old = 'Photo by Pete Souza)&#xA;&#xA;This official White House photograph';
    await store.saveImported(image!.id, { title: null, description: old, keywords: [], people: [], sources: ['xmp'], problem: null });
    await harness.catalog.db.updateTable('image_stages').set({ version: 'words-1' }).where('stage', '=', 'words').execute();

    await harness.reopen();
    store = new PhotoWordsStore(harness.catalog.db);
    await harness.library.start();
    await harness.library.waitForIdle();
    expect((await store.get(image!.id))?.description).toMatch(/Pete Souza\)\n\nThis official/);
    const index = openTextIndex({ db: harness.catalog.db, dialect: 'sqlite', location: '', close: async () => {} });
    expect((await index.vocabulary.allTerms()).map((t) => t.term)).not.toContain('xa');
  });

  it('reads XML character entities in XMP titles, keywords and names as the characters they stand for', async () => {
    const { wordsOf } = await indexed(async (dir) => {
      await writeJpeg(path.join(dir, 'IMG_3.jpg'));
      // Written as an XMP writer escapes: `&amp;`, `&lt;`, `&quot;`, and the line break as `&#10;` (Lightroom's way).
      const packet = xmpPacket({ title: 'Fish & chips', description: 'Pier\nat dusk', subjects: ['<beach>', 'Tom & Jerry'], microsoftNames: ['Siobhán "Shiv" Kelly'] });
      fs.writeFileSync(path.join(dir, 'IMG_3.xmp'), packet.replace('\n', '&#10;'));
    });
    expect((await wordsOf('IMG_3.jpg')).words).toMatchObject({
      title: 'Fish & chips',
      description: 'Pier\nat dusk',
      keywords: ['<beach>', 'Tom & Jerry'],
      people: ['Siobhán "Shiv" Kelly'],
    });
  });

  it('reads XMP sidecars named IMG_1.xmp and IMG_1.jpg.xmp, the sidecar title first', async () => {
    const { wordsOf } = await indexed(async (dir) => {
      await writeJpeg(path.join(dir, 'IMG_1.jpg'), { xmp: xmpPacket({ title: 'Embedded title', subjects: ['embedded'] }) });
      fs.writeFileSync(path.join(dir, 'IMG_1.xmp'), xmpPacket({ title: 'Sidecar title', subjects: ['darktable'] }));
      await writeJpeg(path.join(dir, 'IMG_2.jpg'));
      fs.writeFileSync(path.join(dir, 'IMG_2.jpg.xmp'), xmpPacket({ description: 'Only in the sidecar', mwgNames: ['Kofi'] }));
    });
    expect((await wordsOf('IMG_1.jpg')).words).toMatchObject({
      title: 'Sidecar title',
      keywords: ['darktable', 'embedded'],
      sources: ['sidecar IMG_1.xmp', 'xmp'],
    });
    expect((await wordsOf('IMG_2.jpg')).words).toMatchObject({ description: 'Only in the sidecar', people: ['Kofi'], sources: ['sidecar IMG_2.jpg.xmp'] });
  });

  it('names a malformed sidecar, keeps the embedded words, and keeps a 1 MB description searchable but bounded', async () => {
    const huge = `${'lorem ipsum '.repeat(10)}aurora ${'x'.repeat(1024 * 1024)}`;
    const { wordsOf } = await indexed(async (dir) => {
      await writeJpeg(path.join(dir, 'broken.jpg'), { xmp: xmpPacket({ title: 'Still here' }) });
      fs.writeFileSync(path.join(dir, 'broken.xmp'), '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF <<<< dc:title>broken');
      // A JPEG segment holds at most 64 KB, so a description this long can only come in a sidecar.
      await writeJpeg(path.join(dir, 'huge.jpg'));
      fs.writeFileSync(path.join(dir, 'huge.xmp'), xmpPacket({ description: huge }));
    });
    const broken = await wordsOf('broken.jpg');
    expect(broken.image?.error ?? null).toBe(null);
    expect(broken.image?.status).toBe('ready');
    expect(broken.words?.title).toBe('Still here');
    expect(broken.words?.problem).toMatch(/broken\.xmp is not well-formed XMP/);

    const big = await wordsOf('huge.jpg');
    expect(big.image?.status).toBe('ready');
    expect(big.words?.description?.length).toBe(MAX_FIELD_CHARS);
    expect(big.words?.problem).toMatch(/description is 1,048,\d{3} characters long: only the first 65,536 are kept/);
    const index = openTextIndex({ db: harness!.catalog.db, dialect: 'sqlite', location: '', close: async () => {} });
    expect((await index.search(queryTerms('aurora').terms, 5)).map((m) => m.id)).toEqual([big.image!.id]);
  });

  it('skips a photo with no words and forgets words a file no longer has', async () => {
    const { wordsOf, store } = await indexed(async (dir) => {
      await writeJpeg(path.join(dir, 'plain.jpg'));
      await writeJpeg(path.join(dir, 'edited.jpg'), { xmp: xmpPacket({ subjects: ['before'] }) });
    });
    const plain = await wordsOf('plain.jpg');
    expect(plain.words).toMatchObject({ title: null, keywords: [], sources: [] });
    expect((await harness!.catalog.photoDetails(plain.image!.id))?.stages.words).toBe('skipped');

    const edited = await wordsOf('edited.jpg');
    expect(edited.words?.keywords).toEqual(['before']);
    await writeJpeg(path.join(harness!.photos, 'edited.jpg'), { colour: { r: 10, g: 200, b: 10 } });
    await harness!.library.indexFolder(harness!.photos);
    const after = await wordsOf('edited.jpg');
    expect(after.image?.id).toBe(edited.image?.id);
    expect((await store.get(edited.image!.id))?.keywords).toEqual([]);
  });
});
