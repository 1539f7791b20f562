// Face boxes over the viewer's photo, each with the person's name: click (or Enter on) a box to name the face,
// move it to someone else, or say it is not that person. Finds the photo's <img> beside it and follows its
// rendered size, so it keeps working however the viewer lays the picture out.
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { FaceInfo, PersonSummary, PhotoSummary, QuarterTurns } from '../../src-preload/api';
import { getClient } from '../client/client';
import { turnedBox, turnedSize } from '../viewer/rotation';
import { useToasts } from '../stores/toasts';

interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Where the picture's pixels are inside an object-fit: contain <img>, relative to `container`. */
function pictureFrame(img: HTMLImageElement, container: HTMLElement): Frame | null {
  if (!img.naturalWidth || !img.naturalHeight) return null;
  const box = img.getBoundingClientRect();
  const outer = container.getBoundingClientRect();
  const scale = Math.min(box.width / img.naturalWidth, box.height / img.naturalHeight);
  const width = img.naturalWidth * scale;
  const height = img.naturalHeight * scale;
  return { left: box.left - outer.left + (box.width - width) / 2, top: box.top - outer.top + (box.height - height) / 2, width, height };
}

function FaceEditor({ face, people, onDone, style }: { face: FaceInfo; people: PersonSummary[]; onDone(): void; style: React.CSSProperties }) {
  const [name, setName] = useState(face.personName ?? '');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const report = (message: string | null) => {
    if (message) useToasts.getState().push('error', message);
    onDone();
  };
  const save = async () => {
    const clean = name.trim();
    if (!clean || clean === face.personName) return onDone();
    const known = people.find((p) => p.name?.toLowerCase() === clean.toLowerCase());
    const result = await getClient().invoke('faces.assign', known ? { faceIds: [face.id], personId: known.id } : { faceIds: [face.id], name: clean });
    report(result.ok ? null : result.error.message);
  };
  const notThisPerson = async () => {
    if (face.personId === null) return onDone();
    const result = await getClient().invoke('people.reject', { id: face.personId, faceIds: [face.id] });
    report(result.ok ? null : result.error.message);
  };
  const keyDown = (event: KeyboardEvent) => {
    event.stopPropagation();
    if (event.key === 'Enter') void save();
    if (event.key === 'Escape') onDone();
  };
  return (
    <div className="face-editor" role="dialog" aria-label="Who is this?" style={style} onKeyDown={keyDown}>
      <input ref={input} className="name-input" list="face-editor-names" value={name} placeholder="Who is this?" aria-label="Name of this face" onChange={(e) => setName(e.target.value)} />
      <datalist id="face-editor-names">
        {people.filter((p) => p.name).map((p) => (
          <option key={p.id} value={p.name as string} />
        ))}
      </datalist>
      <div className="row">
        <button type="button" className="btn small primary" onClick={() => void save()}>
          Save
        </button>
        {face.personId !== null ? (
          <button type="button" className="btn small danger" onClick={() => void notThisPerson()}>
            Not {face.personName ?? 'this person'}
          </button>
        ) : null}
        <button type="button" className="btn small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** `turns`: how the person turned the photo; the boxes are stored upright and turned here with the picture. */
export function FaceBoxes({ photo, turns = 0 }: { photo: PhotoSummary; turns?: QuarterTurns }) {
  const ref = useRef<HTMLDivElement>(null);
  const [faces, setFaces] = useState<FaceInfo[]>([]);
  const [people, setPeople] = useState<PersonSummary[]>([]);
  const [frame, setFrame] = useState<Frame | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [shown, setShown] = useState(true);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let cancelled = false;
    void Promise.all([getClient().invoke('faces.ofPhoto', { photoId: photo.id }), getClient().invoke('people.list', {})]).then(([found, list]) => {
      if (cancelled) return;
      setFaces(found.ok ? found.value : []);
      setPeople(list.ok ? list.value.people : []);
    });
    const stop = getClient().subscribe((event) => {
      if (event.type === 'people') setVersion((v) => v + 1);
    });
    return () => {
      cancelled = true;
      stop();
    };
  }, [photo.id, version]);

  useLayoutEffect(() => {
    const container = ref.current?.parentElement;
    const img = container?.querySelector('img');
    if (!container || !img) return;
    const update = () => setFrame(pictureFrame(img, container));
    update();
    img.addEventListener('load', update);
    window.addEventListener('resize', update);
    // The details panel opening or closing resizes the picture without resizing the window.
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update);
    observer?.observe(img);
    observer?.observe(container);
    return () => {
      img.removeEventListener('load', update);
      window.removeEventListener('resize', update);
      observer?.disconnect();
    };
  }, [photo.id]);

  const done = () => {
    setEditing(null);
    setVersion((v) => v + 1);
  };
  const { width, height } = turnedSize(photo.width ?? 0, photo.height ?? 0, turns);
  return (
    <div ref={ref} className="face-boxes" data-testid="face-boxes">
      {frame && width && height && shown
        ? faces.map((face) => {
            const [x, y, w, h] = turnedBox(face.box, photo.width ?? 0, photo.height ?? 0, turns);
            const style = {
              left: frame.left + (x / width) * frame.width,
              top: frame.top + (y / height) * frame.height,
              width: (w / width) * frame.width,
              height: (h / height) * frame.height,
            };
            const label = face.personName ?? 'Who is this?';
            return (
              <div key={face.id}>
                <button
                  type="button"
                  className={`face-box${face.personName ? '' : ' unknown'}`}
                  style={style}
                  aria-label={`Face: ${label}`}
                  onClick={() => setEditing(face.id)}
                >
                  <span className="face-label">{label}</span>
                </button>
                {editing === face.id ? (
                  <FaceEditor face={face} people={people} onDone={done} style={{ left: style.left, top: style.top + style.height + 24 }} />
                ) : null}
              </div>
            );
          })
        : null}
      {faces.length ? (
        <button type="button" className="btn small face-toggle" aria-pressed={shown} onClick={() => setShown(!shown)}>
          {shown ? 'Hide faces' : `Show ${faces.length} face${faces.length === 1 ? '' : 's'}`}
        </button>
      ) : null}
    </div>
  );
}
