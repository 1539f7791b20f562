// How well a photo matched, at a glance (the calibrated probability as a badge) and, on demand, why: the global and
// crop (local) similarities, their weighted blend and the calibrated probability.
import type { ScoreParts } from '../../src-preload/api';

export function percent(value: number): string {
  if (value >= 0.995) return '99%';
  if (value < 0.005) return '<1%';
  return `${Math.round(value * 100)}%`;
}

function tone(score: number): string {
  if (score >= 0.6) return 'good';
  if (score >= 0.25) return 'accent';
  return '';
}

export function ScoreBadge({ score }: { score: number }) {
  return (
    <span className={`badge score ${tone(score)}`} title={`Match probability ${percent(score)}`}>
      {percent(score)}
    </span>
  );
}

function Part({ label, value, scale = 1 }: { label: string; value: number | null; scale?: number }) {
  return (
    <>
      <span>{label}</span>
      <span className="bar" aria-hidden="true">
        <i style={{ width: `${value === null ? 0 : Math.max(0, Math.min(1, value / scale)) * 100}%` }} />
      </span>
      <span className="val">{value === null ? 'pending' : value.toFixed(3)}</span>
    </>
  );
}

export function ScoreBreakdown({ parts, globalOnly }: { parts: ScoreParts; globalOnly: boolean }) {
  return (
    <div className="breakdown" aria-label="Score breakdown">
      <Part label="Global" value={parts.global} />
      <Part label="Local" value={parts.local} />
      <Part label="Final" value={parts.final} />
      <Part label="Calibrated" value={parts.calibrated} />
      {globalOnly ? <span style={{ gridColumn: '1 / -1' }}>Crops not embedded yet: ranked on the whole photo only.</span> : null}
    </div>
  );
}
