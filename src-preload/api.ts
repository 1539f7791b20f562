// The Api contract: every operation the window, the browser client and the CLI may ask of the engine.
// Types plus three channel names and nothing else, so the renderer can import it without pulling in main.

/** Why an operation failed, in words a person can act on. */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'NOT_A_DIRECTORY'
  | 'ALREADY_ADDED'
  | 'NESTED_FOLDER'
  | 'PERMISSION_DENIED'
  | 'UNSUPPORTED_FORMAT'
  | 'MODEL_MISSING'
  | 'MODEL_DOWNLOAD_FAILED'
  | 'OFFLINE'
  | 'BACKEND_UNAVAILABLE'
  | 'LIBRARY_BUSY'
  | 'INTERNAL';

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** The path, id or field the error is about, when there is one. */
  subject?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// ---------------------------------------------------------------- library

export type ImageStatus = 'pending' | 'ready' | 'failed';

export interface FolderInfo {
  id: number;
  path: string;
  addedAt: string;
  /** Photos known in this folder (ready + pending + failed; duplicates not counted). */
  total: number;
  ready: number;
  pending: number;
  failed: number;
  duplicates: number;
  managed: boolean;
}

export interface PhotoSummary {
  id: number;
  path: string;
  folderId: number;
  width: number | null;
  height: number | null;
  takenAt: string | null;
  addedAt: string;
  status: ImageStatus;
}

export interface PhotoExif {
  cameraMake: string | null;
  cameraModel: string | null;
  lens: string | null;
  focalLength: number | null;
  fNumber: number | null;
  exposureTime: number | null;
  iso: number | null;
  gpsLatitude: number | null;
  gpsLongitude: number | null;
  orientation: number | null;
}

export interface PhotoDetails extends PhotoSummary {
  hash: string;
  sizeBytes: number;
  mtime: string;
  format: string | null;
  exif: PhotoExif;
  error: string | null;
  /** Other paths holding byte-identical copies of this photo. */
  duplicatePaths: string[];
  caption: string | null;
  /** Which indexing stages are done, pending or failed for this photo. */
  stages: Record<string, 'pending' | 'done' | 'failed' | 'skipped'>;
}

export type GallerySort = 'taken' | 'added';

export interface GalleryRequest {
  page?: number;
  pageSize?: number;
  sort?: GallerySort;
  order?: 'desc' | 'asc';
  folderId?: number;
}

