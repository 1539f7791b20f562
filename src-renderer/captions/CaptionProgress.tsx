// The captioning line of the Folders view: how many photos have a caption from the current model and prompt,
// the time per photo and the ETA, shown once captions are on.
import { formatDuration } from '../format';
import { ProgressBar } from '../components/states';
import { useCaptionStatus } from './use-caption-status';

export function CaptionProgress() {
  const status = useCaptionStatus();
  if (!status?.enabled) return null;
  const { progress } = status;
  const busy = progress.pending > 0;
  return (
    <div className="panel pad caption-progress" data-testid="caption-progress">
      <div className="row">
        <strong>Captions</strong>
        <span className="muted mono">{status.model}</span>
        {status.state !== 'present' ? <span className={`badge ${status.state === 'missing' ? 'bad' : 'info'}`}>{status.state}</span> : null}
      </div>
      <ProgressBar label="Captioning progress" done={progress.done} failed={progress.failed} total={progress.total} busy={busy && status.state === 'present'} />
      <div className="meta">
        <span>
          {progress.done.toLocaleString()} / {progress.total.toLocaleString()} described
        </span>
        {progress.failed ? <span>{progress.failed.toLocaleString()} failed</span> : null}
        {status.msPerPhoto !== null ? <span>{(status.msPerPhoto / 1000).toFixed(2)} s per photo</span> : null}
        {busy ? <span>ETA {formatDuration(progress.etaSeconds)}</span> : <span>{progress.total > 0 ? 'Up to date' : ''}</span>}
      </div>
      {status.state === 'missing' && status.remedy ? <div className="error-detail">{status.remedy}</div> : null}
    </div>
  );
}
