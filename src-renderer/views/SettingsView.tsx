// Settings: which models are present (or missing, with the exact command that fixes it), which device runs them,
// the ranking weights and temperature, indexing throttles, and where the library's data lives.
import { useEffect, useState } from 'react';
import { Cpu, Database, Download, Sliders } from 'pixelarticons/react';
import type { ModelInfo, RankingSettings } from '../../src-preload/api';
import { CaptionerPanel } from '../captions/CaptionerPanel';
import { SearchWordsSettings } from '../components/SearchWordsSettings';
import { percent } from '../components/ScoreBadge';
import { FaceSettings } from '../components/FaceSettings';
import { ErrorState, LoadingState } from '../components/states';
import { TextInPhotosSetting } from '../components/TextInPhotosSetting';
import { formatBytes } from '../format';
import { useEngine } from '../stores/engine';
import { useToasts } from '../stores/toasts';
import '../styles/settings.css';

function ModelRow({ model }: { model: ModelInfo }) {
  const downloadModel = useEngine((state) => state.downloadModel);
  const toast = useToasts((state) => state.push);
  const [busy, setBusy] = useState(false);
  const download = model.download;
  return (
    <div className="model" data-testid="model-row">
      <div className="head">
        <strong>{model.id}</strong>
        {model.present ? <span className="badge good">present</span> : download ? <span className="badge info">downloading</span> : <span className={`badge ${model.active ? 'bad' : ''}`}>missing</span>}
        {model.active ? <span className="badge accent">in use</span> : null}
      </div>
      <span className="mono muted">
        {model.dir} {model.sizeBytes !== null ? `· ${formatBytes(model.sizeBytes)}` : ''}
      </span>
      {download ? (
        <span className="muted">
          {formatBytes(download.receivedBytes)} of {formatBytes(download.totalBytes)}
        </span>
      ) : null}
      {!model.present && model.remedy ? <div className="error-detail">{model.remedy}</div> : null}
      {!model.present && !download ? (
        <div>
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              const error = await downloadModel(model.id);
              setBusy(false);
              if (error) toast('error', error.message);
            }}
          >
            <Download className="icon small" aria-hidden="true" /> Download
          </button>
        </div>
      ) : null}
    </div>
  );
}

function Slider({
  label,
  value,
  min,
  max,
  step,
  onChange,
  format = (v) => v.toFixed(2),
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange(value: number): void;
  format?: (value: number) => string;
}) {
  return (
    <label className="slider-row">
      <span>{label}</span>
      <input type="range" min={min} max={max} step={step} value={value} aria-label={label} onChange={(event) => onChange(Number(event.target.value))} />
      <output>{format(value)}</output>
    </label>
  );
}

function RankingPanel({ ranking }: { ranking: RankingSettings }) {
  const updateSettings = useEngine((state) => state.updateSettings);
  const toast = useToasts((state) => state.push);
  // Keyed by the saved ranking (see SettingsView), so a save or an outside change starts a fresh draft.
  const [draft, setDraft] = useState(ranking);
  const changed = JSON.stringify(draft) !== JSON.stringify(ranking);
  const set = (patch: Partial<RankingSettings>) => setDraft({ ...draft, ...patch });
  return (
    <section className="panel pad stack" aria-labelledby="ranking-title">
      <h2 id="ranking-title" className="row">
        <Sliders className="icon" aria-hidden="true" /> Ranking
      </h2>
      <p className="muted" style={{ margin: 0 }}>
        How much the whole photo counts against its best detail, how sharply scores separate good matches from weak ones,
        and below which match a photo is left out. Search’s own sliders start from these.
      </p>
      <Slider label="Whole photo" value={draft.globalWeight} min={0} max={1} step={0.05} format={percent} onChange={(v) => set({ globalWeight: v, localWeight: Number((1 - v).toFixed(2)) })} />
      <Slider label="Best detail" value={draft.localWeight} min={0} max={1} step={0.05} format={percent} onChange={(v) => set({ localWeight: v, globalWeight: Number((1 - v).toFixed(2)) })} />
      <Slider label="Sharpness" value={draft.temperature} min={0.2} max={4} step={0.05} onChange={(v) => set({ temperature: v })} />
      <Slider label="Cut-off" value={draft.cutoff} min={0} max={0.95} step={0.01} format={percent} onChange={(v) => set({ cutoff: v })} />
      <div className="row">
        <button
          type="button"
          className="btn primary"
          disabled={!changed}
          onClick={async () => {
            const error = await updateSettings({ ranking: draft });
            toast(error ? 'error' : 'info', error ? error.message : 'Ranking saved');
          }}
        >
          Save
        </button>
        <button type="button" className="btn" disabled={!changed} onClick={() => setDraft(ranking)}>
          Revert
        </button>
      </div>
    </section>
  );
}

