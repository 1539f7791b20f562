// "Select this day": a check on each day's header that selects (or clears) every photo of that day, showing whether
// none, some or all of them are selected. It fetches the day's photos first when they are not loaded yet.
import { Check, Minus } from 'pixelarticons/react';
import type { PhotoSummary } from '../../src-preload/api';
import { useLibrary } from '../stores/library';
import '../styles/selection.css';

type DayState = 'none' | 'some' | 'all';

function dayState(slots: (PhotoSummary | undefined)[], selected: ReadonlySet<number>, start: number, end: number): DayState {
  let chosen = 0;
  for (let i = start; i < end; i++) {
    const photo = slots[i];
    if (photo && selected.has(photo.id)) chosen++;
  }
  if (chosen === 0) return 'none';
  return chosen === end - start ? 'all' : 'some';
}

export async function toggleDay(start: number, end: number): Promise<void> {
  const library = useLibrary.getState();
  const wasVisible = library.visible;
  await library.ensureLoaded(start, end - 1);
  // ensureLoaded remembers the range as what the grid shows; the grid still shows what it did.
  useLibrary.setState({ visible: wasVisible });
  const { slots, selected } = useLibrary.getState();
  const ids = slots.slice(start, end).flatMap((photo) => (photo ? [photo.id] : []));
  const next = new Set(selected);
  const everySelected = ids.every((id) => selected.has(id));
  for (const id of ids) {
    if (everySelected) next.delete(id);
    else next.add(id);
  }
  useLibrary.setState({ selected: next, anchorId: ids.at(-1) ?? null });
}

export function DayCheck({ start, end, label }: { start: number; end: number; label: string }) {
  const state = useLibrary((library) => dayState(library.slots, library.selected, start, end));
  return (
    <button
      type="button"
      role="checkbox"
      className={`day-check ${state}`}
      aria-checked={state === 'all' ? true : state === 'some' ? 'mixed' : false}
      aria-label={`Select all photos of ${label}`}
      title={state === 'all' ? `Clear the selection of ${label}` : `Select all photos of ${label}`}
      onClick={() => void toggleDay(start, end)}
    >
      {state === 'all' ? <Check className="icon small" aria-hidden="true" /> : state === 'some' ? <Minus className="icon small" aria-hidden="true" /> : null}
    </button>
  );
}
