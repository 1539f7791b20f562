// The captioner as the window sees it: its status (model present / downloading / missing, on or off, the prompt,
// progress and ETA), refreshed while indexing progresses, and the few actions a person takes on it.
import { create } from 'zustand';
import type { ApiError, CaptionSettings, CaptionerStatus, DescribeRequest } from '../../src-preload/api';
import { getClient } from '../client/client';

interface CaptionsState {
  status: CaptionerStatus | null;
  error: ApiError | null;
  load(): Promise<void>;
  /** Saves captioner settings (on/off, prompt); the engine re-captions when the prompt or model changes. */
  update(changes: Partial<CaptionSettings>): Promise<ApiError | null>;
  describe(request: DescribeRequest): Promise<ApiError | null>;
}

export const useCaptions = create<CaptionsState>((set, get) => ({
  status: null,
  error: null,
  async load() {
    const result = await getClient().invoke('captions.status', undefined);
    set(result.ok ? { status: result.value, error: null } : { error: result.error });
  },
  async update(changes) {
    // Shown at once (a checkbox must follow the click); the engine's answer replaces it, or a failure reloads it.
    const current = get().status;
    if (current) {
      const { enabled = current.enabled, prompt = current.prompt, model = current.model, splitImages = current.splitImages, threads = current.threads } = changes;
      set({ status: { ...current, enabled, prompt, model, splitImages, threads } });
    }
    const result = await getClient().invoke('settings.update', { captions: changes });
    await get().load();
    return result.ok ? null : result.error;
  },
  async describe(request) {
    const result = await getClient().invoke('captions.describe', request);
    if (!result.ok) return result.error;
    set({ status: result.value.status });
    return null;
  },
}));
