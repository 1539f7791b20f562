// Folders: what Glimpse watches, each with its live indexing progress (done / total / failed with the reasons, rate,
// ETA), and the controls to add, rescan or remove a folder and to pause or resume indexing.
import { useEffect, useRef, useState } from 'react';
import { Folder, FolderPlus, Pause, Play, Reload, Trash } from 'pixelarticons/react';
import type { FolderInfo, FolderProgress } from '../../src-preload/api';
import { CaptionProgress } from '../captions/CaptionProgress';
import { getClient } from '../client/client';
import { ConfirmFolderDialog, type FolderQuestion } from '../components/ConfirmFolderDialog';
import { FolderPathField } from '../components/FolderPathField';
import { ErrorState, LoadingState, ProgressBar, StateCard } from '../components/states';
import { formatDuration, formatRate } from '../format';
import { useEngine } from '../stores/engine';
import { useNavigation } from '../stores/navigation';
import { useToasts } from '../stores/toasts';

function FolderCard({ folder, progress }: { folder: FolderInfo; progress: FolderProgress | undefined }) {
  const { removeFolder, rescanFolder } = useEngine();
  const [confirming, setConfirming] = useState(false);
  const toast = useToasts((state) => state.push);
  const busy = Boolean(progress && progress.pending > 0);
  const done = progress ? progress.done : folder.ready;
  const total = progress ? progress.total : folder.total;
  const failed = progress ? progress.failed : folder.failed;
  const act = async (action: () => Promise<{ message: string } | null>, success: string) => {
    const error = await action();
    toast(error ? 'error' : 'info', error ? error.message : success);
  };
  return (
    <article className="folder panel" aria-label={folder.path} data-testid="folder-card">
      <Folder className="icon" aria-hidden="true" />
      <div>
        <div className="path">{folder.path}</div>
        <div className="counts">
          <span className="badge good">{folder.ready.toLocaleString()} ready</span>
          {folder.pending ? <span className="badge info">{folder.pending.toLocaleString()} pending</span> : null}
          {folder.failed ? <span className="badge bad">{folder.failed.toLocaleString()} failed</span> : null}
          {folder.duplicates ? <span className="badge">{folder.duplicates.toLocaleString()} duplicates</span> : null}
          {folder.managed ? <span className="badge accent">imported</span> : null}
        </div>
      </div>
      <div className="row">
        <button type="button" className="btn icon-only" aria-label={`Rescan ${folder.path}`} title="Rescan" onClick={() => void act(() => rescanFolder(folder.id), 'Rescanning')}>
          <Reload className="icon small" aria-hidden="true" />
        </button>
        {confirming ? (
          <>
            <button type="button" className="btn danger" onClick={() => void act(() => removeFolder(folder.id), `Removed ${folder.path}`)}>
              Remove
            </button>
            <button type="button" className="btn" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" className="btn icon-only" aria-label={`Remove ${folder.path}`} title="Remove from library (files stay on disk)" onClick={() => setConfirming(true)}>
            <Trash className="icon small" aria-hidden="true" />
          </button>
        )}
      </div>
      <div className="progress-line">
        <ProgressBar label={`Progress of ${folder.path}`} done={done} failed={failed} total={total} busy={busy} />
        <div className="meta" data-testid="folder-progress">
          <span>
            {done.toLocaleString()} / {total.toLocaleString()} done
          </span>
          {failed ? <span>{failed.toLocaleString()} failed</span> : null}
          {busy && progress ? (
            <>
              <span>{formatRate(progress.rate)}</span>
              <span>ETA {formatDuration(progress.etaSeconds)}</span>
            </>
          ) : (
            <span>{total > 0 && done + failed >= total ? 'Up to date' : ''}</span>
          )}
        </div>
      </div>
      {progress && progress.failures.length ? (
        <details className="failures">
          <summary>Why {progress.failures.length === 1 ? '1 photo' : `${progress.failures.length} photos`} failed</summary>
          <ul>
            {progress.failures.map((failure) => (
              <li key={failure.path}>
                <span className="mono">{failure.path}</span>
                <span>{failure.error}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </article>
  );
}

export function FoldersView() {
  const { folders, foldersError, jobs, loadFolders, loadJobs, addFolder, setPaused } = useEngine();
  const [path, setPath] = useState('');
  const [adding, setAdding] = useState(false);
  const [question, setQuestion] = useState<FolderQuestion | null>(null);
  const toast = useToasts((state) => state.push);
  const shell = getClient().shell;
  const pathRequest = useNavigation((state) => state.folderPathRequest);
  const pathInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void loadFolders();
    void loadJobs();
  }, [loadFolders, loadJobs]);

  useEffect(() => {
    if (pathRequest) pathInput.current?.focus();
  }, [pathRequest]);

  const add = async (folderPath: string, confirm = false) => {
    if (!folderPath.trim()) return;
    setAdding(true);
    const error = await addFolder(folderPath.trim(), confirm);
    setAdding(false);
    if (error?.code === 'CONFIRMATION_REQUIRED') setQuestion({ path: folderPath.trim(), message: error.message });
    else if (error) toast('error', error.message);
    else {
      toast('info', `Added ${folderPath.trim()}; indexing started`);
      setPath('');
    }
  };
  const browse = async () => {
    for (const folder of (await shell?.pickFolders()) ?? []) await add(folder);
  };

  let body;
  if (foldersError && !folders) body = <ErrorState error={foldersError} actions={<button type="button" className="btn" onClick={() => void loadFolders()}>Try again</button>} />;
  else if (!folders) body = <LoadingState label="Loading folders…" />;
  else if (folders.length === 0) {
    body = (
      <StateCard icon={<FolderPlus className="icon" aria-hidden="true" />} title="No folders yet">
        <p>Add a folder above{shell ? ' or drop one on the window' : ''}. Glimpse indexes the photos in it and keeps watching it for new ones.</p>
      </StateCard>
    );
  }

  const progressFor = (id: number) => jobs?.folders.find((progress) => progress.folderId === id);
  return (
    <section className="view" aria-labelledby="folders-title">
      <div className="view-header">
        <h2 id="folders-title" style={{ margin: 0 }}>Folders</h2>
        <span className="sub">
          {jobs ? `${jobs.overall.done.toLocaleString()} / ${jobs.overall.total.toLocaleString()} indexed` : ''}
          {jobs && jobs.overall.pending ? ` · ${formatRate(jobs.overall.rate)} · ETA ${formatDuration(jobs.overall.etaSeconds)}` : ''}
        </span>
        <div className="grow" />
        {jobs ? (
          <button type="button" className="btn" onClick={() => void setPaused(!jobs.paused).then((error) => error && toast('error', error.message))}>
            {jobs.paused ? <Play className="icon small" aria-hidden="true" /> : <Pause className="icon small" aria-hidden="true" />}
            {jobs.paused ? 'Resume indexing' : 'Pause indexing'}
          </button>
        ) : null}
      </div>
      <form
        className="add-folder panel"
        onSubmit={(event) => {
          event.preventDefault();
          void add(path);
        }}
      >
        <FolderPlus className="icon" aria-hidden="true" />
        <FolderPathField
          inputRef={pathInput}
          value={path}
          onChange={setPath}
          placeholder={shell ? 'Folder path, or Browse…' : 'Path of a folder on the computer running Glimpse, e.g. /home/you/Pictures'}
        />
        {shell ? (
          <button type="button" className="btn" onClick={() => void browse()}>
            Browse…
          </button>
        ) : null}
        <button type="submit" className="btn primary" disabled={!path.trim() || adding}>
          Add folder
        </button>
        {shell ? null : (
          <p className="add-folder-hint">
            Type a folder on the computer running Glimpse: its subfolders are offered as you type. In the desktop app, Browse… opens your
            system’s folder picker instead.
          </p>
        )}
      </form>
      <ConfirmFolderDialog
        question={question}
        onAnswer={(yes) => {
          const asked = question;
          setQuestion(null);
          if (yes && asked) void add(asked.path, true);
        }}
      />
      {body ?? (
        <div className="scroll">
          <CaptionProgress />
          <div className="folder-list">
            {folders!.map((folder) => (
              <FolderCard key={folder.id} folder={folder} progress={progressFor(folder.id)} />
            ))}
          </div>
        </div>
      )}
    </section>
  );
}
