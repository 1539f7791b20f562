// @vitest-environment jsdom
// The captioner in Settings as a person sees it when its model is missing: the model, the exact remedy and a
// Download button that fetches it, and the on/off switch saving `captions.enabled`.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaptionerStatus } from '../../src-preload/api';
import { CaptionerPanel } from '../../src-renderer/captions/CaptionerPanel';
import { useCaptions } from '../../src-renderer/captions/captions-store';
import { setClient } from '../../src-renderer/client/client';
import { scriptedClient } from '../renderer/scripted-client';

afterEach(() => {
  cleanup();
  useCaptions.setState({ status: null, error: null });
});

const missing: CaptionerStatus = {
  enabled: false,
  model: 'HuggingFaceTB/SmolVLM-256M-Instruct',
  prompt: 'Describe this photo in one sentence.',
  state: 'missing',
  remedy: 'run `glimpse models download HuggingFaceTB/SmolVLM-256M-Instruct` while online, or copy the files into /data/models/HuggingFaceTB/SmolVLM-256M-Instruct',
  download: null,
  dir: '/data/models/HuggingFaceTB/SmolVLM-256M-Instruct',
  device: null,
  loaded: false,
  splitImages: false,
  threads: 1,
  progress: { total: 0, done: 0, failed: 0, pending: 0, rate: 0, etaSeconds: null },
  msPerPhoto: null,
};

describe('the captioner in Settings', () => {
  it('names the missing model with its remedy, downloads it on request and turns captions on', async () => {
    let status = missing;
    const client = scriptedClient({
      'captions.status': () => ({ ok: true, value: status }),
      'models.download': () => {
        status = { ...status, state: 'present', remedy: null, device: 'cpu' };
        return { ok: true, value: { id: status.model, role: 'caption', present: true, active: true, dir: status.dir, sizeBytes: null, device: 'cpu', remedy: null, download: null } };
      },
      'settings.update': (input: { captions: { enabled: boolean } }) => {
        status = { ...status, enabled: input.captions.enabled };
        return { ok: true, value: {} as never };
      },
      'models.list': () => ({ ok: true, value: [] }),
    });
    setClient(client);
    render(<CaptionerPanel />);
    const panel = await screen.findByTestId('captioner-panel');
    expect(panel.textContent).toContain('HuggingFaceTB/SmolVLM-256M-Instruct');
    expect(panel.textContent).toContain('missing');
    expect(panel.textContent).toContain('run `glimpse models download HuggingFaceTB/SmolVLM-256M-Instruct` while online');
    expect(panel.textContent).toContain('Captions are off');

    fireEvent.click(screen.getByRole('button', { name: /Download the captioner/ }));
    await waitFor(() => expect(screen.getByTestId('captioner-panel').textContent).toContain('present'));
    expect(client.calls.find((c) => c.operation === 'models.download')?.input).toEqual({ id: 'HuggingFaceTB/SmolVLM-256M-Instruct' });

    fireEvent.click(screen.getByRole('checkbox', { name: 'Describe every photo' }));
    await waitFor(() => expect((screen.getByRole('checkbox', { name: 'Describe every photo' }) as HTMLInputElement).checked).toBe(true));
    expect(client.calls.find((c) => c.operation === 'settings.update')?.input).toEqual({ captions: { enabled: true } });
  });
});
