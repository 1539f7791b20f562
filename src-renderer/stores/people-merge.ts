// Merging people in the People view: a person picked up (dragged with the mouse, or lifted with the keyboard), the
// person it would drop onto, the question asked before two different names become one, and Undo in the toast.
import { create } from 'zustand';
import type { PersonSummary } from '../../src-preload/api';
import { getClient } from '../client/client';
import { usePeople } from './people';
import { useToasts } from './toasts';

export interface MergeQuestion {
  into: PersonSummary;
  from: PersonSummary[];
}

interface PeopleMergeState {
  /** The person being moved onto another (by drag or by keyboard). */
  carrying: number | null;
  /** How it is carried: a keyboard pick-up stays until dropped or cancelled, a drag until the mouse lets go. */
  carriedBy: 'mouse' | 'keyboard' | null;
  /** The person it would merge into if dropped now. */
  dropTarget: number | null;
  question: MergeQuestion | null;
  pickUp(id: number, by: 'mouse' | 'keyboard'): void;
  hover(id: number | null): void;
  cancel(): void;
  /** Merges `from` into `into`, asking first when they carry different names. */
  request(into: PersonSummary, from: PersonSummary[]): Promise<void>;
  answer(yes: boolean): Promise<void>;
}

export function displayName(person: Pick<PersonSummary, 'name' | 'id'>): string {
  return person.name ?? `Unnamed #${person.id}`;
}

/** Names that would be lost: the merged people's names other than the target's (the target keeps its own). */
function namesDropped(into: PersonSummary, from: PersonSummary[]): string[] {
  const kept = (into.name ?? from.find((p) => p.name !== null)?.name ?? null)?.toLowerCase();
  return [...new Set(from.flatMap((p) => (p.name !== null && p.name.toLowerCase() !== kept ? [p.name] : [])))];
}

export function mergeQuestionText({ into, from }: MergeQuestion): string {
  const dropped = namesDropped(into, from);
  const kept = into.name ?? from.find((p) => p.name !== null)?.name ?? displayName(into);
  return `Their faces all become ${kept}'s; the name${dropped.length > 1 ? 's' : ''} ${dropped.join(', ')} ${dropped.length > 1 ? 'are' : 'is'} dropped. Undo stays offered for a few seconds.`;
}

async function undo(undoId: number): Promise<void> {
  const result = await getClient().invoke('people.undoMerge', { undoId });
  if (!result.ok) useToasts.getState().push('error', result.error.message);
  else useToasts.getState().push('info', `Merge undone: ${result.value.map(displayName).join(', ')} are back as they were`);
  await usePeople.getState().load();
}

async function merge(into: PersonSummary, from: PersonSummary[]): Promise<void> {
  usePeople.setState({ selectedPeople: [] });
  const result = await getClient().invoke('people.merge', { into: into.id, from: from.map((p) => p.id) });
  if (!result.ok) {
    useToasts.getState().push('error', result.error.message);
    return;
  }
  const names = from.length === 1 ? displayName(from[0]) : `${from.length} people`;
  const undoId = result.value.undoId;
  useToasts.getState().push('info', `Merged ${names} into ${displayName(result.value)}`, { label: 'Undo', run: () => void undo(undoId) });
  await usePeople.getState().load();
}

export const usePeopleMerge = create<PeopleMergeState>((set, get) => ({
  carrying: null,
  carriedBy: null,
  dropTarget: null,
  question: null,

  pickUp(id, by) {
    set({ carrying: id, carriedBy: by, dropTarget: null });
  },

  hover(id) {
    const { carrying, dropTarget } = get();
    const target = id === carrying ? null : id;
    if (target !== dropTarget) set({ dropTarget: target });
  },

  cancel() {
    set({ carrying: null, carriedBy: null, dropTarget: null });
  },

  async request(into, from) {
    const others = from.filter((p) => p.id !== into.id);
    set({ carrying: null, carriedBy: null, dropTarget: null });
    if (others.length === 0) return;
    if (namesDropped(into, others).length > 0) {
      set({ question: { into, from: others } });
      return;
    }
    await merge(into, others);
  },

  async answer(yes) {
    const question = get().question;
    set({ question: null });
    if (yes && question) await merge(question.into, question.from);
  },
}));
