// Input schemas for every Api operation: the one place where anything arriving from a window, an HTTP request
// or the command line is checked before the engine sees it. Each is tied to the contract type it validates.
import { z } from 'zod';
import type { ApiOperations, OperationName } from '../../src-preload/api';
import { captionChangesSchema, modelIdSchema, rankingChangesSchema, userSettingsSchema } from '../config';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** Paths come from people and drag & drop: any non-empty string without NUL bytes (which no OS accepts). */
const filePath = z
  .string()
  .min(1, 'a path is required')
  .max(4096, 'the path is longer than any file system allows')
  .refine((p) => !p.includes('\0'), 'the path contains a NUL byte');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'expected a date like 2024-06-30 or 2024-06-30T18:00:00Z');
const nothing = z.union([z.undefined(), z.null(), z.object({}).strict()]).transform(() => undefined);

const filters = {
  folderId: id.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  personIds: z.array(id).min(1, 'give at least one person').max(20).optional(),
};
const faceIds = z.array(id).min(1, 'give at least one face id').max(10_000);
const personName = z.string().trim().min(1, 'a name is required').max(200, 'the name is longer than 200 characters');
/** Base64 of an image file, at most ~64 MB of bytes. */
const imageBytes = z.string().min(1, 'the image bytes are empty').max(90_000_000, 'the image is larger than 64 MB');

/** Spelling and suggestions take any text a search box can hold, empty included (it has nothing to correct). */
const wordsText = z.string().max(2000, 'the text is longer than 2,000 characters');

const similarBase = z.object({ ...filters, limit: z.number().int().min(1).max(500).optional() });

const describeOptions = { prompt: captionChangesSchema.shape.prompt, wait: z.boolean().optional() };

type Schemas = { [K in OperationName]: z.ZodType<ApiOperations[K]['input'], unknown> };

