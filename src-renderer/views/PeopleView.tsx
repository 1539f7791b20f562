// People: everyone Glimpse found, named people first, then unnamed groups with "Is this …?" when they resemble
// someone named; open a person to rename it inline, confirm or reject suggestions, split off or reject faces,
// choose its cover, hide it, and see its photos. Merge by dragging one person onto another (or Move → Drop here from
// the keyboard) or by selecting several, with Undo. All keyboard reachable.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Check, Close, DragAndDrop, EyeOff, GitMerge, Human, Users } from 'pixelarticons/react';
import { shallow } from 'zustand/shallow';
import { useShallow } from 'zustand/react/shallow';
import type { FaceInfo, PersonSummary } from '../../src-preload/api';
import { plural } from '../actions/photo-actions';
import { getClient } from '../client/client';
import { MergePeopleDialog } from '../components/MergePeopleDialog';
import { fileName } from '../components/PhotoTile';
import { ErrorState, Spinner, StateCard } from '../components/states';
import { useNavigation } from '../stores/navigation';
import { usePeople } from '../stores/people';
import { shownImageUrl, useRotations } from '../stores/rotations';
import { displayName, usePeopleMerge } from '../stores/people-merge';
import '../styles/people.css';

/** People shown per section before "Show more": a library with hundreds of people stays quick to open and to scroll. */
export const PEOPLE_PAGE = 60;

function FaceImage({ face, size = 'normal' }: { face: FaceInfo | null; size?: 'normal' | 'large' }) {
  if (!face?.thumbnail) return <span className={`face-img placeholder ${size}`} aria-hidden="true"><Human className="icon" /></span>;
  return <img className={`face-img ${size}`} src={face.thumbnail} alt="" draggable={false} />;
}

function findPerson(id: number | null): PersonSummary | undefined {
  return usePeople.getState().list?.people.find((p) => p.id === id);
}

/** The card's button that moves it onto another person: pick up, drop here, or put back. */
function MoveHandle({ person, tabIndex }: { person: PersonSummary; tabIndex: number }) {
  const { carrying, carriedBy, pickUp, cancel, hover, request } = usePeopleMerge();
  const name = displayName(person);
  const carried = findPerson(carrying);
  // A mouse drag shows its target on the cards themselves; the buttons change only for a pick-up by key or click.
  if (carrying === null || !carried || carriedBy !== 'keyboard') {
    return (
      <button type="button" className="btn small person-move" data-control="move" tabIndex={tabIndex} aria-label={`Move ${name} onto another person to merge them`} onClick={() => pickUp(person.id, 'keyboard')}>
        <DragAndDrop className="icon small" aria-hidden="true" /> Move
      </button>
    );
  }
  if (carrying === person.id) {
    return (
      <button type="button" className="btn small person-move carrying" data-control="move" tabIndex={tabIndex} aria-label={`Put ${name} back`} onClick={cancel}>
        <Close className="icon small" aria-hidden="true" /> Put back
      </button>
    );
  }
  return (
    <button
      type="button"
      className="btn small good person-move"
      data-control="move"
      tabIndex={tabIndex}
      aria-label={`Merge ${displayName(carried)} into ${name}`}
      onFocus={() => hover(person.id)}
      onBlur={() => hover(null)}
      onClick={() => void request(person, [carried])}
    >
      <GitMerge className="icon small" aria-hidden="true" /> Drop here
    </button>
  );
}

