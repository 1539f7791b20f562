// The Api contract: every operation the window, the browser client and the CLI may ask of the engine.
// Types plus three channel names and nothing else, so the renderer can import it without pulling in main.

/** Why an operation failed, in words a person can act on. */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'NOT_A_DIRECTORY'
  | 'ALREADY_ADDED'
  | 'NESTED_FOLDER'
  /** Never a library folder: Glimpse's own data dir, a system folder such as /proc. */
  | 'FOLDER_REFUSED'
  /** Asked again with `confirm: true` it goes ahead: a whole disk, every user's home. */
  | 'CONFIRMATION_REQUIRED'
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
  /** The words written about the photo: imported metadata, text read in it, the model's caption. */
  words?: PhotoWords | null;
  /** Marked with ♥ by the person (kept by content, so a move or re-index keeps it). */
  favourite?: boolean;
  /** The nearest known town to the GPS position ("Lyon, France"), from a bundled offline table; null without GPS. */
  place?: string | null;
  /** How the person turned the photo for showing, in quarter turns clockwise (the file itself is never rewritten). */
  rotation?: QuarterTurns;
}

/** Quarter turns clockwise: 0 upright as the file says, 1 = 90° right, 2 = 180°, 3 = 90° left. */
export type QuarterTurns = 0 | 1 | 2 | 3;

/**
 * Turning photos for showing: `by` turns from where each one is now (1 right, -1 left, 2 half a turn), `to` sets
 * an absolute rotation (0 undoes every turn).
 */
export type RotateRequest = { ids: number[]; by: -1 | 1 | 2 } | { ids: number[]; to: QuarterTurns };

export interface PhotoRotation {
  id: number;
  rotation: QuarterTurns;
}

/** One line of text read in a photo: its box in the photo's pixels ([x, y, width, height]) and the recognizer's score. */
export interface OcrLine {
  text: string;
  box: [number, number, number, number];
  score: number;
}

export interface OcrResult {
  lines: OcrLine[];
}

export interface PhotoWords {
  /** From XMP dc:title, IPTC object name or headline, EXIF XPTitle. */
  title: string | null;
  /** From XMP dc:description, IPTC caption, EXIF ImageDescription/XPComment/UserComment. */
  description: string | null;
  /** XMP dc:subject and lr:hierarchicalSubject levels, IPTC keywords, EXIF XPKeywords. */
  keywords: string[];
  /** Names of people tagged in MWG or Microsoft face regions, or IPTC "person in image". */
  people: string[];
  /** Where the words came from: "xmp", "iptc", "exif", or "sidecar <file name>". */
  sources: string[];
  /** A readable reason when part of the metadata could not be read (the rest was kept). */
  problem: string | null;
  ocr: { text: string; lines: OcrLine[]; model: string } | null;
  caption: string | null;
  captionModel: string | null;
}

/** One day of the timeline with how many photos the catalog holds for it, in gallery order. */
export interface GalleryDay {
  /** The local calendar day, YYYY-MM-DD, of the date taken (or added when unknown); 'unknown' for unreadable dates. */
  day: string;
  count: number;
  /**
   * Asked for with `aspects: true`: each photo's width over height as shown (a turned photo's turn applied), in gallery
   * order, 0 while its size is not known — so a justified layout can place photos whose pages have not arrived.
   */
  aspects?: number[];
}

/** A photo removed from the library (not its file) that can still be put back, or one whose file went to the trash. */
export interface DeletedPhoto {
  id: number;
  path: string;
  takenAt: string | null;
  width: number | null;
  height: number | null;
  deletedAt: string;
  /** When Glimpse forgets it for good (30 days after the removal). */
  expiresAt: string;
  /** The file went to the OS trash: it comes back by restoring it from there. */
  inTrash: boolean;
  /** The grid thumbnail as a data: URL, while it is kept. */
  thumbnail: string | null;
}

export interface RestoreResult {
  restored: number;
  failed: FileFailure[];
}

