// The window: sidebar, search bar, the current view, and the overlays (viewer, context menu, delete dialog, toasts,
// drop target). Connects the engine's events and the shortcuts once.
import { useEffect, useRef, useState, type ComponentType } from 'react';
import { DragAndDrop } from 'pixelarticons/react';
import { entriesOf, importDropped } from './actions/drop-import';
import { getClient } from './client/client';
import { connectEngineEvents } from './client/engine-events';
import { ContextMenu } from './components/ContextMenu';
import { DeleteDialog } from './components/DeleteDialog';
import { ExportDialog } from './export/ExportDialog';
import { ModelBanner } from './components/ModelBanner';
import { ShortcutHelp } from './components/ShortcutHelp';
import { Sidebar } from './components/Sidebar';
import { StateCard } from './components/states';
import { Toasts } from './components/Toasts';
import { TopBar } from './components/TopBar';
import { installShortcuts } from './shortcuts';
import { useEngine } from './stores/engine';
import { useLibrary } from './stores/library';
import { useNavigation, type View } from './stores/navigation';
import { followRotations } from './stores/rotations';
import { DeletedView } from './views/DeletedView';
import { DuplicatesView } from './views/DuplicatesView';
import { FavouritesView } from './views/FavouritesView';
import { FoldersView } from './views/FoldersView';
import { LibraryView } from './views/LibraryView';
import { PeopleView } from './views/PeopleView';
import { SearchView } from './views/SearchView';
import { SettingsView } from './views/SettingsView';
import { SimilarView } from './views/SimilarView';
import { Viewer } from './views/Viewer';

const VIEWS = {
  library: LibraryView,
  search: SearchView,
  similar: SimilarView,
  people: PeopleView,
  folders: FoldersView,
  settings: SettingsView,
  deleted: DeletedView,
  duplicates: DuplicatesView,
  favourites: FavouritesView,
};

/** Views stay mounted once shown (hidden when another shows), so going back keeps the scroll and never re-fetches. */
function useVisitedViews(view: View): Set<View> {
  const [visited, setVisited] = useState<Set<View>>(() => new Set([view]));
  if (!visited.has(view)) setVisited(new Set([...visited, view]));
  return visited;
}

function useFileDrop(): boolean {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  useEffect(() => {
    const carriesFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');
    const enter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth.current++;
      setOver(true);
    };
    const leave = () => {
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    };
    const overHandler = (event: DragEvent) => {
      if (carriesFiles(event)) event.preventDefault();
    };
    const drop = (event: DragEvent) => {
      if (!carriesFiles(event) || !event.dataTransfer) return;
      event.preventDefault();
      depth.current = 0;
      setOver(false);
      void importDropped(getClient(), entriesOf(event.dataTransfer));
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overHandler);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overHandler);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return over;
}

export function App() {
  const view = useNavigation((state) => state.view);
  const dropping = useFileDrop();
  const visited = useVisitedViews(view);

  useEffect(() => {
    const stopEvents = connectEngineEvents(getClient());
    const stopShortcuts = installShortcuts(window);
    const stopRotations = followRotations(getClient());
    void useLibrary.getState().reload();
    void useEngine.getState().loadFolders();
    void useEngine.getState().loadJobs();
    return () => {
      stopEvents();
      stopShortcuts();
      stopRotations();
    };
  }, []);

  return (
    <div className="app">
      <Sidebar />
      <TopBar />
      <main className="main panel" data-view={view}>
        <ModelBanner />
        {(Object.entries(VIEWS) as [View, ComponentType][])
          .filter(([name]) => visited.has(name))
          .map(([name, Current]) => (
            <div key={name} className="view-slot" hidden={name !== view} inert={name !== view}>
              <Current />
            </div>
          ))}
      </main>
      <Viewer />
      <ShortcutHelp />
      <ContextMenu />
      <DeleteDialog />
      <ExportDialog />
      <Toasts />
      {dropping ? (
        <div className="drop-overlay" aria-hidden="true">
          <StateCard icon={<DragAndDrop className="icon" />} title="Drop to import">
            <p>{getClient().shell ? 'Photos are imported; folders are added and watched.' : 'Photos (and the photos inside folders) are uploaded and imported.'}</p>
          </StateCard>
        </div>
      ) : null}
    </div>
  );
}