export function SettingsView() {
  const { settings, models, doctor, settingsError, loadSettings, updateSettings, notices } = useEngine();
  const toast = useToasts((state) => state.push);
  useEffect(() => {
    void loadSettings();
  }, [loadSettings]);

  let body;
  if (!settings && settingsError) body = <ErrorState error={settingsError} actions={<button type="button" className="btn" onClick={() => void loadSettings()}>Try again</button>} />;
  else if (!settings) body = <LoadingState label="Asking the engine…" />;

  return (
    <section className="view" aria-labelledby="settings-title">
      <div className="view-header">
        <h2 id="settings-title" style={{ margin: 0 }}>Settings</h2>
        {doctor ? <span className="sub">Glimpse {doctor.version} · Node {doctor.node} · {doctor.platform}</span> : null}
      </div>
      {body ?? (
        <div className="scroll">
          <div className="settings-grid">
            <section className="panel pad" aria-labelledby="models-title">
              <h2 id="models-title" className="row">
                <Download className="icon" aria-hidden="true" /> Models
              </h2>
              {models?.length ? (
                <>
                  {models.filter((model) => model.active).map((model) => <ModelRow key={model.id} model={model} />)}
                  {models.some((model) => !model.active) ? (
                    <details className="disclosure">
                      <summary>Other models ({models.filter((model) => !model.active).length})</summary>
                      {models.filter((model) => !model.active).map((model) => <ModelRow key={model.id} model={model} />)}
                    </details>
                  ) : null}
                </>
              ) : (
                <p className="muted">No models registered.</p>
              )}
            </section>
            <section className="panel pad stack" aria-labelledby="device-title">
              <h2 id="device-title" className="row">
                <Cpu className="icon" aria-hidden="true" /> Device
              </h2>
              {doctor ? (
                <>
                  <dl className="kv">
                    <dt>Runs on</dt>
                    <dd>
                      <span className={`badge ${doctor.device === 'cuda' ? 'good' : ''}`}>{doctor.device === 'cuda' ? 'GPU (CUDA)' : 'CPU'}</span>
                    </dd>
                    <dt>Model</dt>
                    <dd className="mono">{settings!.model}</dd>
                  </dl>
                  <details className="disclosure">
                    <summary>Diagnostics (as `glimpse doctor` prints them)</summary>
                    <ul className="checks">
                      {doctor.checks.map((check) => (
                        <li key={check.name}>
                          <span className={`badge ${check.ok ? 'good' : 'bad'}`}>{check.ok ? 'ok' : 'fix'}</span>
                          <span>
                            <strong>{check.name}</strong> <span className="muted">{check.detail}</span>
                          </span>
                        </li>
                      ))}
                    </ul>
                    {notices.length ? (
                      <ul className="checks" aria-label="Engine notices">
                        {notices.map((notice) => (
                          <li key={notice.at + notice.message}>
                            <span className={`badge ${notice.level === 'error' ? 'bad' : notice.level === 'warn' ? 'warn' : ''}`}>{notice.level}</span>
                            <span className="muted">{notice.message}</span>
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </details>
                </>
              ) : (
                <p className="muted">The doctor's report is not available.</p>
              )}
            </section>
            <RankingPanel key={JSON.stringify(settings!.ranking)} ranking={settings!.ranking} />
            <CaptionerPanel />
            <TextInPhotosSetting settings={settings!} />
            <SearchWordsSettings words={settings!.words} />
            <section className="panel pad stack" aria-labelledby="data-title">
              <h2 id="data-title" className="row">
                <Database className="icon" aria-hidden="true" /> Library data
              </h2>
              <dl className="kv">
                <dt>Data folder</dt>
                <dd className="mono">{doctor?.dataDir ?? '—'}</dd>
                <dt>Models folder</dt>
                <dd className="mono">{doctor?.modelsDir ?? '—'}</dd>
                <dt>Catalog</dt>
                <dd>{doctor?.catalog ?? '—'}</dd>
                <dt>Vectors</dt>
                <dd>{doctor?.vectors ?? '—'}</dd>
              </dl>
              <label className="slider-row">
                <span>Photos at once</span>
                <input
                  type="range"
                  min={1}
                  max={16}
                  step={1}
                  value={settings!.indexing.concurrency}
                  onChange={async (event) => {
                    const error = await updateSettings({ indexing: { concurrency: Number(event.target.value) } });
                    if (error) toast('error', error.message);
                  }}
                />
                <output>{settings!.indexing.concurrency}</output>
              </label>
            </section>
            <FaceSettings settings={settings!} />
          </div>
        </div>
      )}
    </section>
  );
}
