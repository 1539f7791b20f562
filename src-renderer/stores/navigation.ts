// Which view is showing, what the viewer and the context menu are open on, and the pending delete confirmation:
// the UI state every view shares, separate from the data stores.
import { create } from 'zustand';
import type { PhotoSummary } from '../../src-preload/api';

export type View = 'library' | 'search' | 'similar' | 'people' | 'folders' | 'settings';

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
  show(view: View): void;
  openViewer(photos: PhotoSummary[], index: number): void;
  stepViewer(delta: number): void;
  closeViewer(): void;
  openContextMenu(menu: ContextMenuState): void;
  closeContextMenu(): void;
  askDelete(photos: PhotoSummary[]): void;
  cancelDelete(): void;
  focusSearch(): void;
  /** Drops removed photos from the viewer's list, keeping it open on a neighbour. */
  forgetPhotos(ids: number[]): void;
}

export const useNavigation = create<NavigationState>((set, get) => ({
  view: 'library',
  viewer: null,
  contextMenu: null,
  pendingDelete: null,
  searchFocusRequest: 0,
  show: (view) => set({ view, contextMenu: null }),
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
  forgetPhotos(ids) {
    const viewer = get().viewer;
    if (!viewer) return;
    const gone = new Set(ids);
    const photos = viewer.photos.filter((photo) => !gone.has(photo.id));
    if (photos.length === 0) return set({ viewer: null });
    set({ viewer: { photos, index: Math.min(viewer.index, photos.length - 1) } });
  },
}));
