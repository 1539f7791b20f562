// Which layout the Library's timeline uses — square tiles or justified rows at each photo's own shape — remembered
// in the window's storage across sessions, like the zoom level a person last chose.
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

export type GridLayout = 'square' | 'justified';

interface GridLayoutState {
  layout: GridLayout;
  setLayout(layout: GridLayout): void;
}

export const useGridLayout = create<GridLayoutState>()(
  persist((set) => ({ layout: 'square', setLayout: (layout) => set({ layout }) }), {
    name: 'glimpse.gridLayout',
    storage: createJSONStorage(() => localStorage),
    partialize: (state) => ({ layout: state.layout }),
  }),
);
