// The captioner in Settings: whether its model is present, downloading or missing (with the remedy and a Download
// button), captions on or off, and the prompt every photo is described with (a new prompt re-captions them).
import { useState } from 'react';
import { Download, Notes } from 'pixelarticons/react';
import { formatBytes } from '../format';
import { useEngine } from '../stores/engine';
import { useToasts } from '../stores/toasts';
import { useCaptions } from './captions-store';
import { useCaptionStatus } from './use-caption-status';

export function CaptionerPanel() {
  const status = useCaptionStatus();
  const { update, load, error } = useCaptions();
  const downloadModel = useEngine((state) => state.downloadModel);
  const captioners = (useEngine((state) => state.models) ?? []).filter((model) => model.role === 'caption');
  const toast = useToasts((state) => state.push);
  const [draft, setDraft] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!status) {
    return (
      <section className="panel pad stack" aria-labelledby="captioner-title">
        <h2 id="captioner-title" className="row">
          <Notes className="icon" aria-hidden="true" /> Captions
        </h2>
        <p className="muted">{error ? error.message : 'Asking the engine…'}</p>
      </section>
    );
  }
  const prompt = draft ?? status.prompt;
  const stateBadge = status.state === 'present' ? 'good' : status.state === 'downloading' ? 'info' : 'bad';
  return (
    <section className="panel pad stack" aria-labelledby="captioner-title" data-testid="captioner-panel">
      <h2 id="captioner-title" className="row">
        <Notes className="icon" aria-hidden="true" /> Captions
      </h2>
      <p className="muted" style={{ margin: 0 }}>
        A small vision-language model describes each photo in words, in the background after indexing. It takes seconds per
        photo on a CPU, so it is off until you turn it on.
      </p>
      <div className="row" style={{ flexWrap: 'wrap' }}>
        <strong className="mono">{status.model}</strong>
        <span className={`badge ${stateBadge}`}>{status.state}</span>
        {status.device ? <span className="badge">{status.device}</span> : null}
        {status.loaded ? <span className="badge accent">loaded</span> : null}
      </div>
      {status.download ? (
        <span className="muted">
          {formatBytes(status.download.receivedBytes)} of {formatBytes(status.download.totalBytes)}
        </span>
      ) : null}
      {status.state === 'missing' && status.remedy ? <div className="error-detail">{status.remedy}</div> : null}
      {status.state === 'missing' ? (
        <div>
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              const failure = await downloadModel(status.model);
              setBusy(false);
              await load();
              if (failure) toast('error', failure.message);
            }}
          >
            <Download className="icon small" aria-hidden="true" /> Download the captioner
          </button>
        </div>
      ) : null}
      <label className="row toggle">
        <input
          type="checkbox"
          checked={status.enabled}
          onChange={async (event) => {
            const failure = await update({ enabled: event.target.checked });
            if (failure) toast('error', failure.message);
          }}
        />
        <span>Describe every photo</span>
      </label>
      {captioners.length > 1 ? (
        <label className="stack">
          <span>Model</span>
          <select
            aria-label="Captioner model"
            value={status.model}
            onChange={async (event) => {
              const failure = await update({ model: event.target.value });
              if (failure) toast('error', failure.message);
            }}
          >
            {captioners.map((model) => (
              <option key={model.id} value={model.id}>
                {model.id}
                {model.present ? '' : ' (not downloaded)'}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="row toggle">
        <input
          type="checkbox"
          checked={status.splitImages}
          onChange={async (event) => {
            const failure = await update({ splitImages: event.target.checked });
            if (failure) toast('error', failure.message);
          }}
        />
        <span>Look at large photos tile by tile (more detail, many times slower)</span>
      </label>
      <label className="slider-row">
        <span>Captioner threads</span>
        <input
          type="range"
          min={1}
          max={16}
          step={1}
          value={status.threads}
          onChange={async (event) => {
            const failure = await update({ threads: Number(event.target.value) });
            if (failure) toast('error', failure.message);
          }}
        />
        <output>{status.threads}</output>
      </label>
      <label className="stack">
        <span>Prompt</span>
        <textarea aria-label="Caption prompt" rows={2} maxLength={500} value={prompt} onChange={(event) => setDraft(event.target.value)} />
      </label>
      <div className="row">
        <button
          type="button"
          className="btn primary"
          disabled={draft === null || !draft.trim() || draft.trim() === status.prompt}
          onClick={async () => {
            const failure = await update({ prompt: prompt.trim() });
            if (failure) toast('error', failure.message);
            else {
              setDraft(null);
              toast('info', status.enabled ? 'Prompt saved: photos will be described again' : 'Prompt saved');
            }
          }}
        >
          Save prompt
        </button>
        <span className="muted">
          {status.enabled ? `${status.progress.done.toLocaleString()} / ${status.progress.total.toLocaleString()} photos described` : 'Captions are off'}
        </span>
      </div>
    </section>
  );
}
