// The Library header's choice between square tiles and justified rows (photos at their own shape).
import { GalleryThumbnails, Grid3x3 } from 'pixelarticons/react';
import { useGridLayout, type GridLayout } from './grid-layout';
import '../styles/selection.css';

const CHOICES: Array<{ layout: GridLayout; label: string; Icon: typeof Grid3x3 }> = [
  { layout: 'square', label: 'Square tiles', Icon: Grid3x3 },
  { layout: 'justified', label: 'Photos at their shape', Icon: GalleryThumbnails },
];

export function LayoutToggle() {
  const layout = useGridLayout((state) => state.layout);
  const setLayout = useGridLayout((state) => state.setLayout);
  return (
    <div className="layout-toggle" role="group" aria-label="Grid layout">
      {CHOICES.map(({ layout: choice, label, Icon }) => (
        <button key={choice} type="button" className="btn icon-only" aria-label={label} title={label} aria-pressed={layout === choice} onClick={() => setLayout(choice)}>
          <Icon className="icon small" aria-hidden="true" />
        </button>
      ))}
    </div>
  );
}
