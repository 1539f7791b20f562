// The caption in the viewer's details: what the captioner wrote for this photo, with which model and prompt, or
// why there is none yet, and a button to describe it again. Mounted with key={photo id}: each photo starts fresh.
import { useEffect, useState } from 'react';
import type { PhotoCaption } from '../../src-preload/api';
import { getClient } from '../client/client';
import { useToasts } from '../stores/toasts';
import { useCaptions } from './captions-store';

export function PhotoCaptionPanel({ photoId }: { photoId: number }) {
  const [caption, setCaption] = useState<PhotoCaption | null>(null);
  const [asked, setAsked] = useState(false);
  const describe = useCaptions((state) => state.describe);
  const toast = useToasts((state) => state.push);
  useEffect(() => {
    let live = true;
    void getClient()
      .invoke('captions.get', { id: photoId })
      .then((result) => live && setCaption(result.ok ? result.value : null));
    return () => {
      live = false;
    };
  }, [photoId]);
  if (!caption) return null;
  const text =
    caption.caption === null
      ? caption.status === 'failed'
        ? `Could not be described: ${caption.error ?? 'unknown cause'}`
        : caption.status
          ? 'Waiting to be described…'
          : null
      : caption.caption === ''
        ? 'The captioner found nothing to say about this photo.'
        : `“${caption.caption}”`;
  return (
    <div className="stack photo-caption" data-testid="photo-caption">
      {text ? <p className={caption.caption ? 'caption' : 'muted'}>{text}</p> : null}
      {caption.model && caption.caption !== null ? (
        <span className="muted small-print">
          {caption.model}
          {caption.prompt ? ` · “${caption.prompt}”` : ''}
        </span>
      ) : null}
      <div>
        <button
          type="button"
          className="btn"
          disabled={asked}
          onClick={async () => {
            setAsked(true);
            const failure = await describe({ ids: [photoId] });
            if (failure) {
              setAsked(false);
              toast('error', failure.message);
            } else toast('info', 'This photo will be described again');
          }}
        >
          {caption.caption === null ? 'Describe' : 'Describe again'}
        </button>
      </div>
    </div>
  );
}