export const inputSchemas: Schemas = {
  'folders.list': nothing,
  'folders.add': z.object({ path: filePath, confirm: z.boolean().optional() }).strict(),
  'folders.remove': z.object({ id }).strict(),
  'folders.rescan': z.object({ id }).strict(),
  'folders.index': z.object({ path: filePath, confirm: z.boolean().optional() }).strict(),
  'folders.browse': z
    .object({ path: z.string().max(4096, 'the path is longer than any file system allows').refine((p) => !p.includes('\0'), 'the path contains a NUL byte') })
    .strict(),
  'import.files': z.object({ paths: z.array(filePath).min(1, 'give at least one file').max(10_000) }).strict(),
  'gallery.page': z
    .object({
      page: z.number().int().min(1).max(1_000_000).optional(),
      pageSize: z.number().int().min(1).max(1000).optional(),
      sort: z.enum(['taken', 'added']).optional(),
      order: z.enum(['desc', 'asc']).optional(),
      folderId: id.optional(),
    })
    .strict(),
  'gallery.days': z.object({ folderId: id.optional(), order: z.enum(['desc', 'asc']).optional(), aspects: z.boolean().optional() }).strict(),
  'photos.get': z.union([z.object({ id }).strict(), z.object({ path: filePath }).strict()]),
  'photos.delete': z.object({ ids: z.array(id).min(1, 'give at least one photo id').max(100_000), moveToTrash: z.boolean().optional() }).strict(),
  'photos.deleted': nothing,
  'photos.favourite': z.object({ ids: z.array(id).min(1, 'give at least one photo id').max(100_000), favourite: z.boolean() }).strict(),
  'gallery.favourites': nothing,
  'photos.restore': z.object({ ids: z.array(id).min(1, 'give at least one photo id').max(100_000) }).strict(),
  'photos.rotate': z.union([
    z.object({ ids: z.array(id).min(1, 'give at least one photo id').max(100_000), by: z.union([z.literal(-1), z.literal(1), z.literal(2)], { message: 'turn by -1 (left), 1 (right) or 2 (half a turn)' }) }).strict(),
    z.object({ ids: z.array(id).min(1, 'give at least one photo id').max(100_000), to: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)], { message: 'rotate to 0, 1, 2 or 3 quarter turns clockwise' }) }).strict(),
  ]),
  'photos.rotations': nothing,
  'photos.export': z.object({ ids: z.array(id).min(1, 'give at least one photo id').max(100_000), folder: filePath }).strict(),
  'jobs.status': nothing,
  'jobs.pause': nothing,
  'jobs.resume': nothing,
  'search.query': z
    .object({
      query: z.string().trim().min(1, 'type something to search for').max(500, 'the query is longer than 500 characters'),
      limit: z.number().int().min(1).max(500).optional(),
      ranking: rankingChangesSchema.optional(),
      expand: z.boolean().optional(),
      withoutExpansions: z.array(z.string().max(200)).max(100).optional(),
      correctSpelling: z.boolean().optional(),
      remember: z.boolean().optional(),
      ...filters,
    })
    .strict(),
  'search.similar': z.union([
    similarBase.extend({ id }).strict(),
    similarBase.extend({ path: filePath }).strict(),
  ]),
  'search.tune': z
    .object({
      query: z.string().trim().min(1, 'type something to search for').max(500, 'the query is longer than 500 characters'),
      limit: z.number().int().min(1).max(100).optional(),
    })
    .strict(),
  'search.deep': z
    .object({
      query: z.string().trim().min(1, 'type something to search for').max(1000, 'the query is longer than 1,000 characters'),
      limit: z.number().int().min(1).max(500).optional(),
      fusion: z.enum(['rrf', 'score-sum']).optional(),
      expand: z.boolean().optional(),
      withoutExpansions: z.array(z.string().max(200)).max(100).optional(),
      remember: z.boolean().optional(),
      ...filters,
    })
    .strict(),
  'ocr.read': z.object({ path: filePath }).strict(),
  'spell.check': z.object({ query: wordsText }).strict(),
  'search.suggest': z.object({ prefix: wordsText, limit: z.number().int().min(1).max(50).optional() }).strict(),
  'history.list': nothing,
  'history.pin': z.object({ query: z.string().trim().min(1, 'a search to pin is required').max(500), pinned: z.boolean() }).strict(),
  'history.remove': z.object({ query: z.string().max(500) }).strict(),
  'history.clear': z.object({ includingPinned: z.boolean().optional() }).strict(),
  'search.duplicates': z.object({ threshold: z.number().min(0.5).max(1).optional() }).strict(),
  'models.list': nothing,
  'models.download': z.object({ id: modelIdSchema }).strict(),
  'faces.detect': z.union([z.object({ path: filePath }).strict(), z.object({ bytes: imageBytes }).strict()]),
  'faces.ofPhoto': z.object({ photoId: id }).strict(),
  'faces.unassigned': z.object({ limit: z.number().int().min(1).max(5000).optional() }).strict(),
  'faces.assign': z
    .object({ faceIds, personId: id.optional(), name: personName.optional() })
    .strict()
    .refine((v) => (v.personId === undefined) !== (v.name === undefined), 'give either personId or name'),
  'faces.similar': z.object({ faceId: id, limit: z.number().int().min(1).max(200).optional() }).strict(),
  'people.list': z.object({ includeHidden: z.boolean().optional() }).strict(),
  'people.get': z.object({ id }).strict(),
  'people.rename': z.object({ id, name: personName.nullable() }).strict(),
  'people.merge': z.object({ into: id, from: z.array(id).min(1, 'give at least one person to merge').max(1000) }).strict(),
  'people.undoMerge': z.object({ undoId: id }).strict(),
  'people.split': z.object({ id, faceIds }).strict(),
  'people.reject': z.object({ id, faceIds }).strict(),
  'people.hide': z.object({ id, hidden: z.boolean() }).strict(),
  'people.setCover': z.object({ id, faceId: id }).strict(),
  'people.suggestions': z.object({ id, limit: z.number().int().min(1).max(500).optional() }).strict(),
  'people.recluster': nothing,
  'people.forget': nothing,
  'settings.get': nothing,
  // Only what the Settings view offers; the device is chosen by GLIMPSE_DEVICE or the settings file.
  'settings.update': userSettingsSchema.omit({ device: true }),
  'system.doctor': nothing,
  'catalog.migrate': z
    .object({
      to: z
        .string()
        .max(2048)
        .refine((to) => to === 'sqlite' || /^postgres(ql)?:\/\//.test(to), "give a PostgreSQL URL (postgres://user:password@host:5432/db) or 'sqlite'"),
    })
    .strict(),
  'vectors.migrate': z
    .object({
      to: z
        .string()
        .max(2048)
        .refine((to) => to === 'embedded' || /^https?:\/\//.test(to), "give a Qdrant URL (http://host:6333) or 'embedded'"),
    })
    .strict(),
  'captions.status': nothing,
  'captions.describe': z.union([
    z.object({ all: z.literal(true), ...describeOptions }).strict(),
    z.object({ missing: z.literal(true), ...describeOptions }).strict(),
    z.object({ ids: z.array(id).min(1, 'give at least one photo id').max(100_000), ...describeOptions }).strict(),
  ]),
  'captions.get': z.object({ id }).strict(),
};

/** One readable line from a zod failure: which field, and what was wrong with it. */
export function describeInputError(operation: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'input';
  return `${operation}: ${where}: ${issue?.message ?? 'invalid input'}`;
}
