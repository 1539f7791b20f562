// Which view is showing, what the viewer and the context menu are open on, and the pending delete confirmation:
// the UI state every view shares, separate from the data stores.
import { create } from 'zustand';
import type { PhotoSummary } from '../../src-preload/api';

export type View = 'library' | 'search' | 'similar' | 'people' | 'folders' | 'settings' | 'deleted' | 'duplicates' | 'favourites';

export interface ViewerState {
  photos: PhotoSummary[];
  index: number;
}

export interface ContextMenuState {
  x: number;
  y: number;
  photo: PhotoSummary;
  /** The list the photo was shown in, so "Open" keeps arrow-key navigation within it. */
  list: PhotoSummary[];
}

interface NavigationState {
  view: View;
  viewer: ViewerState | null;
  contextMenu: ContextMenuState | null;
  /** Photos waiting for the person to confirm their removal. */
  pendingDelete: PhotoSummary[] | null;
  searchFocusRequest: number;
  /** Bumped to put the cursor in the Folders view's path field (browser mode's "Add a folder"). */
  folderPathRequest: number;
  /** Index into the grid's tile sizes (small, medium, large). */
  gridZoom: 0 | 1 | 2;
  shortcutsOpen: boolean;
  show(view: View): void;
  zoomGrid(step: 1 | -1): void;
  setShortcutsOpen(open: boolean): void;
  openViewer(photos: PhotoSummary[], index: number): void;
  stepViewer(delta: number): void;
  closeViewer(): void;
  openContextMenu(menu: ContextMenuState): void;
  closeContextMenu(): void;
  askDelete(photos: PhotoSummary[]): void;
  cancelDelete(): void;
  focusSearch(): void;
  requestFolderPath(): void;
  /** Drops removed photos from the viewer's list, keeping it open on a neighbour. */
  forgetPhotos(ids: number[]): void;
}

export const useNavigation = create<NavigationState>((set, get) => ({
  view: 'library',
  viewer: null,
  contextMenu: null,
  pendingDelete: null,
  searchFocusRequest: 0,
  folderPathRequest: 0,
  gridZoom: 1,
  shortcutsOpen: false,
  show: (view) => set({ view, contextMenu: null }),
  zoomGrid: (step) => set({ gridZoom: Math.max(0, Math.min(2, get().gridZoom + step)) as 0 | 1 | 2 }),
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
  openViewer: (photos, index) => set({ viewer: { photos, index }, contextMenu: null }),
  stepViewer(delta) {
    const viewer = get().viewer;
    if (!viewer) return;
    const index = Math.min(viewer.photos.length - 1, Math.max(0, viewer.index + delta));
    set({ viewer: { ...viewer, index } });
  },
  closeViewer: () => set({ viewer: null }),
  openContextMenu: (contextMenu) => set({ contextMenu }),
  closeContextMenu: () => set({ contextMenu: null }),
  askDelete: (photos) => set({ pendingDelete: photos.length ? photos : null, contextMenu: null }),
  cancelDelete: () => set({ pendingDelete: null }),
  focusSearch: () => set({ view: 'search', searchFocusRequest: get().searchFocusRequest + 1 }),
  requestFolderPath: () => set({ view: 'folders', contextMenu: null, folderPathRequest: get().folderPathRequest + 1 }),
  forgetPhotos(ids) {
    const viewer = get().viewer;
    if (!viewer) return;
    const gone = new Set(ids);
    const photos = viewer.photos.filter((photo) => !gone.has(photo.id));
    if (photos.length === 0) return set({ viewer: null });
    set({ viewer: { photos, index: Math.min(viewer.index, photos.length - 1) } });
  },
}));