function PersonCard({ person, tabbable }: { person: PersonSummary; tabbable: boolean }) {
  const { selectedPeople, togglePerson, openPerson, open } = usePeople();
  const { carrying, dropTarget, pickUp, hover, cancel, request } = usePeopleMerge();
  const selected = selectedPeople.includes(person.id);
  const current = open?.person.id === person.id;
  const tabIndex = tabbable ? 0 : -1;
  const carried = carrying === person.id;
  const target = dropTarget === person.id && carrying !== null;
  const classes = ['person-card', 'panel', selected && 'selected', current && 'current', carried && 'carried', target && 'drop-target'].filter(Boolean).join(' ');
  return (
    <div
      className={classes}
      data-testid="person-card"
      data-person={person.id}
      draggable
      onDragStart={(event) => {
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData('text/plain', displayName(person));
        pickUp(person.id, 'mouse');
      }}
      onDragEnd={() => usePeopleMerge.getState().carriedBy === 'mouse' && cancel()}
      onDragOver={(event) => {
        if (carrying === null || carrying === person.id) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        hover(person.id);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null) && dropTarget === person.id) hover(null);
      }}
      onDrop={(event) => {
        event.preventDefault();
        const from = findPerson(carrying);
        if (from && from.id !== person.id) void request(person, [from]);
        else cancel();
      }}
    >
      {target ? (
        <span className="drop-label" aria-hidden="true">
          Merge into {displayName(person)}
        </span>
      ) : null}
      <button type="button" className="person-open" data-control="open" tabIndex={tabIndex} onClick={() => void openPerson(person.id)} aria-label={`Open ${displayName(person)}`} aria-pressed={current}>
        <FaceImage face={person.cover} />
        <span className="person-name">{displayName(person)}</span>
        <span className="muted small">
          {plural(person.faceCount, 'face')} · {plural(person.photoCount, 'photo')}
          {person.hidden ? ' · hidden' : ''}
        </span>
      </button>
      <div className="person-actions">
        <label className="person-select">
          <input type="checkbox" data-control="select" tabIndex={tabIndex} checked={selected} onChange={() => togglePerson(person.id)} aria-label={`Select ${displayName(person)} to merge`} />
          <span>select</span>
        </label>
        <MoveHandle person={person} tabIndex={tabIndex} />
      </div>
      {person.name === null && person.lookalike ? (
        <div className="lookalike" role="group" aria-label={`Is this ${person.lookalike.name}?`}>
          <span>Is this {person.lookalike.name}?</span>
          <button
            type="button"
            className="btn small good"
            tabIndex={tabIndex}
            aria-label={`Yes, this is ${person.lookalike.name}`}
            onClick={() => {
              const named = findPerson(person.lookalike!.personId);
              if (named) void request(named, [person]);
            }}
          >
            <Check className="icon small" aria-hidden="true" /> Yes
          </button>
          <button
            type="button"
            className="btn small"
            tabIndex={tabIndex}
            aria-label={`No, this is not ${person.lookalike.name}`}
            onClick={() => void rejectGroup(person, person.lookalike!.personId)}
          >
            <Close className="icon small" aria-hidden="true" /> No
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** How many cards one row of the grid holds, as laid out now. */
function columnsOf(grid: HTMLElement): number {
  return Math.max(1, getComputedStyle(grid).gridTemplateColumns.split(' ').filter(Boolean).length);
}

/**
 * One section of people cards, shown a page at a time. Only one card's controls are in the Tab order (arrow keys,
 * Home and End move between cards), so a hundred people cost one Tab stop per section, not three hundred.
 */
function PeopleGrid({ people, testId, label }: { people: PersonSummary[]; testId: string; label: string }) {
  const [shown, setShown] = useState(PEOPLE_PAGE);
  const [active, setActive] = useState(0);
  const grid = useRef<HTMLDivElement>(null);
  const visible = people.slice(0, shown);
  const current = Math.min(active, Math.max(0, visible.length - 1));

  const keyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const control = (event.target as HTMLElement).closest<HTMLElement>('[data-control]')?.dataset.control;
    if (!control || !grid.current) return;
    const columns = columnsOf(grid.current);
    const moves: Record<string, number> = { ArrowRight: current + 1, ArrowLeft: current - 1, ArrowDown: current + columns, ArrowUp: current - columns, Home: 0, End: visible.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = Math.min(visible.length - 1, Math.max(0, moves[event.key]));
    setActive(next);
    grid.current.querySelectorAll<HTMLElement>('[data-testid="person-card"]')[next]?.querySelector<HTMLElement>(`[data-control="${control}"]`)?.focus();
  };

  return (
    <>
      <div className="people-grid" data-testid={testId} role="group" aria-label={`${label}: arrow keys move between people`} ref={grid} onKeyDown={keyDown}>
        {visible.map((person, index) => (
          <div key={person.id} className="person-slot" onFocus={() => index !== current && setActive(index)}>
            <PersonCard person={person} tabbable={index === current} />
          </div>
        ))}
      </div>
      {people.length > shown ? (
        <button type="button" className="btn show-more" onClick={() => setShown(shown + PEOPLE_PAGE)}>
          Show {Math.min(PEOPLE_PAGE, people.length - shown)} more of {people.length}
        </button>
      ) : null}
    </>
  );
}

/** "No, not Alice" for a whole group: its faces are rejected from Alice, so the question is not asked again. */
async function rejectGroup(group: PersonSummary, from: number) {
  const details = await getClient().invoke('people.get', { id: group.id });
  if (!details.ok) return;
  await usePeople.getState().act('people.reject', { id: from, faceIds: details.value.faces.map((f) => f.id) });
}

function NameEditor({ person }: { person: PersonSummary }) {
  const act = usePeople((s) => s.act);
  const [draft, setDraft] = useState(person.name ?? '');
  const save = () => {
    const name = draft.trim();
    if (name === (person.name ?? '')) return;
    void act('people.rename', { id: person.id, name: name || null });
  };
  const keyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') save();
    if (event.key === 'Escape') setDraft(person.name ?? '');
  };
  return (
    <input
      className="name-input"
      value={draft}
      placeholder="Add a name"
      aria-label="Person's name"
      onChange={(event) => setDraft(event.target.value)}
      onKeyDown={keyDown}
      onBlur={save}
    />
  );
}

function FaceTile({ face, selected, onToggle }: { face: FaceInfo; selected: boolean; onToggle(): void }) {
  return (
    <button type="button" className={`face-tile${selected ? ' selected' : ''}`} aria-pressed={selected} aria-label={`Face in ${fileName(face.photo)}`} onClick={onToggle} title={fileName(face.photo)}>
      <FaceImage face={face} />
      {face.pinned ? <span className="pin" title="Confirmed by you" aria-hidden="true" /> : null}
    </button>
  );
}

/** Faces seen once, in no group yet: open one's photo to name it from its face box. */
function UnassignedFaces({ count }: { count: number }) {
  const [faces, setFaces] = useState<FaceInfo[]>([]);
  const openViewer = useNavigation((s) => s.openViewer);
  // The engine turns face pictures with their photo: a turn asks for them again.
  const turns = useRotations(useShallow((s) => s.turns));
  useEffect(() => {
    void getClient()
      .invoke('faces.unassigned', { limit: 60 })
      .then((result) => setFaces(result.ok ? result.value : []));
  }, [count, turns]);
  const open = async (face: FaceInfo) => {
    const photo = await getClient().invoke('photos.get', { id: face.photoId });
    if (photo.ok) openViewer([photo.value], 0);
  };
  return (
    <>
      <h3 className="section-title">Not yet anyone</h3>
      <div className="face-grid" data-testid="unassigned-faces">
        {faces.map((face) => (
          <button key={face.id} type="button" className="face-tile" aria-label={`Name the face in ${fileName(face.photo)}`} title={fileName(face.photo)} onClick={() => void open(face)}>
            <FaceImage face={face} />
          </button>
        ))}
      </div>
    </>
  );
}

function PersonPanel() {
  const { open, suggestions, selectedFaces, toggleFace, act, openPerson } = usePeople();
  const openViewer = useNavigation((s) => s.openViewer);
  if (!open) return null;
  const { person, faces, photos } = open;
  const name = displayName(person);
  const chosen = selectedFaces.length;
  const confirm = (ids: number[]) => act('faces.assign', { faceIds: ids, personId: person.id }, `${plural(ids.length, 'face')} added to ${name}`);
  const reject = (ids: number[]) => act('people.reject', { id: person.id, faceIds: ids });
  return (
    <aside className="person-panel panel" aria-label={`Person: ${name}`} data-testid="person-panel">
      <div className="row">
        <FaceImage face={person.cover} size="large" />
        <div className="stack grow">
          <NameEditor key={`${person.id}:${person.name ?? ''}`} person={person} />
          <span className="muted small">
            {plural(person.faceCount, 'face')} in {plural(person.photoCount, 'photo')}
          </span>
        </div>
      </div>
      <div className="row">
        <button type="button" className="btn" onClick={() => void act('people.hide', { id: person.id, hidden: !person.hidden }, person.hidden ? `${name} is shown again` : `${name} is hidden`)}>
          <EyeOff className="icon small" aria-hidden="true" /> {person.hidden ? 'Unhide' : 'Hide'}
        </button>
        <button type="button" className="btn icon-only" aria-label="Close person" onClick={() => void openPerson(null)}>
          <Close className="icon small" aria-hidden="true" />
        </button>
      </div>

      <div className="row wrap" role="toolbar" aria-label="Chosen faces">
        <span className="muted small">{chosen ? `${plural(chosen, 'face')} chosen` : 'Choose faces to split them off or say they are not this person'}</span>
        <button type="button" className="btn small" disabled={!chosen} onClick={() => void act('people.split', { id: person.id, faceIds: selectedFaces }, 'Split into a new person')}>
          Split off
        </button>
        <button type="button" className="btn small danger" disabled={!chosen} onClick={() => void reject(selectedFaces)}>
          Not {name}
        </button>
        <button type="button" className="btn small" disabled={chosen !== 1} onClick={() => void act('people.setCover', { id: person.id, faceId: selectedFaces[0] })}>
          Make cover
        </button>
      </div>
      <div className="face-grid" data-testid="person-faces">
        {faces.map((face) => (
          <FaceTile key={face.id} face={face} selected={selectedFaces.includes(face.id)} onToggle={() => toggleFace(face.id)} />
        ))}
      </div>

      {suggestions.length ? (
        <section className="stack" aria-label={`Is this ${name}?`} data-testid="suggestions">
          <h3>Is this {name}?</h3>
          <div className="row wrap">
            <button type="button" className="btn small good" onClick={() => void confirm(suggestions.map((s) => s.face.id))}>
              Yes to all
            </button>
            <button type="button" className="btn small" onClick={() => void reject(suggestions.map((s) => s.face.id))}>
              No to all
            </button>
          </div>
          <div className="face-grid">
            {suggestions.map(({ face, similarity }) => (
              <div key={face.id} className="suggestion">
                <FaceImage face={face} />
                <span className="muted small">{Math.round(similarity * 100)}%</span>
                <div className="row">
                  <button type="button" className="btn icon-only small good" aria-label={`Yes, face ${face.id} is ${name}`} onClick={() => void confirm([face.id])}>
                    <Check className="icon small" aria-hidden="true" />
                  </button>
                  <button type="button" className="btn icon-only small" aria-label={`No, face ${face.id} is not ${name}`} onClick={() => void reject([face.id])}>
                    <Close className="icon small" aria-hidden="true" />
                  </button>
                </div>
              </div>
            ))}
          </div>
        </section>
      ) : null}

      <section className="stack" aria-label={`Photos of ${name}`}>
        <h3>Photos</h3>
        <div className="photo-strip">
          {photos.map((photo, index) => (
            <button key={photo.id} type="button" className="photo-thumb" aria-label={`Open ${fileName(photo.path)}`} onClick={() => openViewer(photos, index)}>
              <img src={shownImageUrl(photo.id, 'thumb')} alt="" loading="lazy" />
            </button>
          ))}
        </div>
      </section>
    </aside>
  );
}

export function PeopleView() {
  const { list, error, load, showHidden, setShowHidden, selectedPeople } = usePeople();
  const { carrying, carriedBy, cancel, request: requestMerge } = usePeopleMerge();

  useEffect(() => {
    void load();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const reloadSoon = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        void usePeople.getState().load();
      }, 700);
    };
    const stop = getClient().subscribe((event) => {
      if (event.type === 'people') reloadSoon();
    });
    // Face pictures come turned with their photo, so a photo turned (in the viewer over this view, say) reloads them;
    // the turns fetched again with the same content (photos coming in) do not.
    const stopTurns = useRotations.subscribe((state, previous) => {
      if (!shallow(state.turns, previous.turns)) reloadSoon();
    });
    return () => {
      stop();
      stopTurns();
      if (timer) clearTimeout(timer);
      // A person picked up and not dropped is put back when the view is left.
      usePeopleMerge.getState().cancel();
    };
  }, [load]);

  const people = list?.people ?? [];
  const named = people.filter((p) => p.name !== null);
  const unnamed = people.filter((p) => p.name === null);
  const merge = () => {
    // The named person with the most faces keeps everyone: merging never turns a named person into an unnamed one.
    const [into, ...from] = people
      .filter((p) => selectedPeople.includes(p.id))
      .sort((a, b) => Number(b.name !== null) - Number(a.name !== null) || b.faceCount - a.faceCount);
    if (into) void requestMerge(into, from);
  };
  const carried = people.find((p) => p.id === carrying);

  let body;
  if (error) body = <ErrorState error={error} actions={<button type="button" className="btn" onClick={() => void load()}>Try again</button>} />;
  else if (!list) body = <Spinner label="Finding people…" />;
  else if (people.length === 0) {
    body = (
      <StateCard icon={<Users className="icon" aria-hidden="true" />} title="No people yet">
        <p>Faces are found while photos are indexed; people appear here as soon as someone is seen in two photos.</p>
        {list.unassignedFaces ? <p>{plural(list.unassignedFaces, 'face')} found so far.</p> : null}
      </StateCard>
    );
  }

  return (
    <section
      className="view"
      aria-labelledby="people-title"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && carrying !== null) {
          event.stopPropagation();
          cancel();
        }
      }}
    >
      <p className="sr-only" role="status" aria-live="assertive">
        {carried && carriedBy === 'keyboard' ? `Picked up ${displayName(carried)}. Move to another person and press Space on Drop here to merge, or Escape to put it back.` : ''}
      </p>
      <div className="view-header">
        <h2 id="people-title" style={{ margin: 0 }}>People</h2>
        {list ? (
          <span className="sub" data-testid="people-summary">
            {named.length} named · {plural(unnamed.length, 'unnamed group')} · {plural(list.unassignedFaces, 'face')} not yet anyone’s
          </span>
        ) : null}
        <div className="grow" />
        <button type="button" className="btn primary" disabled={selectedPeople.length < 2} onClick={merge}>
          Merge {selectedPeople.length >= 2 ? selectedPeople.length : ''} selected
        </button>
        <label className="checkbox">
          <input type="checkbox" checked={showHidden} onChange={(event) => setShowHidden(event.target.checked)} /> Show hidden
        </label>
      </div>
      {body ?? (
        <div className="people-layout">
          <div className="scroll">
            {named.length ? (
              <>
                <h3 className="section-title">Named</h3>
                <PeopleGrid people={named} testId="named-people" label="Named people" />
              </>
            ) : null}
            {unnamed.length ? (
              <>
                <h3 className="section-title">Unnamed groups</h3>
                <PeopleGrid people={unnamed} testId="unnamed-people" label="Unnamed groups" />
              </>
            ) : null}
            {list?.unassignedFaces ? <UnassignedFaces count={list.unassignedFaces} /> : null}
          </div>
          <PersonPanel />
        </div>
      )}
      <MergePeopleDialog />
    </section>
  );
}
