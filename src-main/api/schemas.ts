// Input schemas for every Api operation: the one place where anything arriving from a window, an HTTP request
// or the command line is checked before the engine sees it. Each is tied to the contract type it validates.
import { z } from 'zod';
import type { ApiOperations, OperationName } from '../../src-preload/api';
import { modelIdSchema, rankingChangesSchema, userSettingsSchema } from '../config';

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
};

const similarBase = z.object({ ...filters, limit: z.number().int().min(1).max(500).optional() });

type Schemas = { [K in OperationName]: z.ZodType<ApiOperations[K]['input'], unknown> };

export const inputSchemas: Schemas = {
  'folders.list': nothing,
  'folders.add': z.object({ path: filePath }).strict(),
  'folders.remove': z.object({ id }).strict(),
  'folders.rescan': z.object({ id }).strict(),
  'folders.index': z.object({ path: filePath }).strict(),
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
  'gallery.days': z.object({ folderId: id.optional(), order: z.enum(['desc', 'asc']).optional() }).strict(),
  'photos.get': z.union([z.object({ id }).strict(), z.object({ path: filePath }).strict()]),
  'photos.delete': z.object({ ids: z.array(id).min(1, 'give at least one photo id').max(100_000), moveToTrash: z.boolean().optional() }).strict(),
  'photos.deleted': nothing,
  'photos.favourite': z.object({ ids: z.array(id).min(1, 'give at least one photo id').max(100_000), favourite: z.boolean() }).strict(),
  'gallery.favourites': nothing,
  'photos.restore': z.object({ ids: z.array(id).min(1, 'give at least one photo id').max(100_000) }).strict(),
  'jobs.status': nothing,
  'jobs.pause': nothing,
  'jobs.resume': nothing,
  'search.query': z
    .object({
      query: z.string().trim().min(1, 'type something to search for').max(500, 'the query is longer than 500 characters'),
      limit: z.number().int().min(1).max(500).optional(),
      ranking: rankingChangesSchema.optional(),
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
  'search.duplicates': z.object({ threshold: z.number().min(0.5).max(1).optional() }).strict(),
  'models.list': nothing,
  'models.download': z.object({ id: modelIdSchema }).strict(),
  'settings.get': nothing,
  // Only what the Settings view offers; the device is chosen by GLIMPSE_DEVICE or the settings file.
  'settings.update': userSettingsSchema.omit({ device: true }),
  'system.doctor': nothing,
};

/** One readable line from a zod failure: which field, and what was wrong with it. */
export function describeInputError(operation: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'input';
  return `${operation}: ${where}: ${issue?.message ?? 'invalid input'}`;
}
