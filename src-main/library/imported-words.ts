// The words people already wrote about a photo, read with exifr from its XMP, IPTC and EXIF and from XMP sidecar
// files beside it (IMG_1.xmp, IMG_1.jpg.xmp): title, description, keywords and the names of people tagged.
import fs from 'node:fs/promises';
import path from 'node:path';
import * as exifrModule from 'exifr';
import { describeError } from '../errors';
import type { ImportedWords } from '../store/photo-words';
import { metadataText } from './metadata-text';

type Tags = Record<string, unknown>;

// exifr ships a UMD build (what Node's ESM loader sees: no named exports) and an ESM build (what vite and vitest
// see: `sidecar` only as a named export); take each function from wherever this runtime put it.
const exifr = exifrModule.default;
const readSidecar: typeof exifrModule.sidecar = (exifrModule as Partial<typeof exifrModule>).sidecar ?? exifr.sidecar;
type Segments = Partial<Record<string, Tags>>;

/** A person's description is never this long; a hostile or broken file's may be (and tsvector caps at 1 MB). */
export const MAX_FIELD_CHARS = 65_536;
const MAX_KEYWORDS = 500;
const MAX_KEYWORD_CHARS = 200;

const EXIFR_OPTIONS = {
  tiff: true,
  exif: true,
  xmp: true,
  iptc: true,
  gps: false,
  icc: false,
  jfif: false,
  ihdr: false,
  interop: false,
  makerNote: false,
  multiSegment: true,
  mergeOutput: false,
  // Revived values decode EXIF's UCS-2 XP* tags and UserComment into strings.
  reviveValues: true,
  translateValues: false,
};

/**
 * exifr reads IPTC strings as Latin-1 whatever the record's declared character set; nearly all IPTC written this
 * century is UTF-8, so a string whose bytes are valid UTF-8 is read as UTF-8.
 */
function fixIptcText(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value) || [...value].some((ch) => ch.charCodeAt(0) > 0xff)) return value;
  const utf8 = Buffer.from(value, 'latin1').toString('utf8');
  return utf8.includes('\uFFFD') ? value : utf8;
}

/** XMP language alternatives, single values and bags arrive as objects, strings or arrays: all become strings. */
function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [metadataText(value)].filter((s) => s !== '');
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object') {
    const record = value as Tags;
    if ('value' in record) return strings(record.value);
    return [];
  }
  return [];
}

function firstString(...values: unknown[]): string | null {
  for (const value of values) {
    const found = strings(value)[0];
    if (found) return found;
  }
  return null;
}

function distinct(values: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const key = value.toLocaleLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(value);
    }
  }
  return out;
}

/** Names in MWG regions (mwg-rs:Name), Microsoft Photo regions (PersonDisplayName) and IPTC Extension. */
function regionNames(segments: Segments): string[] {
  const names: string[] = [];
  const asList = (value: unknown): Tags[] => (Array.isArray(value) ? (value as Tags[]) : value && typeof value === 'object' ? [value as Tags] : []);
  const mwg = segments['mwg-rs']?.Regions as Tags | undefined;
  for (const region of asList(mwg?.RegionList)) names.push(...strings(region.Name));
  const microsoft = segments.MP?.RegionInfo as Tags | undefined;
  for (const region of asList(microsoft?.Regions)) names.push(...strings(region.PersonDisplayName));
  names.push(...strings(segments.Iptc4xmpExt?.PersonInImage));
  return names;
}

export interface WordsReading {
  words: ImportedWords;
  /** Whether anything at all was found. */
  found: boolean;
}

function wordsFrom(segments: Segments): Omit<ImportedWords, 'sources' | 'problem'> {
  const { dc = {}, lr = {}, photoshop = {}, ifd0 = {}, exif = {} } = segments;
  const iptcRaw = segments.iptc ?? {};
  const iptc = Object.fromEntries(
    Object.entries(iptcRaw).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? fixIptcText(x) : x)) : typeof v === 'string' ? fixIptcText(v) : v]),
  );
  const title = firstString(dc.title, iptc.ObjectName, ifd0.XPTitle, photoshop.Headline, iptc.Headline);
  const descriptions = distinct(
    [
      ...strings(dc.description),
      ...strings(iptc.Caption),
      ...strings(ifd0.ImageDescription),
      ...strings(ifd0.XPComment),
      ...strings(exif.UserComment),
      ...strings(ifd0.XPSubject),
      ...strings(photoshop.Headline),
      ...strings(iptc.Headline),
    ].filter((d) => d !== title),
  );
  const hierarchical = strings(lr.hierarchicalSubject).flatMap((s) => s.split('|'));
  const xpKeywords = strings(ifd0.XPKeywords).flatMap((s) => s.split(';'));
  const keywords = distinct(
    [...strings(dc.subject), ...strings(iptc.Keywords), ...xpKeywords, ...hierarchical].map((k) => k.trim().slice(0, MAX_KEYWORD_CHARS)).filter((k) => k !== ''),
  );
  return {
    title,
    description: descriptions.length ? descriptions.join('\n') : null,
    keywords,
    people: distinct(regionNames(segments)),
  };
}

