// What a person does to the selected photos: ♥ or un-♥ them, export copies, delete; shown while anything is selected.
import { Close, Download, Heart, Minus, Trash } from 'pixelarticons/react';
import type { PhotoSummary } from '../../src-preload/api';
import { plural } from '../actions/photo-actions';
import { startExport } from '../export/export-photos';
import { useNavigation } from '../stores/navigation';
import { favouriteSelection } from './batch-favourite';

export function SelectionBar({ count, selectedPhotos, onClear }: { count: number; selectedPhotos(): PhotoSummary[]; onClear(): void }) {
  const askDelete = useNavigation((state) => state.askDelete);
  if (count === 0) return null;
  const favourite = (value: boolean) => void favouriteSelection(selectedPhotos(), value).then((done) => done && onClear());
  return (
    <div className="selection-bar panel" role="toolbar" aria-label="Selection">
      <span className="label">{plural(count, 'photo')} selected</span>
      <button type="button" className="btn" onClick={() => favourite(true)}>
        <Heart className="icon small" aria-hidden="true" /> Favourite
      </button>
      <button type="button" className="btn" onClick={() => favourite(false)}>
        <Minus className="icon small" aria-hidden="true" /> Unfavourite
      </button>
      <button type="button" className="btn" onClick={() => void startExport(selectedPhotos())}>
        <Download className="icon small" aria-hidden="true" /> Export a copy…
      </button>
      <button type="button" className="btn danger" onClick={() => askDelete(selectedPhotos())}>
        <Trash className="icon small" aria-hidden="true" /> Delete
      </button>
      <button type="button" className="btn ghost icon-only" aria-label="Clear selection" onClick={onClear}>
        <Close className="icon small" aria-hidden="true" />
      </button>
    </div>
  );
}
