// The window's photo operations beyond the catalog basics: the timeline's day counts, photo details with a place
// name, removals that can be undone for 30 days (Recently deleted), and browsing folders to complete a typed path.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DeletedPhoto, FolderListing, RestoreResult } from '../../src-preload/api';
import type { GlimpseConfig } from '../config';
import { GlimpseError, describeError } from '../errors';
import type { Library } from '../library/library';
import { placeName } from '../library/place-names';
import { rotatedRendition } from '../library/rotated-renditions';
import { toPhotoSummary, type Catalog } from '../store/catalog';
import { DeletedPhotos, expiryOf, type DeletedPhotoRow, type NewDeletedPhoto } from '../store/deleted-photos';
import { Favourites } from '../store/favourites';
import { PhotoRotations } from '../store/photo-rotations';
import { galleryDays } from '../store/gallery-days';
import type { Handlers } from './dispatch';

export interface PhotoHandlerContext {
  catalog: Catalog;
  /** The library is re-opened after a model download: always ask for the current one. */
  library: () => Library;
  config: () => GlimpseConfig;
}

/** Kernel and device pseudo-folders hold no photos and can hang a directory listing. */
const NEVER_BROWSED = ['/proc', '/sys', '/dev', '/run'];
const MAX_LISTED_FOLDERS = 2000;

function isInsideOrEqual(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/** Kept thumbnails of removed photos, by content hash: the library deletes its own copy on removal. */
function keptThumbnail(dataDir: string, hash: string): string {
  return path.join(dataDir, 'recently-deleted', `${hash}.webp`);
}

export async function browseFolder(requested: string, config: GlimpseConfig): Promise<FolderListing> {
  const given = requested.trim();
  if (given && !path.isAbsolute(given)) {
    throw new GlimpseError('INVALID_INPUT', `${given} is not a full path: start it at the top of the disk, e.g. ${os.homedir()}`, given);
  }
  const wanted = path.resolve(given || os.homedir());
  const real = await fs.promises.realpath(wanted).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EACCES' || error.code === 'EPERM') throw new GlimpseError('PERMISSION_DENIED', `${wanted} cannot be opened: permission denied`, wanted);
    throw new GlimpseError('NOT_FOUND', `There is no folder ${wanted}`, wanted);
  });
  const refused = [...(process.platform === 'win32' ? [] : NEVER_BROWSED), config.dataDir].find((p) => isInsideOrEqual(real, p));
  if (refused) {
    const why = refused === config.dataDir ? 'it holds Glimpse’s own data' : 'it is a system folder that holds no photos';
    throw new GlimpseError('PERMISSION_DENIED', `${real} cannot be browsed: ${why}`, real);
  }
  const stat = await fs.promises.stat(real);
  if (!stat.isDirectory()) throw new GlimpseError('NOT_A_DIRECTORY', `${real} is a file, not a folder`, real);
  const entries = await fs.promises.readdir(real, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EACCES' || error.code === 'EPERM') throw new GlimpseError('PERMISSION_DENIED', `${real} cannot be listed: permission denied`, real);
    throw error;
  });
  const folders: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(real, entry.name);
    const isFolder = entry.isDirectory() || (entry.isSymbolicLink() && (await fs.promises.stat(full).then((s) => s.isDirectory(), () => false)));
    if (isFolder && !(process.platform !== 'win32' && NEVER_BROWSED.includes(full)) && full !== config.dataDir) folders.push(full);
  }
  folders.sort((a, b) => path.basename(a).localeCompare(path.basename(b), undefined, { sensitivity: 'base', numeric: true }));
  const parent = path.dirname(real);
  return { path: real, parent: parent === real ? null : parent, folders: folders.slice(0, MAX_LISTED_FOLDERS) };
}

async function readThumbnail(file: string): Promise<string | null> {
  try {
    return `data:image/webp;base64,${(await fs.promises.readFile(file)).toString('base64')}`;
  } catch {
    return null;
  }
}

export function photoHandlers(context: PhotoHandlerContext): Pick<
  Handlers,
  'folders.browse' | 'gallery.days' | 'photos.get' | 'photos.delete' | 'photos.deleted' | 'photos.restore' | 'photos.favourite' | 'gallery.favourites'