export interface GalleryPage {
  items: PhotoSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface FileFailure {
  path: string;
  error: string;
}

export interface ImportResult {
  indexed: number;
  duplicates: number;
  failed: FileFailure[];
}

export interface DeleteRequest {
  ids: number[];
  /** Move the files to the OS trash as well as removing them from the library. */
  moveToTrash?: boolean;
}

export interface DeleteResult {
  removed: number;
  trashed: number;
  failed: FileFailure[];
}

// ---------------------------------------------------------------- jobs

export interface Progress {
  total: number;
  done: number;
  failed: number;
  pending: number;
  /** Photos per second over the last minute. */
  rate: number;
  /** Seconds until the queue drains at the current rate; null when idle or unknown. */
  etaSeconds: number | null;
}

export interface FolderProgress extends Progress {
  folderId: number;
  path: string;
  failures: FileFailure[];
}

export interface JobStatus {
  paused: boolean;
  /** Pass 1 (hash, decode, EXIF, thumbnails, global embedding): what search needs. */
  overall: Progress;
  /** Pass 2 (crop embeddings and later stages) running in the background. */
  background: Progress;
  folders: FolderProgress[];
}

// ---------------------------------------------------------------- search

export interface SearchFilters {
  folderId?: number;
  /** ISO dates, inclusive, on the date taken (or added when unknown). */
  from?: string;
  to?: string;
  /** Only photos in which every one of these people appears. */
  personIds?: number[];
}

export interface RankingSettings {
  globalWeight: number;
  localWeight: number;
  /** Multiplies the calibrated logit: >1 sharpens, <1 softens. */
  temperature: number;
  /** Calibrated probability below which a result is dropped. */
  cutoff: number;
}

export interface SearchRequest extends SearchFilters {
  query: string;
  limit?: number;
  ranking?: Partial<RankingSettings>;
}

export interface ScoreParts {
  global: number;
  /** Max similarity over the photo's stored crops; null while its crops are not embedded yet. */
  local: number | null;
  final: number;
  calibrated: number;
}

export interface SearchHit extends ScoreParts {
  photo: PhotoSummary;
  /** The score shown to people: the calibrated probability. */
  score: number;
  /** True when the photo ranked on its global vector alone (crops still pending). */
  globalOnly: boolean;
}

export interface SearchResponse {
  query: string;
  hits: SearchHit[];
  /** Candidates considered before the cut-off. */
  candidates: number;
  ranking: RankingSettings;
  model: string;
  tookMs: number;
}

export type SimilarRequest = ({ id: number } | { path: string }) & SearchFilters & { limit?: number };

export interface SimilarResponse {
  source: { id: number | null; path: string };
  hits: SearchHit[];
  tookMs: number;
}

export interface DuplicateGroup {
  kind: 'exact' | 'near';
  photos: PhotoSummary[];
  /** For exact groups, the paths of the extra byte-identical copies. */
  copies: string[];
  /** Smallest cosine similarity inside a near group (1 for exact). */
  similarity: number;
}

export interface TuneSetting {
  globalWeight: number;
  localWeight: number;
  temperature: number;
}

export interface TuneCell {
  final: number;
  calibrated: number;
  /** 1-based position among the candidates under this setting's weights. */
  rank: number;
  /** Whether the cut-off keeps this photo under this setting. */
  kept: boolean;
}

export interface TuneRow {
  id: number;
  path: string;
  global: number;
  local: number | null;
  /** One cell per entry of `settings`, in the same order. */
  cells: TuneCell[];
}

/** What `glimpse tune` prints: the top photos scored under several settings side by side, to choose them. */
export interface TuneReport {
  query: string;
  model: string;
  logitScale: number;
  logitBias: number;
  cutoff: number;
  settings: TuneSetting[];
  /** Photos in the top `limit` under any setting, in the order the current settings rank them. */
  rows: TuneRow[];
}

// ---------------------------------------------------------------- faces and people

/** [x, y, width, height] in pixels of the upright original photo (EXIF orientation applied). */
export type FaceBox = [number, number, number, number];

/** A face in an image file or bytes, for `faces.detect` (the original's /detect-faces). */
export type DetectFacesRequest = { path: string } | { bytes: string };

export interface DetectFacesResponse {
  width: number;
  height: number;
  faces: Array<{ box: FaceBox; confidence: number }>;
}

export interface FaceInfo {
  id: number;
  photoId: number;
  photo: string;
  box: FaceBox;
  confidence: number;
  personId: number | null;
  personName: string | null;
  /** Put where it is by a person (named, moved, confirmed): clustering never moves it. */
  pinned: boolean;
  /** A small square picture of the face (a data: URL). */
  thumbnail: string | null;
}

export interface PersonSummary {
  id: number;
  name: string | null;
  hidden: boolean;
  faceCount: number;
  photoCount: number;
  cover: FaceInfo | null;
  /** For an unnamed group: the named person it resembles ("Is this Alice?"). */
  lookalike: { personId: number; name: string; similarity: number } | null;
}

export interface PeopleList {
  people: PersonSummary[];
  unassignedFaces: number;
}

export interface PersonDetails {
  person: PersonSummary;
  faces: FaceInfo[];
  photos: PhotoSummary[];
}

export interface FaceSuggestion {
  face: FaceInfo;
  /** Average cosine similarity to all of the person's faces. */
  similarity: number;
}

export interface FaceSimilarResponse {
  people: Array<{ person: PersonSummary; similarity: number }>;
  faces: FaceSuggestion[];
}

// ---------------------------------------------------------------- models, settings, health

export interface ModelInfo {
  id: string;
  role: 'embedding' | 'caption' | 'faces';
  present: boolean;
  active: boolean;
  dir: string;
  sizeBytes: number | null;
  device: 'cuda' | 'cpu' | null;
  /** What a person should do when the model is missing. */
  remedy: string | null;
  download: { receivedBytes: number; totalBytes: number | null } | null;
}

export interface Settings {
  ranking: RankingSettings;
  /** Near-duplicate threshold on cosine similarity of global vectors. */
  nearDuplicateThreshold: number;
  indexing: { concurrency: number; workers: number; threadsPerWorker: number; paused: boolean };
  model: string;
  /** Face detection and people at import. */
  faces: { enabled: boolean };
}

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DoctorReport {
  version: string;
  node: string;
  platform: string;
  dataDir: string;
  modelsDir: string;
  catalog: string;
  vectors: string;
  device: 'cuda' | 'cpu';
  checks: DoctorCheck[];
  models: ModelInfo[];
}

// ---------------------------------------------------------------- the operations

/** Every operation: its input and its output. Transports (IPC, HTTP, CLI) are generic over this map. */
export interface ApiOperations {
  'folders.list': { input: void; output: FolderInfo[] };
  'folders.add': { input: { path: string }; output: FolderInfo };
  'folders.remove': { input: { id: number }; output: { removedPhotos: number } };
  'folders.rescan': { input: { id: number }; output: FolderInfo };
  /** Adds the folder if it is new, scans it and resolves once the whole queue (both passes) has drained. */
  'folders.index': { input: { path: string }; output: ImportResult };
  'import.files': { input: { paths: string[] }; output: ImportResult };
  'gallery.page': { input: GalleryRequest; output: GalleryPage };
  'photos.get': { input: { id: number }; output: PhotoDetails };
  'photos.delete': { input: DeleteRequest; output: DeleteResult };
  'jobs.status': { input: void; output: JobStatus };
  'jobs.pause': { input: void; output: JobStatus };
  'jobs.resume': { input: void; output: JobStatus };
  'search.query': { input: SearchRequest; output: SearchResponse };
  'search.similar': { input: SimilarRequest; output: SimilarResponse };
  'search.duplicates': { input: { threshold?: number }; output: DuplicateGroup[] };
  'search.tune': { input: { query: string; limit?: number }; output: TuneReport };
  'models.list': { input: void; output: ModelInfo[] };
  'models.download': { input: { id: string }; output: ModelInfo };
  'faces.detect': { input: DetectFacesRequest; output: DetectFacesResponse };
  'faces.ofPhoto': { input: { photoId: number }; output: FaceInfo[] };
  'faces.unassigned': { input: { limit?: number }; output: FaceInfo[] };
  /** Moves faces to a person (by id, or by name: an unknown name makes a new person), pinned there. */
  'faces.assign': { input: { faceIds: number[]; personId?: number; name?: string }; output: PersonSummary };
  /** "Find this person from one face": the people it resembles and the closest faces in other photos. */
  'faces.similar': { input: { faceId: number; limit?: number }; output: FaceSimilarResponse };
  'people.list': { input: { includeHidden?: boolean }; output: PeopleList };
  'people.get': { input: { id: number }; output: PersonDetails };
  'people.rename': { input: { id: number; name: string | null }; output: PersonSummary };
  'people.merge': { input: { into: number; from: number[] }; output: PersonSummary };
  /** The chosen faces become a new person (returned). */
  'people.split': { input: { id: number; faceIds: number[] }; output: PersonSummary };
  'people.reject': { input: { id: number; faceIds: number[] }; output: PersonSummary };
  'people.hide': { input: { id: number; hidden: boolean }; output: PersonSummary };
  'people.setCover': { input: { id: number; faceId: number }; output: PersonSummary };
  'people.suggestions': { input: { id: number; limit?: number }; output: FaceSuggestion[] };
  /** Clusters every face again from the person's decisions alone (names, pins, rejections are kept). */
  'people.recluster': { input: void; output: PeopleList };
  /** Deletes every face, person and decision, and switches face recognition off. */
  'people.forget': { input: void; output: { faces: number; people: number } };
  'settings.get': { input: void; output: Settings };
  'settings.update': { input: DeepPartial<Settings>; output: Settings };
  'system.doctor': { input: void; output: DoctorReport };
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export type OperationName = keyof ApiOperations;
export type OperationInput<K extends OperationName> = ApiOperations[K]['input'];
export type OperationOutput<K extends OperationName> = ApiOperations[K]['output'];

// ---------------------------------------------------------------- events

export type GlimpseEvent =
  | { type: 'progress'; status: JobStatus }
  | { type: 'library'; added: number[]; updated: number[]; removed: number[] }
  | { type: 'folders'; folders: FolderInfo[] }
  | { type: 'model'; model: ModelInfo }
  | { type: 'people'; changed: number[] }
  | { type: 'notice'; level: 'info' | 'warn' | 'error'; message: string };

/** What the renderer sees on `window.glimpse` (Electron) and what the HTTP client implements in browser mode. */
export interface GlimpseBridge {
  invoke<K extends OperationName>(operation: K, input: OperationInput<K>): Promise<Result<OperationOutput<K>>>;
  /** Subscribes to engine events; returns the unsubscribe function. */
  subscribe(listener: (event: GlimpseEvent) => void): () => void;
  /** URL for a photo's bytes: 'thumb' (grid), 'view' (viewer) or 'original'. */
  imageUrl(id: number, size: 'thumb' | 'view' | 'original'): string;
  /** Desktop-only actions of the Electron shell; absent in browser mode, so the UI hides what it cannot do. */
  shell?: DesktopShell;
}

/** What only the desktop window can do: native dialogs, the OS file manager, paths of dropped files. */
export interface DesktopShell {
  /** Opens the native folder picker; resolves to the chosen folders (empty when cancelled). */
  pickFolders(): Promise<string[]>;
  /** Reveals a library photo in the OS file manager, by id. */
  showInFolder(id: number): Promise<Result<null>>;
  /** Opens a library photo in the OS default viewer, by id. */
  openWithSystemViewer(id: number): Promise<Result<null>>;
  /** The filesystem path of a file or folder dropped on the window ('' when it has none). */
  pathForFile(file: File): string;
  /** Commands chosen from the application menu (or its shortcuts); returns the unsubscribe function. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}

export type MenuCommand =
  | 'view:library'
  | 'view:search'
  | 'view:folders'
  | 'view:settings'
  | 'focus-search'
  | 'add-folder'
  | 'select-all'
  | 'delete-selection';

/** The names the preload exposes; the IPC channel names derive from these. */
export const IPC_INVOKE_CHANNEL = 'glimpse:invoke';
export const IPC_EVENT_CHANNEL = 'glimpse:event';
export const IPC_SHELL_CHANNEL = 'glimpse:shell';
export const IPC_MENU_CHANNEL = 'glimpse:menu';
export const IMAGE_PROTOCOL = 'glimpse';