function sourcesOf(segments: Segments): string[] {
  const sources: string[] = [];
  if (Object.keys(segments).some((k) => !['ifd0', 'exif', 'iptc', 'ifd1', 'thumbnail'].includes(k))) sources.push('xmp');
  if (segments.iptc) sources.push('iptc');
  const { ifd0 = {}, exif = {} } = segments;
  if (['ImageDescription', 'XPTitle', 'XPKeywords', 'XPComment', 'XPSubject'].some((k) => ifd0[k] !== undefined) || exif.UserComment !== undefined) sources.push('exif');
  return sources;
}

/** The sidecar files a photo may have: `IMG_1.xmp` and `IMG_1.jpg.xmp`, either case of the extension. */
async function findSidecars(photoPath: string): Promise<string[]> {
  const dir = path.dirname(photoPath);
  const base = path.basename(photoPath);
  const stem = base.slice(0, base.length - path.extname(base).length);
  const wanted = new Set([`${stem}.xmp`, `${base}.xmp`].map((n) => n.toLowerCase()));
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  return entries.filter((name) => wanted.has(name.toLowerCase())).sort().map((name) => path.join(dir, name));
}

function truncated(value: string | null, field: string, problems: string[]): string | null {
  if (value === null || value.length <= MAX_FIELD_CHARS) return value;
  problems.push(`the ${field} is ${value.length.toLocaleString('en')} characters long: only the first ${MAX_FIELD_CHARS.toLocaleString('en')} are kept`);
  return value.slice(0, MAX_FIELD_CHARS);
}

function merge(primary: Omit<ImportedWords, 'sources' | 'problem'>, secondary: Omit<ImportedWords, 'sources' | 'problem'>) {
  return {
    title: primary.title ?? secondary.title,
    description: distinct([primary.description, secondary.description].filter((d): d is string => d !== null)).join('\n') || null,
    keywords: distinct([...primary.keywords, ...secondary.keywords]),
    people: distinct([...primary.people, ...secondary.people]),
  };
}

/**
 * Reads a photo's words. A sidecar (what Lightroom, darktable and digiKam write) wins over the embedded metadata
 * for the title; descriptions, keywords and names are united. Unreadable parts are named in `problem`.
 */
export async function readImportedWords(photoPath: string): Promise<WordsReading> {
  const problems: string[] = [];
  const sources: string[] = [];
  let words = { title: null, description: null, keywords: [], people: [] } as Omit<ImportedWords, 'sources' | 'problem'>;

  for (const sidecar of await findSidecars(photoPath)) {
    const name = path.basename(sidecar);
    const segments = (await readSidecar(sidecar, { mergeOutput: false }).catch((error: unknown) => {
      problems.push(`the sidecar ${name} could not be read: ${describeError(error)}`);
      return undefined;
    })) as Segments | undefined;
    if (!segments || typeof segments !== 'object' || Object.keys(segments).length === 0) {
      if (!problems.some((p) => p.includes(name))) problems.push(`the sidecar ${name} is not well-formed XMP: its words were skipped`);
      continue;
    }
    words = merge(words, wordsFrom(segments));
    sources.push(`sidecar ${name}`);
  }

  const embedded = (await exifr.parse(photoPath, EXIFR_OPTIONS).catch((error: unknown) => {
    problems.push(`the photo's metadata could not be read: ${describeError(error)}`);
    return undefined;
  })) as Segments | undefined;
  if (embedded && typeof embedded === 'object') {
    words = merge(words, wordsFrom(embedded));
    sources.push(...sourcesOf(embedded));
  }

  const keywords = words.keywords.slice(0, MAX_KEYWORDS);
  if (words.keywords.length > MAX_KEYWORDS) problems.push(`${words.keywords.length} keywords: only the first ${MAX_KEYWORDS} are kept`);
  const result: ImportedWords = {
    title: truncated(words.title, 'title', problems),
    description: truncated(words.description, 'description', problems),
    keywords,
    people: words.people.slice(0, MAX_KEYWORDS),
    sources: distinct(sources),
    problem: problems.length ? problems.join('; ') : null,
  };
  const found = result.title !== null || result.description !== null || result.keywords.length > 0 || result.people.length > 0;
  return { words: result, found };
}