> {
  const { catalog } = context;
  const deleted = new DeletedPhotos(catalog.db);
  const favourites = new Favourites(catalog.db);
  const rotations = new PhotoRotations(catalog.db);
  const dataDir = () => context.config().dataDir;

  const idOfPath = async (given: string): Promise<number> => {
    const file = path.resolve(given);
    const id = (await catalog.getImageByPath(file))?.id ?? (await catalog.getDuplicateByPath(file))?.image_id;
    if (id === undefined) throw new GlimpseError('NOT_FOUND', `${file} is not a photo in the library`, file);
    return id;
  };

  const forgetExpired = async (rows: Array<Pick<DeletedPhotoRow, 'hash'>>) => {
    await Promise.all(rows.map((row) => fs.promises.rm(keptThumbnail(dataDir(), row.hash), { force: true })));
  };

  const restoreOne = async (row: DeletedPhotoRow): Promise<string | null> => {
    if (await catalog.getImageByHash(row.hash)) return null; // already back (restored from the trash, or re-added)
    if (row.in_trash) return 'the file is in the system trash: restore it from there and Glimpse picks it up again';
    const stat = await fs.promises.stat(row.path).catch(() => null);
    if (!stat?.isFile()) return `the file is no longer at ${row.path}`;
    const folders = await catalog.listFolderRows();
    if (!folders.some((folder) => folder.id === row.folder_id)) return 'its folder is no longer in the library: add the folder again';
    for (const file of [row.path, ...(JSON.parse(row.copy_paths) as string[])]) await catalog.forgetRemovedFile(file);
    return null;
  };

  return {
    'folders.browse': ({ path: requested }) => browseFolder(requested, context.config()),
    'gallery.days': ({ folderId, order, aspects }) =>
      galleryDays(catalog.db, { order: order ?? 'desc', aspects: aspects ?? false, ...(folderId !== undefined ? { folderId } : {}) }),
    'photos.get': async (request) => {
      const id = 'id' in request ? request.id : await idOfPath(request.path);
      const details = await catalog.photoDetails(id);
      if (!details) throw new GlimpseError('NOT_FOUND', `There is no photo with id ${id} in the library`, String(id));
      return {
        ...details,
        favourite: await favourites.has(details.hash),
        place: placeName(details.exif.gpsLatitude, details.exif.gpsLongitude),
        rotation: await rotations.of(details.hash),
      };
    },
    'photos.favourite': async ({ ids, favourite }) => {
      const images = (await Promise.all([...new Set(ids)].map((id) => catalog.getImage(id)))).filter((image) => image !== undefined);
      const unknown = ids.find((id) => !images.some((image) => image.id === id));
      if (unknown !== undefined) throw new GlimpseError('NOT_FOUND', `There is no photo with id ${unknown} in the library`, String(unknown));
      await favourites.mark(images.map((image) => image.hash), favourite);
      return { ids: images.map((image) => image.id) };
    },
    'gallery.favourites': async () => (await favourites.photos()).map(toPhotoSummary),
    'photos.delete': async ({ ids, moveToTrash }) => {
      const before: NewDeletedPhoto[] = [];
      const deletedAt = new Date().toISOString();
      for (const id of new Set(ids)) {
        const image = await catalog.getImage(id);
        if (!image) continue;
        const copies = (await catalog.duplicatesOf(id)).map((copy) => copy.path);
        before.push({
          photo_id: id,
          folder_id: image.folder_id,
          path: image.path,
          hash: image.hash,
          copy_paths: JSON.stringify(copies),
          taken_at: image.taken_at,
          width: image.width,
          height: image.height,
          in_trash: moveToTrash ? 1 : 0,
          deleted_at: deletedAt,
        });
        if (image.thumb_path) {
          await fs.promises.mkdir(path.dirname(keptThumbnail(dataDir(), image.hash)), { recursive: true });
          // Recently deleted shows the photo the way the person turned it.
          const shown = (await rotatedRendition(image.thumb_path, await rotations.of(image.hash), context.config().thumbnails.quality).catch(() => null)) ?? image.thumb_path;
          await fs.promises.copyFile(shown, keptThumbnail(dataDir(), image.hash)).catch(() => undefined);
        }
      }
      const result = await context.library().deletePhotos(ids, moveToTrash ?? false);
      const failedPaths = new Set(result.failed.map((failure) => failure.path));
      const removed = before.filter((row) => !failedPaths.has(row.path));
      await deleted.record(removed);
      await forgetExpired(before.filter((row) => failedPaths.has(row.path)));
      return result;
    },
    'photos.deleted': async () => {
      const { kept, expired } = await deleted.list();
      await forgetExpired(expired);
      const out: DeletedPhoto[] = [];
      for (const row of kept) {
        out.push({
          id: row.id,
          path: row.path,
          takenAt: row.taken_at,
          width: row.width,
          height: row.height,
          deletedAt: row.deleted_at,
          expiresAt: expiryOf(row.deleted_at).toISOString(),
          inTrash: row.in_trash === 1,
          thumbnail: await readThumbnail(keptThumbnail(dataDir(), row.hash)),
        });
      }
      return out;
    },
    'photos.restore': async ({ ids }): Promise<RestoreResult> => {
      const rows = await deleted.get([...new Set(ids)]);
      const failed: RestoreResult['failed'] = [];
      const known = new Set(rows.map((row) => row.id));
      for (const id of ids) if (!known.has(id)) failed.push({ path: `#${id}`, error: 'nothing with this id was recently deleted' });
      const done: DeletedPhotoRow[] = [];
      for (const row of rows) {
        try {
          const why = await restoreOne(row);
          if (why) failed.push({ path: row.path, error: why });
          else done.push(row);
        } catch (error) {
          failed.push({ path: row.path, error: describeError(error) });
        }
      }
      await deleted.remove(done.map((row) => row.id));
      // A rescan finds the files no longer remembered as removed and indexes them again.
      for (const folderId of new Set(done.map((row) => row.folder_id))) await context.library().rescanFolder(folderId);
      await forgetExpired(done);
      return { restored: done.length, failed };
    },
  };
}
