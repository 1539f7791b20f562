// Query words through the Api, as the window and the CLI meet them: a library of colour photos in folders named
// after places, a person, the fixture SigLIP (which knows colour words only), the real spelling dictionary and the
// WordNet table — spelling that recovers a search, suggestions from the library, expansions that can be switched off.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi } from '../../src-main/api';
import type { Api } from '../../src-main/api/api-types';
import { loadConfig, type GlimpseConfig } from '../../src-main/config';
import { nowIso } from '../../src-main/store/catalog';
import { openCatalogDatabase } from '../../src-main/store/database';
import { COLOUR_PROTOTYPES, FIXTURE_MODEL_ID, type ColourName } from '../fixtures/generate-models';
import { call } from '../api/unwrap';
import { writeJpeg, xmpPacket } from '../deep/word-fixtures';

let width = 256;
async function solid(file: string, colour: ColourName) {
  const [r, g, b] = COLOUR_PROTOTYPES[colour];
  // A width of its own per photo, so no two files are byte-identical copies.
  await sharp({ create: { width: width++, height: 192, channels: 3, background: { r, g, b } } }).jpeg().toFile(file);
}

const names = (hits: Array<{ photo: { path: string } }>) => hits.map((hit) => path.basename(hit.photo.path));

describe('query words through the Api', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-words-api-'));
  const photos = path.join(root, 'Pictures');
  let config: GlimpseConfig;
  let api: Api;

  beforeAll(async () => {
    fs.mkdirSync(path.join(photos, 'Kraków 2019'), { recursive: true });
    fs.mkdirSync(path.join(photos, 'Glenveagh'), { recursive: true });
    await solid(path.join(photos, 'Kraków 2019', 'red tram.jpg'), 'red');
    await solid(path.join(photos, 'Kraków 2019', 'red roofs.jpg'), 'red');
    await solid(path.join(photos, 'Glenveagh', 'blue lake.jpg'), 'blue');
    await solid(path.join(photos, 'Glenveagh', 'purple heather.jpg'), 'purple');
    await solid(path.join(photos, 'Glenveagh', 'green hills.jpg'), 'green');
    // A word only a keyword someone wrote carries (XMP dc:subject): the text index's vocabulary brings it in.
    await writeJpeg(path.join(photos, 'Glenveagh', 'golf.jpg'), { xmp: xmpPacket({ subjects: ['Ballyliffin'] }) });
    config = loadConfig({
      env: { GLIMPSE_MODELS_DIR: process.env.GLIMPSE_TEST_MODELS_DIR, GLIMPSE_MODEL: FIXTURE_MODEL_ID, GLIMPSE_OFFLINE: '1' },
      overrides: { dataDir: path.join(root, 'data') },
    });
    // A named person, as the faces feature records one (no faces Api exists on this branch to name one through).
    const database = await openCatalogDatabase({ dataDir: config.dataDir, databaseUrl: null });
    await database.db.insertInto('people').values({ name: 'Siobhan', hidden: 0, created_at: nowIso() }).execute();
    await database.close();
    api = await openApi(config);
    expect(await call(api, 'folders.index', { path: photos })).toMatchObject({ indexed: 6, failed: [] });
  });

  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('spell.check corrects a typo and leaves the library\'s names alone', async () => {
    expect(await call(api, 'spell.check', { query: 'sunst' })).toMatchObject({ corrected: 'sunset', changed: [{ from: 'sunst', to: 'sunset' }] });
    for (const query of ['Siobhan', 'Kraków', 'Glenveagh', 'Siobhan in Kraków']) {
      expect((await call(api, 'spell.check', { query })).corrected).toBe(query);
    }
    expect((await call(api, 'spell.check', { query: 'Glenveag' })).corrected).toBe('Glenveagh');
  });

  it('knows the words people wrote about photos (keywords) as library words: kept as typed, corrected to, suggested', async () => {
    expect((await call(api, 'spell.check', { query: 'Ballyliffin' })).corrected).toBe('Ballyliffin');
    expect((await call(api, 'spell.check', { query: 'ballylifin' })).corrected.toLowerCase()).toBe('ballyliffin');
    const { suggestions } = await call(api, 'search.suggest', { prefix: 'ballyl' });
    expect(suggestions.map((s) => s.text.toLowerCase())).toContain('ballyliffin');
  });

  it('spell.check takes empty, emoji-only, mixed-script and 1,000-character text, and refuses more than 2,000', async () => {
    for (const query of ['', '🌅', 'собака 🌅 夕焼け', 'a'.repeat(1000)]) {
      expect((await call(api, 'spell.check', { query })).corrected).toBe(query);
    }
    const refused = await api.invoke('spell.check', { query: 'x'.repeat(2001) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('query') } });
  });

  it('shows results for the corrected query when the typed one finds nothing, and can search exactly what was typed', async () => {
    const recovered = await call(api, 'search.query', { query: 'purpel' });
    expect(recovered.spelling).toMatchObject({ original: 'purpel', corrected: 'purple', applied: true });
    expect(recovered.query).toBe('purple');
    expect(names(recovered.hits)[0]).toBe('purple heather.jpg');

    const exact = await call(api, 'search.query', { query: 'purpel', correctSpelling: false });
    expect(exact.spelling).toBeUndefined();
    expect(exact.hits).toEqual([]);
  });

  it('judges "found nothing" at the saved cut-off, so a search asked with none (as the window asks) still recovers', async () => {
    await call(api, 'settings.update', { ranking: { cutoff: 0.2 } });
    try {
      const response = await call(api, 'search.query', { query: 'yellow purpel', ranking: { cutoff: 0 } });
      expect(response.spelling).toMatchObject({ corrected: 'yellow purple', applied: true });
      expect(names(response.hits)[0]).toBe('purple heather.jpg');
    } finally {
      await call(api, 'settings.update', { ranking: { cutoff: config.ranking.cutoff } });
    }
  });

  it('offers "did you mean" when the query finds something as typed', async () => {
    const response = await call(api, 'search.query', { query: 'red tarm' });
    expect(names(response.hits).slice(0, 2).sort()).toEqual(['red roofs.jpg', 'red tram.jpg']);
    expect(response.query).toBe('red tarm');
    expect(response.spelling).toMatchObject({ corrected: 'red tram', applied: false });
  });

  it('widens a word the model does not know with WordNet relatives it does ("crimson" finds the red photos)', async () => {
    const expanded = await call(api, 'search.query', { query: 'crimson' });
    expect(expanded.expansions).toContainEqual(expect.objectContaining({ word: 'crimson', term: 'red', relation: 'synonym' }));
    expect(names(expanded.hits).slice(0, 2).sort()).toEqual(['red roofs.jpg', 'red tram.jpg']);

    const plain = await call(api, 'search.query', { query: 'crimson', expand: false });
    expect(plain.expansions).toEqual([]);
    expect(plain.hits).toEqual([]);

    const chipRemoved = await call(api, 'search.query', { query: 'crimson', withoutExpansions: ['red'] });
    expect(chipRemoved.expansions?.map((e) => e.term)).not.toContain('red');
  });

  it('switches expansion off for every search from Settings', async () => {
    const settings = await call(api, 'settings.update', { words: { expand: false } });
    expect(settings.words).toEqual({ expand: false, correctSpelling: true, rememberSearches: true });
    try {
      expect((await call(api, 'search.query', { query: 'crimson' })).hits).toEqual([]);
      // A single query may still ask for it.
      expect((await call(api, 'search.query', { query: 'crimson', expand: true })).hits.length).toBeGreaterThan(0);
    } finally {
      await call(api, 'settings.update', { words: { expand: true } });
    }
  });

  it('suggests people, folders and library words from a prefix, forgiving a typo in the last word', async () => {
    const fromPerson = await call(api, 'search.suggest', { prefix: 'Sio' });
    expect(fromPerson.suggestions[0]).toEqual({ text: 'Siobhan', kind: 'person', count: 1 });
    const fromFolder = await call(api, 'search.suggest', { prefix: 'kra' });
    expect(fromFolder.suggestions[0]).toMatchObject({ text: 'Kraków', kind: 'folder', count: 2 });
    const lastWord = await call(api, 'search.suggest', { prefix: 'red tr' });
    expect(lastWord.suggestions.map((s) => s.text)).toContain('red tram');
    const typo = await call(api, 'search.suggest', { prefix: 'Glemv' });
    expect(typo.suggestions.map((s) => s.text)).toContain('Glenveagh');
    expect((await call(api, 'search.suggest', { prefix: '🌅', limit: 3 })).suggestions).toEqual([]);
  });

  it('remembers submitted searches, suggests them first, pins them, and forgets them when cleared', async () => {
    await call(api, 'history.clear', { includingPinned: true });
    await call(api, 'search.query', { query: 'blue lake', remember: true });
    await call(api, 'search.query', { query: 'green hills', remember: true });
    await call(api, 'search.query', { query: 'typed while thinking' });
    let history = await call(api, 'history.list', undefined);
    expect(history.map((e) => e.query)).toEqual(['green hills', 'blue lake']);

    const suggestions = await call(api, 'search.suggest', { prefix: 'blu' });
    expect(suggestions.suggestions[0]).toEqual({ text: 'blue lake', kind: 'recent', count: null });

    history = await call(api, 'history.pin', { query: 'blue lake', pinned: true });
    expect(history[0]).toMatchObject({ query: 'blue lake', pinned: true });
    expect((await call(api, 'search.suggest', { prefix: '' })).suggestions.map((s) => [s.text, s.kind])).toEqual([
      ['blue lake', 'pinned'],
      ['green hills', 'recent'],
    ]);

    history = await call(api, 'history.clear', {});
    expect(history.map((e) => e.query)).toEqual(['blue lake']);
    history = await call(api, 'history.clear', { includingPinned: true });
    expect(history).toEqual([]);
  });

  it('records the corrected query when the results shown were for it, and nothing when history is off', async () => {
    await call(api, 'search.query', { query: 'purpel', remember: true });
    expect((await call(api, 'history.list', undefined)).map((e) => e.query)).toEqual(['purple']);
    await call(api, 'settings.update', { words: { rememberSearches: false } });
    try {
      await call(api, 'search.query', { query: 'green', remember: true });
      expect((await call(api, 'history.list', undefined)).map((e) => e.query)).toEqual(['purple']);
    } finally {
      await call(api, 'settings.update', { words: { rememberSearches: true } });
      await call(api, 'history.clear', { includingPinned: true });
    }
  });

  it('remembers a submitted deep search like a plain one, and not one run while typing or with history off', async () => {
    await call(api, 'history.clear', { includingPinned: true });
    await call(api, 'search.deep', { query: 'red  barn', remember: true });
    await call(api, 'search.deep', { query: 'typed while thinking' });
    expect((await call(api, 'history.list', undefined)).map((e) => e.query)).toEqual(['red barn']);
    await call(api, 'settings.update', { words: { rememberSearches: false } });
    try {
      await call(api, 'search.deep', { query: 'green', remember: true });
      expect((await call(api, 'history.list', undefined)).map((e) => e.query)).toEqual(['red barn']);
    } finally {
      await call(api, 'settings.update', { words: { rememberSearches: true } });
      await call(api, 'history.clear', { includingPinned: true });
    }
  });
});
