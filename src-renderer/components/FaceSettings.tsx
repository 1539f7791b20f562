// Settings → Faces and people: switch face recognition at import on or off, and forget every face, person and
// decision (privacy), after a confirmation that says what will be lost.
import { useState } from 'react';
import { Human } from 'pixelarticons/react';
import type { Settings } from '../../src-preload/api';
import { getClient } from '../client/client';
import { useEngine } from '../stores/engine';
import { useToasts } from '../stores/toasts';

export function FaceSettings({ settings }: { settings: Settings }) {
  const updateSettings = useEngine((state) => state.updateSettings);
  const loadSettings = useEngine((state) => state.loadSettings);
  const toast = useToasts((state) => state.push);
  const [confirming, setConfirming] = useState(false);
  const forget = async () => {
    setConfirming(false);
    const result = await getClient().invoke('people.forget', undefined);
    if (!result.ok) return toast('error', result.error.message);
    toast('info', `Forgot ${result.value.faces} faces and ${result.value.people} people; face recognition is off.`);
    await loadSettings();
  };
  return (
    <section className="panel pad stack" aria-labelledby="faces-title">
      <h2 id="faces-title" className="row">
        <Human className="icon" aria-hidden="true" /> Faces and people
      </h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={settings.faces.enabled}
          onChange={async (event) => {
            const error = await updateSettings({ faces: { enabled: event.target.checked } });
            if (error) toast('error', error.message);
          }}
        />{' '}
        Find faces in photos and group them into people (on this computer only)
      </label>
      {confirming ? (
        <div className="row" role="alertdialog" aria-label="Forget all face data?">
          <span>Every face, person, name and decision will be deleted, and face recognition switched off.</span>
          <button type="button" className="btn danger" onClick={() => void forget()}>
            Forget everything
          </button>
          <button type="button" className="btn" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </div>
      ) : (
        <button type="button" className="btn danger" onClick={() => setConfirming(true)}>
          Forget all face data…
        </button>
      )}
    </section>
  );
}
