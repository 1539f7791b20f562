// Settings: whether import reads the text printed in photos (OCR, a background pass of ~0.5–2 s per photo on a
// CPU), so signs, menus and receipts are found by their words. Switching it off stops the stage for new work.
import { Notes } from 'pixelarticons/react';
import type { Settings } from '../../src-preload/api';
import { useEngine } from '../stores/engine';
import { useToasts } from '../stores/toasts';

export function TextInPhotosSetting({ settings }: { settings: Settings }) {
  const updateSettings = useEngine((state) => state.updateSettings);
  const toast = useToasts((state) => state.push);
  const enabled = settings.ocr?.enabled ?? true;
  return (
    <section className="panel pad stack" aria-labelledby="ocr-title">
      <h2 id="ocr-title" className="row">
        <Notes className="icon" aria-hidden="true" /> Text in photos
      </h2>
      <p className="muted" style={{ margin: 0 }}>
        Reads signs, menus and receipts (PP-OCR, on this computer) so deep search finds photos by the words printed in them.
      </p>
      <label className="row">
        <input
          type="checkbox"
          checked={enabled}
          onChange={async (event) => {
            const error = await updateSettings({ ocr: { enabled: event.target.checked } });
            toast(error ? 'error' : 'info', error ? error.message : event.target.checked ? 'Reading text in photos' : 'No longer reading text in photos');
          }}
        />
        <span>Read text in photos</span>
      </label>
    </section>
  );
}
