// The catalog's tables as kysely sees them; the migrations in migrations.ts create exactly these.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

export interface FoldersTable {
  id: Generated<number>;
  path: string;
  added_at: string;
  /** 1 for the "Imported" folder Glimpse manages inside the data dir (drag & drop copies land there). */
  managed: number;
}

export interface ImagesTable {
  id: Generated<number>;
  folder_id: number;
  path: string;
  /** sha256 of the file's bytes: the photo's identity across renames and moves. */
  hash: string;
  size_bytes: number;
  mtime_ms: number;
  format: string | null;
  width: number | null;
  height: number | null;
  orientation: number | null;
  taken_at: string | null;
  added_at: string;
  camera_make: string | null;
  camera_model: string | null;
  lens: string | null;
  focal_length: number | null;
  f_number: number | null;
  exposure_time: number | null;
  iso: number | null;
  gps_latitude: number | null;
  gps_longitude: number | null;
  thumb_path: string | null;
  view_path: string | null;
  status: 'pending' | 'ready' | 'failed';
  error: string | null;
  caption: string | null;
  caption_model: string | null;
  updated_at: string;
}

/** Byte-identical copies of a catalogued photo: recorded, never indexed twice. */
export interface DuplicateFilesTable {
  id: Generated<number>;
  image_id: number;
  folder_id: number;
  path: string;
  size_bytes: number;
  mtime_ms: number;
}

/** File-level work that exists before a photo has an identity (hashing), and failures that never get one. */
export interface JobsTable {
  id: Generated<number>;
  kind: 'ingest';
  folder_id: number;
  path: string;
  status: 'pending' | 'running' | 'done' | 'failed';
  attempts: number;
  error: string | null;
  created_at: string;
  updated_at: string;
  /** The process working on it while running (see Catalog.workerId), and until when that claim holds. */
  lease_owner: string | null;
  lease_until: string | null;
}

/** One row per photo and indexing stage: the persistent queue of everything after hashing. */
export interface ImageStagesTable {
  image_id: number;
  stage: string;
  /** 1: what search needs first (decode, EXIF, thumbnails, global vector); 2: background (crops, faces, captions). */
  pass: number;
  status: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  /** What the stage's output was made with (a model id), so switching models redoes only what depends on it. */
  version: string | null;
  attempts: number;
  error: string | null;
  updated_at: string;
  lease_owner: string | null;
  lease_until: string | null;
}

/**
 * Files a person removed from the library while leaving them on disk: scans skip them while their size and mtime
 * are unchanged, so a removed photo does not come back until its file is changed or put back.
 */
export interface RemovedFilesTable {
  path: string;
  size_bytes: number;
  mtime_ms: number;
  removed_at: string;
}

export interface PeopleTable {
  id: Generated<number>;
  name: string | null;
  hidden: number;
  created_at: string;
}

export interface FacesTable {
  id: Generated<number>;
  image_id: number;
  person_id: number | null;
  box_x: number;
  box_y: number;
  box_width: number;
  box_height: number;
  score: number;
  descriptor: Uint8Array | null;
  created_at: string;
}

export interface CatalogSchema {
  folders: FoldersTable;
  images: ImagesTable;
  duplicate_files: DuplicateFilesTable;
  jobs: JobsTable;
  image_stages: ImageStagesTable;
  people: PeopleTable;
  faces: FacesTable;
  removed_files: RemovedFilesTable;
}

export type FolderRow = Selectable<FoldersTable>;
export type ImageRow = Selectable<ImagesTable>;
export type NewImage = Insertable<ImagesTable>;
export type ImageUpdate = Updateable<ImagesTable>;
export type DuplicateFileRow = Selectable<DuplicateFilesTable>;
export type JobRow = Selectable<JobsTable>;
export type ImageStageRow = Selectable<ImageStagesTable>;
export type RemovedFileRow = Selectable<RemovedFilesTable>;
