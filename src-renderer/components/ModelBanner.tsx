// One clear state for a missing search model, above every view: that search is unavailable and why, the model's
// size, a Download button with its progress (bytes, rate, time left), and how to install it by hand.
import { useEffect, useState } from 'react';
import { Download, WarningDiamond } from 'pixelarticons/react';
import { formatBytes, formatDuration } from '../format';
import { downloadPace, useEngine } from '../stores/engine';
import { useToasts } from '../stores/toasts';
import { ProgressBar } from './states';

function retryWhen(retryAt: string | null | undefined): string {
  if (!retryAt) return '';
  const seconds = Math.max(0, (new Date(retryAt).getTime() - Date.now()) / 1000);
  return ` Glimpse tries again in ${formatDuration(seconds)}.`;
}

export function ModelBanner() {
  const models = useEngine((state) => state.models);
  const samples = useEngine((state) => state.downloadSamples);
  const loadModels = useEngine((state) => state.loadModels);
  const downloadModel = useEngine((state) => state.downloadModel);
  const toast = useToasts((state) => state.push);
  const [asked, setAsked] = useState(false);

  useEffect(() => {
    void loadModels();
  }, [loadModels]);

  const model = models?.find((m) => m.active && m.role === 'embedding');
  if (!model || model.present) return null;
  const download = model.download;
  const size = model.sizeBytes !== null ? formatBytes(model.sizeBytes) : null;
  const pace = downloadPace(samples, download?.totalBytes ?? model.sizeBytes);
  const why = download
    ? 'It is being downloaded now.'
    : model.fetchError
      ? `The last download failed.${retryWhen(model.retryAt)}`
      : 'It has not been downloaded yet.';

  const start = async () => {
    setAsked(true);
    const error = await downloadModel(model.id);
    setAsked(false);
    if (error) toast('error', 'The model could not be downloaded: see Details in the banner');
  };

  return (
    <section className="model-banner" aria-label="Search unavailable" data-testid="model-banner">
      <WarningDiamond className="icon" aria-hidden="true" />
      <div className="model-banner-text">
        <strong>Search is unavailable</strong>
        <p>
          Finding photos by description needs the search model{size ? ` (${size})` : ''}, which is not on this computer. {why} Your
          photos are still browsable.
        </p>
        {download ? (
          <div className="model-progress">
            <ProgressBar label="Model download" done={download.receivedBytes} failed={0} total={download.totalBytes ?? model.sizeBytes ?? 0} busy />
            <span data-testid="model-download-stats">
              {formatBytes(download.receivedBytes)} of {formatBytes(download.totalBytes ?? model.sizeBytes)}
              {pace.rate > 0 ? ` · ${formatBytes(pace.rate)}/s · ${formatDuration(pace.etaSeconds)} left` : ''}
            </span>
          </div>
        ) : null}
        <details className="disclosure">
          <summary>Details and installing by hand</summary>
          {model.fetchError ? <p>{model.fetchError}</p> : null}
          {model.remedy ? <p>To install it by hand, {model.remedy}.</p> : null}
        </details>
      </div>
      {download ? null : (
        <button type="button" className="btn primary" disabled={asked} onClick={() => void start()}>
          <Download className="icon small" aria-hidden="true" />
          <span>Download{size ? ` (${size})` : ''}</span>
        </button>
      )}
    </section>
  );
}
