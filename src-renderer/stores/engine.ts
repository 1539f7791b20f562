// What the engine reports about itself: folders, indexing progress (live from events), settings, models and the
// doctor's report. One store, because the sidebar, Folders and Settings all read from it.
import { create } from 'zustand';
import type { ApiError, DeepPartial, DoctorReport, FolderInfo, JobStatus, ModelInfo, Settings } from '../../src-preload/api';
import { getClient } from '../client/client';

/** Bytes received at a moment, to tell a download's rate and time left. */
export interface DownloadSample {
  at: number;
  bytes: number;
}

interface EngineState {
  folders: FolderInfo[] | null;
  /** Recent samples of the active model's download. */
  downloadSamples: DownloadSample[];
  /** Engine notices meant for the curious (device choice and the like): shown under Settings → Details, not as toasts. */
  notices: { level: 'info' | 'warn' | 'error'; message: string; at: string }[];
  loadModels(): Promise<void>;
  addNotice(level: 'info' | 'warn' | 'error', message: string): void;
  foldersError: ApiError | null;
  jobs: JobStatus | null;
  settings: Settings | null;
  models: ModelInfo[] | null;
  doctor: DoctorReport | null;
  settingsError: ApiError | null;
  loadFolders(): Promise<void>;
  loadJobs(): Promise<void>;
  loadSettings(): Promise<void>;
  setJobs(status: JobStatus): void;
  setFolders(folders: FolderInfo[]): void;
  setModel(model: ModelInfo): void;
  /** `confirm`: the person said yes to a folder the engine asked about (CONFIRMATION_REQUIRED). */
  addFolder(path: string, confirm?: boolean): Promise<ApiError | null>;
  removeFolder(id: number): Promise<ApiError | null>;
  rescanFolder(id: number): Promise<ApiError | null>;
  setPaused(paused: boolean): Promise<ApiError | null>;
  updateSettings(patch: DeepPartial<Settings>): Promise<ApiError | null>;
  downloadModel(id: string): Promise<ApiError | null>;
}

const SAMPLE_WINDOW_MS = 10_000;

/** Bytes per second over the recent samples, and seconds left at that rate (null while unknown). */
export function downloadPace(samples: DownloadSample[], totalBytes: number | null): { rate: number; etaSeconds: number | null } {
  if (samples.length < 2) return { rate: 0, etaSeconds: null };
  const first = samples[0];
  const last = samples[samples.length - 1];
  const seconds = (last.at - first.at) / 1000;
  const rate = seconds > 0 ? (last.bytes - first.bytes) / seconds : 0;
  const etaSeconds = rate > 0 && totalBytes !== null ? Math.max(0, (totalBytes - last.bytes) / rate) : null;
  return { rate, etaSeconds };
}

export const useEngine = create<EngineState>((set, get) => ({
  folders: null,
  downloadSamples: [],
  notices: [],
  async loadModels() {
    const result = await getClient().invoke('models.list', undefined);
    if (result.ok) set({ models: result.value });
  },
  addNotice(level, message) {
    set({ notices: [...get().notices.slice(-49), { level, message, at: new Date().toISOString() }] });
  },
  foldersError: null,
  jobs: null,
  settings: null,
  models: null,
  doctor: null,
  settingsError: null,

  async loadFolders() {
    const result = await getClient().invoke('folders.list', undefined);
    if (result.ok) set({ folders: result.value, foldersError: null });
    else set({ foldersError: result.error });
  },
  async loadJobs() {
    const result = await getClient().invoke('jobs.status', undefined);
    if (result.ok) set({ jobs: result.value });
  },
  async loadSettings() {
    const client = getClient();
    const [settings, models, doctor] = await Promise.all([
      client.invoke('settings.get', undefined),
      client.invoke('models.list', undefined),
      client.invoke('system.doctor', undefined),
    ]);
    const failed = [settings, models, doctor].find((result) => !result.ok);
    set({
      settings: settings.ok ? settings.value : get().settings,
      models: models.ok ? models.value : get().models,
      doctor: doctor.ok ? doctor.value : get().doctor,
      settingsError: failed && !failed.ok ? failed.error : null,
    });
  },
  setJobs: (jobs) => set({ jobs }),
  setFolders: (folders) => set({ folders }),
  setModel(model) {
    const models = get().models;
    if (models) set({ models: models.map((known) => (known.id === model.id ? model : known)) });
    if (model.active) {
      const now = Date.now();
      set({
        downloadSamples: model.download
          ? [...get().downloadSamples.filter((sample) => now - sample.at < SAMPLE_WINDOW_MS), { at: now, bytes: model.download.receivedBytes }]
          : [],
      });
    }
  },
  async addFolder(path, confirm) {
    const result = await getClient().invoke('folders.add', confirm ? { path, confirm } : { path });
    if (!result.ok) return result.error;
    await Promise.all([get().loadFolders(), get().loadJobs()]);
    return null;
  },
  async removeFolder(id) {
    const result = await getClient().invoke('folders.remove', { id });
    if (!result.ok) return result.error;
    await get().loadFolders();
    return null;
  },
  async rescanFolder(id) {
    const result = await getClient().invoke('folders.rescan', { id });
    if (!result.ok) return result.error;
    await Promise.all([get().loadFolders(), get().loadJobs()]);
    return null;
  },
  async setPaused(paused) {
    const result = await getClient().invoke(paused ? 'jobs.pause' : 'jobs.resume', undefined);
    if (!result.ok) return result.error;
    set({ jobs: result.value });
    return null;
  },
  async updateSettings(patch) {
    const result = await getClient().invoke('settings.update', patch);
    if (!result.ok) return result.error;
    set({ settings: result.value });
    return null;
  },
  async downloadModel(id) {
    const result = await getClient().invoke('models.download', { id });
    if (!result.ok) return result.error;
    get().setModel(result.value);
    return null;
  },
}));
