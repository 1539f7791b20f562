// Empty, loading and error states share one look, so every view can say "nothing here yet", "working" or "this
// failed, and here is why and what to do" without inventing its own layout.
import type { ReactNode } from 'react';
import { WarningDiamond } from 'pixelarticons/react';
import type { ApiError } from '../../src-preload/api';

export function Spinner({ label }: { label: string }) {
  return (
    <span className="row" role="status">
      <span className="spinner" aria-hidden="true" />
      <span className="muted">{label}</span>
    </span>
  );
}

export function StateCard({
  icon,
  title,
  children,
  actions,
  tone = 'normal',
}: {
  icon: ReactNode;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  tone?: 'normal' | 'error';
}) {
  return (
    <div className="state">
      <div className={`state-card panel ${tone === 'error' ? 'error' : ''}`} role={tone === 'error' ? 'alert' : undefined}>
        {icon}
        <h2>{title}</h2>
        {children}
        {actions ? <div className="actions">{actions}</div> : null}
      </div>
    </div>
  );
}

export function LoadingState({ label }: { label: string }) {
  return (
    <div className="state">
      <Spinner label={label} />
    </div>
  );
}

const ERROR_TITLES: Partial<Record<ApiError['code'], string>> = {
  MODEL_MISSING: 'The search model is missing',
  MODEL_DOWNLOAD_FAILED: 'The model could not be downloaded',
  OFFLINE: 'Offline',
  BACKEND_UNAVAILABLE: 'The engine is not answering',
  NOT_FOUND: 'Not found',
  PERMISSION_DENIED: 'Permission denied',
};

export function ErrorState({ error, actions }: { error: ApiError; actions?: ReactNode }) {
  return (
    <StateCard
      tone="error"
      icon={<WarningDiamond className="icon" aria-hidden="true" />}
      title={ERROR_TITLES[error.code] ?? 'Something went wrong'}
      actions={actions}
    >
      <div className="error-detail">{error.message}</div>
      <span className="faint mono">{error.code}</span>
    </StateCard>
  );
}

export function ProgressBar({ done, failed, total, busy, label }: { done: number; failed: number; total: number; busy: boolean; label: string }) {
  const pct = (value: number) => (total > 0 ? Math.min(100, (value / total) * 100) : 0);
  return (
    <div
      className={`progress ${busy ? 'busy' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done + failed}
    >
      <div className="fill" style={{ width: `${pct(done)}%` }} />
      {failed > 0 ? <div className="fill failed" style={{ width: `${pct(failed)}%` }} /> : null}
    </div>
  );
}