export interface FolderListing {
  path: string;
  /** null at the top of the file system. */
  parent: string | null;
  /** Absolute paths of the subfolders that may be browsed, sorted by name; hidden ones left out. */
  folders: string[];
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

export interface ExportRequest {
  ids: number[];
  /** A full path on the computer running Glimpse; created when only its parent exists. */
  folder: string;
}

export interface ExportResult {
  /** The export folder's real path. */
  folder: string;
  /** Each photo copied: its original and the new file (renamed "name (2).jpg" when the name was taken). */
  exported: { id: number; from: string; to: string }[];
  /** Each photo not copied and why; `path` is null for an id the library does not know. */
  failed: { id: number; path: string | null; error: string }[];
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
  /** Widen the query with related words (WordNet); defaults to the `words.expand` setting. */
  expand?: boolean;
  /** Expansion terms the person removed (their chips), left out of this search. */
  withoutExpansions?: string[];
  /** false searches exactly what was typed ("search instead for …"): no correction, no "did you mean". */
  correctSpelling?: boolean;
  /** Record the query in the search history (a search the person submitted, not one run while typing). */
  remember?: boolean;
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
  /** "Showing results for …" (applied) or "Did you mean …?" (not applied); absent when the spelling was fine. */
  spelling?: SpellingNotice;
  /** True when the query found nothing and its spelling check was still running (the dictionary loading): ask again. */
  spellingPending?: boolean;
  /** The related words the search also used, with their weights; empty when expansion is off or found none. */
  expansions?: QueryExpansion[];
}

// ---------------------------------------------------------------- words around a query

export interface SpellingChange {
  from: string;
  to: string;
}

export interface SpellCheckResult {
  query: string;
  /** The query with each misspelt word replaced; equal to `query` when nothing needed correcting. */
  corrected: string;
  /** Corrected queries, best first (alternatives for the first corrected word). */
  suggestions: string[];
  changed: SpellingChange[];
}

export interface SpellingNotice {
  /** What the person typed. */
  original: string;
  corrected: string;
  /** true: the hits are for `corrected` because `original` found nothing; false: a "did you mean" offer. */
  applied: boolean;
  changed: SpellingChange[];
}

export interface QueryExpansion {
  /** The query word it widens. */
  word: string;
  term: string;
  relation: 'synonym' | 'broader' | 'narrower' | 'prompt';
  /** Its share in the query vector relative to the query itself (1). */
  weight: number;
}

export type SuggestionKind = 'pinned' | 'recent' | 'person' | 'folder' | 'place' | 'word' | 'correction';

export interface Suggestion {
  /** The whole query the suggestion puts in the box. */
  text: string;
  kind: SuggestionKind;
  /** Photos using the completed word, when known. */
  count: number | null;
}

export interface SuggestRequest {
  prefix: string;
  limit?: number;
}

export interface SuggestResponse {
  prefix: string;
  suggestions: Suggestion[];
}

export interface SearchHistoryEntry {
  query: string;
  uses: number;
  lastUsedAt: string;
  pinned: boolean;
}

export interface DeepSearchRequest extends SearchFilters {
  query: string;
  limit?: number;
  /** How to fuse the text and image lists; reciprocal-rank fusion unless asked (the evaluation measures both). */
  fusion?: 'rrf' | 'score-sum';
  /** Also search the text for related words (WordNet), weighted below the words typed; defaults to `words.expand`. */
  expand?: boolean;
  /** Expansion terms the person removed (their chips), left out of this search. */
  withoutExpansions?: string[];
  /** Record the query in the search history (a search the person submitted, not one run while typing). */
  remember?: boolean;
}

/** The text fields a photo is found by, from what a person wrote down to what a model guessed. */
export type TextField = 'title' | 'keywords' | 'people' | 'description' | 'ocr' | 'fileName' | 'folderName' | 'caption';

export interface MatchedField {
  field: TextField;
  /** A short excerpt of the field around the matched words. */
  snippet: string;
  /** [start, end) character ranges of the matched words inside `snippet`. */
  highlights: Array<[number, number]>;
}

export interface DeepSearchHit {
  photo: PhotoSummary;
  /** The fused score the hits are ordered by. */
  score: number;
  /** The text index's part, or null when no word matched; `expansion`: the related word that found it, if not the words typed. */
  text: { rank: number; score: number; fields: MatchedField[]; expansion?: string } | null;
  /** The image model's part, or null when the photo was not among its candidates (or no model is loaded). */
  vector: { rank: number; score: number; global: number; local: number | null } | null;
}

export interface DeepSearchResponse {
  query: string;
  hits: DeepSearchHit[];
  /** How the two lists were fused: weighted reciprocal-rank fusion (k = 60) or a sum of min–max normalised scores. */
  fusion: 'rrf' | 'score-sum';
  /** The words the text index searched for (stop-words and operator characters dropped). */
  terms: string[];
  /** The related words the text index also searched for, each weighted below the words typed; empty when off. */
  expansions: QueryExpansion[];
  textCandidates: number;
  vectorCandidates: number;
  /** The image model used, or null when deep search ran on words alone. */
  model: string | null;
  /** Why a part was missing (no model, only stop-words), in words. */
  notes: string[];
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

/** A merge's result: the person everyone went into, and how to take the merge back. */
export interface MergedPerson extends PersonSummary {
  /** Give to `people.undoMerge` to put the people, their faces, pins, names and rejections back as they were. */
  undoId: number;
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
  /** Active model only: why the last background download failed, and when it is tried again. */
  fetchError?: string | null;
  retryAt?: string | null;
}

export interface Settings {
  ranking: RankingSettings;
  /** Near-duplicate threshold on cosine similarity of global vectors. */
  nearDuplicateThreshold: number;
  indexing: { concurrency: number; workers: number; threadsPerWorker: number; paused: boolean };
  model: string;
  captions: CaptionSettings;
  /** Whether import reads the text printed in photos (OCR). */
  ocr?: { enabled: boolean };
  /** Words around a query: expansion with related words, spelling correction, remembering searches. */
  words: WordsSettings;
  /** Face detection and people at import. */
  faces: { enabled: boolean };
}

export interface WordsSettings {
  expand: boolean;
  correctSpelling: boolean;
  rememberSearches: boolean;
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

// ---------------------------------------------------------------- captions

export interface CaptionSettings {
  /** Off until a person turns it on: a VLM costs seconds per photo on a CPU. */
  enabled: boolean;
  model: string;
  prompt: string;
  maxNewTokens: number;
  /** SmolVLM's image splitting (up to ~1,088 image tokens instead of 64). */
  splitImages: boolean;
  /** Threads of the one captioner worker: how much of the machine captioning may take. */
  threads: number;
}

export type CaptionStageStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface PhotoCaption {
  id: number;
  path: string;
  /** null while the photo has no caption yet; "" when the model answered nothing. */
  caption: string | null;
  model: string | null;
  prompt: string | null;
  createdAt: string | null;
  durationMs: number | null;
  status: CaptionStageStatus | null;
  error: string | null;
}

export interface CaptionerStatus {
  enabled: boolean;
  model: string;
  prompt: string;
  /** Whether the captioner's files are on disk, being fetched, or missing (then `remedy` says what to do). */
  state: 'present' | 'downloading' | 'missing';
  remedy: string | null;
  download: { receivedBytes: number; totalBytes: number | null } | null;
  dir: string;
  device: 'cuda' | 'cpu' | null;
  /** Whether the model is in memory now (it is released when idle). */
  loaded: boolean;
  splitImages: boolean;
  threads: number;
  /** Photos captioned with the current model and prompt, of all photos. */
  progress: Progress;
  msPerPhoto: number | null;
}

export type DescribeRequest = ({ all: true } | { missing: true } | { ids: number[] }) & {
  /** A new prompt for the captioner (saved in the settings): photos captioned with another prompt are described again. */
  prompt?: string;
  /** Resolve only once every photo asked for has its caption (the CLI waits; the window does not). */
  wait?: boolean;
};

export interface DescribeResult {
  queued: number;
  /** The photos asked for, with their captions as they stand when the call returns. */
  photos: PhotoCaption[];
  status: CaptionerStatus;
}

// ---------------------------------------------------------------- the operations

/** Every operation: its input and its output. Transports (IPC, HTTP, CLI) are generic over this map. */
// ---------------------------------------------------------------- backends

export interface VectorMigrationReport {
  /** Where the vectors were read from and written to, as `glimpse doctor` names stores. */
  from: string;
  to: string;
  seen: number;
  copied: number;
  /** Photos the target already held (a migration run again resumes where it stopped). */
  skipped: number;
  counts: { source: { photos: number; withCrops: number }; target: { photos: number; withCrops: number }; match: boolean };
  /** Sample photos whose 10 most similar photos came back identical, in order, from both stores. */
  sampled: number;
  identicalTop10: number;
  /** The face descriptors, copied the same way (faces are the points; they have no crops). */
  faces: FaceVectorMigration;
  /** What to set so the library uses the target from now on. */
  next: string;
}

export interface FaceVectorMigration {
  seen: number;
  copied: number;
  skipped: number;
  counts: { source: number; target: number; match: boolean };
  /** Sample faces whose 10 nearest faces came back identical, in order, from both stores. */
  sampled: number;
  identicalTop10: number;
}

export interface CatalogMigrationReport {
  from: string;
  to: string;
  /** Rows per table on both sides after the copy (a copy run again adds only what is missing). */
  tables: { table: string; source: number; target: number }[];
  countsMatch: boolean;
  /** The first page of the timeline (60 photos, newest first) is the same on both sides. */
  galleryMatches: boolean;
  next: string;
}

export interface ApiOperations {
  'folders.list': { input: void; output: FolderInfo[] };
  /** `confirm`: yes to a folder that needs it (a disk root, a home directory's parent: CONFIRMATION_REQUIRED). */
  'folders.add': { input: { path: string; confirm?: boolean }; output: FolderInfo };
  'folders.remove': { input: { id: number }; output: { removedPhotos: number } };
  'folders.rescan': { input: { id: number }; output: FolderInfo };
  /** Adds the folder if it is new, scans it and resolves once the whole queue (both passes) has drained. */
  'folders.index': { input: { path: string; confirm?: boolean }; output: ImportResult };
  /** The subfolders of a folder, to complete a typed path (browser mode has no native picker); '' is the home folder. */
  'folders.browse': { input: { path: string }; output: FolderListing };
  'import.files': { input: { paths: string[] }; output: ImportResult };
  'gallery.page': { input: GalleryRequest; output: GalleryPage };
  /** Every day of the timeline with its photo count, in the order gallery.page lists them (sort 'taken'). */
  'gallery.days': { input: { folderId?: number; order?: 'desc' | 'asc'; aspects?: boolean }; output: GalleryDay[] };
  /** By id, or by the path of the photo or of one of its byte-identical copies. */
  'photos.get': { input: { id: number } | { path: string }; output: PhotoDetails };
  'photos.delete': { input: DeleteRequest; output: DeleteResult };
  /** Photos removed in the last 30 days, newest removal first. */
  'photos.deleted': { input: void; output: DeletedPhoto[] };
  /** Marks photos as favourites (♥) or unmarks them; answers the ids changed. */
  'photos.favourite': { input: { ids: number[]; favourite: boolean }; output: { ids: number[] } };
  /** The favourite photos, newest first. */
  'gallery.favourites': { input: void; output: PhotoSummary[] };
  /** Puts removed photos back into the library (they are indexed again under new ids). */
  'photos.restore': { input: { ids: number[] }; output: RestoreResult };
  /** Turns photos for showing (stored by content, the files untouched); answers each photo's rotation after it. */
  'photos.rotate': { input: RotateRequest; output: PhotoRotation[] };
  /** Every photo shown turned, with its rotation (upright photos are left out). */
  'photos.rotations': { input: void; output: PhotoRotation[] };
  /** Copies the originals, bytes unchanged, into a folder without overwriting anything there. */
  'photos.export': { input: ExportRequest; output: ExportResult };
  'jobs.status': { input: void; output: JobStatus };
  'jobs.pause': { input: void; output: JobStatus };
  'jobs.resume': { input: void; output: JobStatus };
  'search.query': { input: SearchRequest; output: SearchResponse };
  'search.similar': { input: SimilarRequest; output: SimilarResponse };
  'search.duplicates': { input: { threshold?: number }; output: DuplicateGroup[] };
  'search.tune': { input: { query: string; limit?: number }; output: TuneReport };
  /** Words (imported metadata, text in photos, captions, file and folder names) and image vectors, fused. */
  'search.deep': { input: DeepSearchRequest; output: DeepSearchResponse };
  /** Reads the text printed in an image file (OCR with the shipped PP-OCR models). */
  'ocr.read': { input: { path: string }; output: OcrResult };
  'spell.check': { input: { query: string }; output: SpellCheckResult };
  'search.suggest': { input: SuggestRequest; output: SuggestResponse };
  'history.list': { input: void; output: SearchHistoryEntry[] };
  'history.pin': { input: { query: string; pinned: boolean }; output: SearchHistoryEntry[] };
  'history.remove': { input: { query: string }; output: SearchHistoryEntry[] };
  /** Forgets recent searches (pinned ones too with `includingPinned`). */
  'history.clear': { input: { includingPinned?: boolean }; output: SearchHistoryEntry[] };
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
  'people.merge': { input: { into: number; from: number[] }; output: MergedPerson };
  /** Takes a merge back: returns the target and the people that come back, as they were before it. */
  'people.undoMerge': { input: { undoId: number }; output: PersonSummary[] };
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
  /** Copies the active model's vectors to a Qdrant server (its URL) or back to the embedded store ('embedded'). */
  'vectors.migrate': { input: { to: string }; output: VectorMigrationReport };
  /** Copies the whole catalog to a PostgreSQL database (its URL) or back to SQLite in the data dir ('sqlite'). */
  'catalog.migrate': { input: { to: string }; output: CatalogMigrationReport };
  'captions.status': { input: void; output: CaptionerStatus };
  'captions.describe': { input: DescribeRequest; output: DescribeResult };
  'captions.get': { input: { id: number }; output: PhotoCaption };
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
  /** `decision`: a person's own change (a name, a merge…), not clustering during an import. */
  | { type: 'people'; changed: number[]; decision?: boolean }
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
  /** Opens the native folder picker for one folder to export copies into; resolves to null when cancelled. */
  pickExportFolder(): Promise<string | null>;
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
