// The deep-search evaluation, shared by its test and `npm run bench`: generated photos the fixture SigLIP sees by
// colour, some with words people wrote (XMP, IPTC, a sidecar), some with printed words, and queries whose relevant
// photos are known by construction; P@5 and mAP for normal search and for deep search under both fusions, and with
// the text side's query expansion switched off.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Api } from '../../src-main/api/api-types';
import { COLOUR_PROTOTYPES, type ColourName } from '../fixtures/generate-models';
import { writeJpeg, writeTextPicture, xmpPacket } from './word-fixtures';

const rgb = (colour: ColourName) => {
  const [r, g, b] = COLOUR_PROTOTYPES[colour];
  return { r, g, b };
};
const hex = (colour: ColourName) => `#${COLOUR_PROTOTYPES[colour].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

export interface EvaluationQuery {
  query: string;
  /** File names of the photos a person asking this wants. */
  relevant: string[];
}

/** Writes the photos; returns their file names. */
export async function writeEvaluationPhotos(dir: string): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const size = 256;
  const plain = (name: string, colour: ColourName, side = size) =>
    sharp({ create: { width: side, height: side, channels: 3, background: rgb(colour) } }).jpeg({ quality: 90 }).toFile(path.join(dir, name));
  await Promise.all([
    plain('IMG_0101.jpg', 'red'),
    plain('IMG_0102.jpg', 'red', size - 32),
    plain('IMG_0103.jpg', 'blue'),
    plain('IMG_0104.jpg', 'green'),
    plain('IMG_0105.jpg', 'yellow'),
    plain('IMG_0106.jpg', 'purple'),
    // Words people wrote, on photos whose colour says nothing about them.
    writeJpeg(path.join(dir, 'IMG_0201.jpg'), { colour: rgb('yellow'), size, xmp: xmpPacket({ title: 'Tram 28 in Lisbon', subjects: ['tram', 'Portugal'] }) }),
    writeJpeg(path.join(dir, 'IMG_0202.jpg'), { colour: rgb('red'), size, xmp: xmpPacket({ title: 'Birthday party', subjects: ['birthday', 'cake'], mwgNames: ['Ana Silva'] }) }),
    writeJpeg(path.join(dir, 'IMG_0203.jpg'), { colour: rgb('blue'), size, xmp: xmpPacket({ description: 'A lazy beach day at Nazaré', mwgNames: ['Ana Silva', 'Kofi Mensah'] }) }),
    writeJpeg(path.join(dir, 'IMG_0204.jpg'), { colour: rgb('green'), size, iptc: [[120, 'Fish market in Porto'], [25, 'sardines']] }),
    writeJpeg(path.join(dir, 'IMG_0205.jpg'), { colour: rgb('gray'), size, exif: { XPTitle: 'Old lighthouse', XPKeywords: 'lighthouse;coast' } }),
    writeJpeg(path.join(dir, 'IMG_0206.jpg'), { colour: rgb('orange'), size }),
    // Printed words: a sign, a menu, a receipt.
    writeTextPicture(path.join(dir, 'IMG_0301.png'), ['EXIT'], { width: 640, height: 240, fontSize: 120, background: hex('white') }),
    writeTextPicture(path.join(dir, 'IMG_0302.png'), ['CAFE LOKI', 'SOUP OF THE DAY'], { width: 800, height: 300, fontSize: 72, background: hex('pink') }),
    writeTextPicture(path.join(dir, 'IMG_0303.png'), ['TOTAL 12.50', 'THANK YOU'], { width: 800, height: 300, fontSize: 72, background: hex('white') }),
  ]);
  // A sidecar beside an otherwise silent photo (what darktable and Lightroom write for raw files).
  fs.writeFileSync(path.join(dir, 'IMG_0206.xmp'), xmpPacket({ title: 'Autumn leaves in Kyoto', subjects: ['autumn', 'Japan'] }));
  return fs.readdirSync(dir).filter((f) => !f.endsWith('.xmp'));
}

export const EVALUATION_QUERIES: EvaluationQuery[] = [
  // Colour: what the image model alone already does; deep search must not spoil it.
  { query: 'red', relevant: ['IMG_0101.jpg', 'IMG_0102.jpg', 'IMG_0202.jpg'] },
  { query: 'blue', relevant: ['IMG_0103.jpg', 'IMG_0203.jpg'] },
  { query: 'yellow', relevant: ['IMG_0105.jpg', 'IMG_0201.jpg'] },
  // Words people wrote.
  { query: 'tram', relevant: ['IMG_0201.jpg'] },
  { query: 'birthday cake', relevant: ['IMG_0202.jpg'] },
  { query: 'Ana Silva', relevant: ['IMG_0202.jpg', 'IMG_0203.jpg'] },
  { query: 'beach at Nazare', relevant: ['IMG_0203.jpg'] },
  { query: 'fish market', relevant: ['IMG_0204.jpg'] },
  { query: 'lighthouse', relevant: ['IMG_0205.jpg'] },
  { query: 'kyoto autumn', relevant: ['IMG_0206.jpg'] },
  // Printed words.
  { query: 'exit sign', relevant: ['IMG_0301.png'] },
  { query: 'soup of the day', relevant: ['IMG_0302.png'] },
  { query: 'receipt total', relevant: ['IMG_0303.png'] },
  // Both at once: the red photo of a birthday.
  { query: 'red birthday', relevant: ['IMG_0202.jpg'] },
  // Other words for what people wrote: found through WordNet relatives the library uses (tram, coast, autumn, market).
  { query: 'streetcar', relevant: ['IMG_0201.jpg'] },
  { query: 'seashore', relevant: ['IMG_0205.jpg'] },
  { query: 'fall leaves', relevant: ['IMG_0206.jpg'] },
  { query: 'marketplace', relevant: ['IMG_0204.jpg'] },
];

export function precisionAt(ranked: string[], relevant: string[], k: number): number {
  return ranked.slice(0, k).filter((name) => relevant.includes(name)).length / k;
}

/** Average precision over the whole ranked list (relevant photos never returned count as missed). */
export function averagePrecision(ranked: string[], relevant: string[]): number {
  let found = 0;
  let sum = 0;
  ranked.forEach((name, i) => {
    if (relevant.includes(name)) {
      found += 1;
      sum += found / (i + 1);
    }
  });
  return relevant.length === 0 ? 0 : sum / relevant.length;
}

export interface ModeScores {
  p5: number;
  map: number;
  perQuery: Array<{ query: string; p5: number; ap: number; top: string[] }>;
}

export interface EvaluationReport {
  normal: ModeScores;
  /** Deep search as shipped: reciprocal-rank fusion, the text side expanded with related words. */
  deepRrf: ModeScores;
  deepScoreSum: ModeScores;
  /** Deep search with the text side searching only the words typed (expansion switched off for the query). */
  deepRrfWithoutExpansion: ModeScores;
}

async function scores(queries: EvaluationQuery[], rank: (query: string) => Promise<string[]>): Promise<ModeScores> {
  const perQuery: ModeScores['perQuery'] = [];
  for (const q of queries) {
    const ranked = await rank(q.query);
    perQuery.push({ query: q.query, p5: precisionAt(ranked, q.relevant, 5), ap: averagePrecision(ranked, q.relevant), top: ranked.slice(0, 3) });
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return { p5: mean(perQuery.map((q) => q.p5)), map: mean(perQuery.map((q) => q.ap)), perQuery };
}

export async function evaluate(api: Api, queries: EvaluationQuery[] = EVALUATION_QUERIES): Promise<EvaluationReport> {
  const names = (paths: string[]) => paths.map((p) => path.basename(p));
  const ok = <T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  };
  // A normal search the model cannot answer (a word it has no embedding for) shows a person no photos.
  const normal = await scores(queries, async (query) => {
    const result = await api.invoke('search.query', { query, limit: 50 });
    return result.ok ? names(result.value.hits.map((h) => h.photo.path)) : [];
  });
  const deep = (fusion: 'rrf' | 'score-sum', expand?: boolean) =>
    scores(queries, async (query) =>
      names(ok(await api.invoke('search.deep', { query, limit: 50, fusion, ...(expand === undefined ? {} : { expand }) })).hits.map((h) => h.photo.path)),
    );
  return { normal, deepRrf: await deep('rrf'), deepScoreSum: await deep('score-sum'), deepRrfWithoutExpansion: await deep('rrf', false) };
}

export function summary(report: EvaluationReport) {
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return Object.fromEntries(Object.entries(report).map(([mode, s]) => [mode, { p5: round(s.p5), map: round(s.map) }]));
}
