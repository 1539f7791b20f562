// The words stored per photo beside its catalog row: what people wrote in its metadata (title, description,
// keywords, names of people tagged) and the text OCR read in it. Writes here reach the text index by triggers.
import type { Kysely, Transaction } from 'kysely';
import type { OcrLine, PhotoWords } from '../../src-preload/api';
import { nowIso } from './catalog';
import type { CatalogSchema } from './schema';

export interface PhotoWordsTable {
  image_id: number;
  title: string | null;
  description: string | null;
  /** One keyword per line. */
  keywords: string | null;
  /** One name per line. */
  people: string | null;
  /** JSON array naming where the words came from ("xmp", "iptc", "exif", "sidecar IMG_1.xmp"). */
  sources: string;
  /** A readable reason when some metadata could not be read (the rest still counts). */
  problem: string | null;
  updated_at: string;
}

export interface PhotoOcrTable {
  image_id: number;
  /** The lines' text, one per line: what the text index sees. */
  text: string;
  /** JSON array of OcrLine. */
  lines: string;
  model: string;
  mean_score: number | null;
  updated_at: string;
}

export type PhotoWordsTables = {
  photo_words: PhotoWordsTable;
  photo_ocr: PhotoOcrTable;
};

export interface ImportedWords {
  title: string | null;
  description: string | null;
  keywords: string[];
  people: string[];
  sources: string[];
  problem: string | null;
}

const lines = (values: string[]) => (values.length === 0 ? null : values.join('\n'));
const split = (value: string | null) => (value ? value.split('\n').filter((v) => v !== '') : []);

export class PhotoWordsStore {
  private readonly db: Kysely<CatalogSchema & PhotoWordsTables>;

  constructor(db: Kysely<CatalogSchema>) {
    this.db = db.withTables<PhotoWordsTables>();
  }

  /** The same store writing through `trx`: a stage's words then commit with its done mark, or not at all. */
  within(trx: Transaction<CatalogSchema>): PhotoWordsStore {
    return new PhotoWordsStore(trx);
  }

  /** Replaces what was imported for a photo (a photo whose metadata lost its words ends with none). */
  async saveImported(imageId: number, words: ImportedWords): Promise<void> {
    const row = {
      title: words.title,
      description: words.description,
      keywords: lines(words.keywords),
      people: lines(words.people),
      sources: JSON.stringify(words.sources),
      problem: words.problem,
      updated_at: nowIso(),
    };
    await this.db
      .insertInto('photo_words')
      .values({ image_id: imageId, ...row })
      .onConflict((oc) => oc.column('image_id').doUpdateSet(row))
      .execute();
  }

  async clearImported(imageId: number): Promise<void> {
    await this.db.deleteFrom('photo_words').where('image_id', '=', imageId).execute();
  }

  /** `text`: what the index sees (one line per line read); defaults to the lines' text as read. */
  async saveOcr(imageId: number, read: { lines: OcrLine[]; model: string; text?: string }): Promise<void> {
    const scores = read.lines.map((l) => l.score);
    const row = {
      text: read.text ?? read.lines.map((l) => l.text).join('\n'),
      lines: JSON.stringify(read.lines),
      model: read.model,
      mean_score: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
      updated_at: nowIso(),
    };
    await this.db
      .insertInto('photo_ocr')
      .values({ image_id: imageId, ...row })
      .onConflict((oc) => oc.column('image_id').doUpdateSet(row))
      .execute();
  }

  async clearOcr(imageId: number): Promise<void> {
    await this.db.deleteFrom('photo_ocr').where('image_id', '=', imageId).execute();
  }

  /** Everything written about a photo, for its details; null when the photo is not in the catalog. */
  async get(imageId: number): Promise<PhotoWords | null> {
    const [image, words, ocr] = await Promise.all([
      this.db.selectFrom('images').select(['caption', 'caption_model']).where('id', '=', imageId).executeTakeFirst(),
      this.db.selectFrom('photo_words').selectAll().where('image_id', '=', imageId).executeTakeFirst(),
      this.db.selectFrom('photo_ocr').selectAll().where('image_id', '=', imageId).executeTakeFirst(),
    ]);
    if (!image) return null;
    return {
      title: words?.title ?? null,
      description: words?.description ?? null,
      keywords: split(words?.keywords ?? null),
      people: split(words?.people ?? null),
      sources: words ? (JSON.parse(words.sources) as string[]) : [],
      problem: words?.problem ?? null,
      ocr: ocr ? { text: ocr.text, lines: JSON.parse(ocr.lines) as OcrLine[], model: ocr.model } : null,
      caption: image.caption,
      captionModel: image.caption_model,
    };
  }
}
