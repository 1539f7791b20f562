// The People view's state: the list of people, the person open in detail with its faces and suggestions, the
// selections, and every decision sent to the engine (each reloads what it changed).
import { create } from 'zustand';
import type { ApiError, FaceSuggestion, OperationName, PeopleList, PersonDetails, Result } from '../../src-preload/api';
import { getClient } from '../client/client';
import { useToasts } from './toasts';

interface PeopleState {
  list: PeopleList | null;
  error: ApiError | null;
  showHidden: boolean;
  /** People chosen for a merge (by id). */
  selectedPeople: number[];
  open: PersonDetails | null;
  suggestions: FaceSuggestion[];
  /** Faces chosen in the open person (split, not this person). */
  selectedFaces: number[];
  load(): Promise<void>;
  setShowHidden(show: boolean): void;
  togglePerson(id: number): void;
  openPerson(id: number | null): Promise<void>;
  toggleFace(id: number): void;
  act<K extends OperationName>(operation: K, input: unknown, done?: string): Promise<boolean>;
}

async function ask<T>(result: Promise<Result<T>>): Promise<T | null> {
  const answer = await result;
  if (answer.ok) return answer.value;
  useToasts.getState().push('error', answer.error.message);
  return null;
}

export const usePeople = create<PeopleState>((set, get) => ({
  list: null,
  error: null,
  showHidden: false,
  selectedPeople: [],
  open: null,
  suggestions: [],
  selectedFaces: [],

  async load() {
    const result = await getClient().invoke('people.list', { includeHidden: get().showHidden });
    if (!result.ok) return set({ error: result.error });
    const ids = new Set(result.value.people.map((p) => p.id));
    set({ list: result.value, error: null, selectedPeople: get().selectedPeople.filter((id) => ids.has(id)) });
    const open = get().open;
    if (open) await get().openPerson(ids.has(open.person.id) || get().showHidden ? open.person.id : null);
  },

  setShowHidden(showHidden) {
    set({ showHidden });
    void get().load();
  },

  togglePerson(id) {
    const selected = get().selectedPeople;
    set({ selectedPeople: selected.includes(id) ? selected.filter((p) => p !== id) : [...selected, id] });
  },

  async openPerson(id) {
    if (id === null) return set({ open: null, suggestions: [], selectedFaces: [] });
    const details = await getClient().invoke('people.get', { id });
    if (!details.ok) return set({ open: null, suggestions: [], selectedFaces: [] });
    const suggestions = await getClient().invoke('people.suggestions', { id, limit: 24 });
    const faces = new Set(details.value.faces.map((f) => f.id));
    set({
      open: details.value,
      suggestions: suggestions.ok ? suggestions.value : [],
      selectedFaces: get().open?.person.id === id ? get().selectedFaces.filter((f) => faces.has(f)) : [],
    });
  },

  toggleFace(id) {
    const selected = get().selectedFaces;
    set({ selectedFaces: selected.includes(id) ? selected.filter((f) => f !== id) : [...selected, id] });
  },

  async act(operation, input, done) {
    const value = await ask(getClient().invoke(operation, input as never));
    if (value === null) return false;
    if (done) useToasts.getState().push('info', done);
    await get().load();
    return true;
  },
}));
