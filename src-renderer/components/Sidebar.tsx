// The left rail: the views, and the indexing card that is always in sight while photos are being processed
// (done/total, rate, ETA, pause/resume).
import { Copy, Eye, Folder, Heart, Images, Pause, Play, Search, SettingsCog, Sparkles, Trash, Users } from 'pixelarticons/react';
import type { ReactNode } from 'react';
import { formatDuration, formatRate } from '../format';
import { useEngine } from '../stores/engine';
import { useLibrary } from '../stores/library';
import { useNavigation, type View } from '../stores/navigation';
import { useToasts } from '../stores/toasts';
import { PinnedSearches } from './PinnedSearches';
import { ProgressBar } from './states';

function NavItem({ view, icon, label, count }: { view: View; icon: ReactNode; label: string; count?: number }) {
  const current = useNavigation((state) => state.view);
  const show = useNavigation((state) => state.show);
  return (
    <button type="button" className="nav-item" aria-current={current === view ? 'page' : undefined} onClick={() => show(view)}>
      {icon}
      {label}
      {count !== undefined ? <span className="count">{count.toLocaleString()}</span> : null}
    </button>
  );
}

function IndexingCard() {
  const jobs = useEngine((state) => state.jobs);
  const setPaused = useEngine((state) => state.setPaused);
  if (!jobs) return null;
  const { overall, background, paused } = jobs;
  const busy = overall.pending > 0 || background.pending > 0;
  if (!busy && !paused && overall.failed === 0) {
    return (
      <div className="indexing-card panel" aria-label="Indexing status">
        <span className="row label">
          <Sparkles className="icon small" aria-hidden="true" /> All photos indexed
        </span>
      </div>
    );
  }
  const toggle = async () => {
    const error = await setPaused(!paused);
    if (error) useToasts.getState().push('error', error.message);
  };
  return (
    <div className="indexing-card panel" aria-label="Indexing status">
      <div className="row">
        <span className="label">{paused ? 'Paused' : busy ? 'Indexing' : 'Indexed'}</span>
        <button type="button" className="btn icon-only" onClick={() => void toggle()} aria-label={paused ? 'Resume indexing' : 'Pause indexing'}>
          {paused ? <Play className="icon small" aria-hidden="true" /> : <Pause className="icon small" aria-hidden="true" />}
        </button>
      </div>
      <ProgressBar label="Indexing progress" done={overall.done} failed={overall.failed} total={overall.total} busy={busy && !paused} />
      <div className="stats">
        {overall.done.toLocaleString()} / {overall.total.toLocaleString()}
        {overall.failed ? ` · ${overall.failed} failed` : ''} · {formatRate(overall.rate)} · ETA {formatDuration(overall.etaSeconds)}
      </div>
      {background.pending > 0 ? (
        <div className="stats">
          Detail pass {background.done.toLocaleString()} / {background.total.toLocaleString()}
        </div>
      ) : null}
    </div>
  );
}

export function Sidebar() {
  const total = useLibrary((state) => state.total);
  const folders = useEngine((state) => state.folders);
  return (
    <nav className="sidebar panel" aria-label="Views">
      <div className="brand">
        <Eye className="icon" aria-hidden="true" />
        <div>
          <h1>Glimpse</h1>
          <small>your photos, understood</small>
        </div>
      </div>
      <NavItem view="library" icon={<Images className="icon" aria-hidden="true" />} label="Library" count={total} />
      <NavItem view="favourites" icon={<Heart className="icon" aria-hidden="true" />} label="Favourites" />
      <NavItem view="search" icon={<Search className="icon" aria-hidden="true" />} label="Search" />
      <NavItem view="similar" icon={<Sparkles className="icon" aria-hidden="true" />} label="Similar" />
      <NavItem view="people" icon={<Users className="icon" aria-hidden="true" />} label="People" />
      <NavItem view="folders" icon={<Folder className="icon" aria-hidden="true" />} label="Folders" count={folders?.length} />
      <NavItem view="duplicates" icon={<Copy className="icon" aria-hidden="true" />} label="Duplicates" />
      <NavItem view="deleted" icon={<Trash className="icon" aria-hidden="true" />} label="Recently deleted" />
      <NavItem view="settings" icon={<SettingsCog className="icon" aria-hidden="true" />} label="Settings" />
      <PinnedSearches />
      <div className="spacer" />
      <IndexingCard />
    </nav>
  );
}
