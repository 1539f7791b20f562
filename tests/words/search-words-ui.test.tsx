// @vitest-environment jsdom
// The search box's words as a person uses them, against a scripted client: the suggestions dropdown driven by the
// keyboard, "showing results for" with its way back, removable expansion chips, and pinned searches in the sidebar.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SearchRequest, SearchResponse, Suggestion } from '../../src-preload/api';
import { setClient } from '../../src-renderer/client/client';
import { PinnedSearches } from '../../src-renderer/components/PinnedSearches';
import { SearchWordsNotice } from '../../src-renderer/components/SearchWordsNotice';
import { TopBar } from '../../src-renderer/components/TopBar';
import { useNavigation } from '../../src-renderer/stores/navigation';
import { useSearch } from '../../src-renderer/stores/search';
import { useSearchHistory } from '../../src-renderer/stores/search-history';
import { useSearchWords } from '../../src-renderer/stores/search-words';
import { hit, photo, scriptedClient, type ScriptedClient } from '../renderer/scripted-client';

const ranking = { globalWeight: 0.7, localWeight: 0.3, temperature: 1, cutoff: 0 };
const SUGGESTIONS: Suggestion[] = [
  { text: 'Siobhan', kind: 'person', count: 12 },
  { text: 'Sintra', kind: 'folder', count: 40 },
];

function response(overrides: Partial<SearchResponse> = {}): SearchResponse {
  return { query: 'purple', hits: [hit(photo(1, null), 0.9)], candidates: 1, ranking, model: 'm', tookMs: 3, expansions: [], ...overrides };
}

let client: ScriptedClient;
/** The client's answers, per operation; a test may replace one. */
let answers: Parameters<typeof scriptedClient>[0];
const searches = () => client.calls.filter((c) => c.operation === 'search.query').map((c) => c.input as SearchRequest);

beforeEach(() => {
  useSearch.setState({ query: '', status: 'idle', response: null, error: null, temperature: null, cutoff: null, explain: false });
  useSearchWords.setState({ forQuery: '', withoutExpansions: [], expand: null, exact: false });
  useSearchHistory.setState({ entries: [], error: null });
  useNavigation.setState({ view: 'library' });
  answers = {
    'search.suggest': (input: { prefix: string }) => ({ ok: true, value: { prefix: input.prefix, suggestions: input.prefix ? SUGGESTIONS : [] } }),
    'search.query': (input: SearchRequest) => ({ ok: true, value: response({ query: input.query }) }),
    'history.list': () => ({ ok: true, value: [{ query: 'red bike', uses: 2, lastUsedAt: '2026-01-01T00:00:00Z', pinned: true }] }),
    'history.pin': () => ({ ok: true, value: [] }),
    'settings.get': () => ({ ok: true, value: { ranking } }),
  };
  client = scriptedClient(answers);
  setClient(client);
});
afterEach(cleanup);

async function typeInto(text: string) {
  const box = screen.getByRole('searchbox', { name: 'Search photos' });
  act(() => box.focus());
  fireEvent.change(box, { target: { value: text } });
  fireEvent.input(box);
  await screen.findByRole('listbox', { name: 'Search suggestions' });
  return box;
}

describe('suggestions dropdown', () => {
  it('lists completions as the person types, and arrow + Enter searches the highlighted one and remembers it', async () => {
    render(<TopBar />);
    const box = await typeInto('si');
    await waitFor(() => expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual([expect.stringContaining('Siobhan'), expect.stringContaining('Sintra')]));
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(screen.getAllByRole('option')[1]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(searches().at(-1)).toMatchObject({ query: 'Sintra', remember: true }));
    expect(useNavigation.getState().view).toBe('search');
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('Tab puts the first suggestion in the box without searching; Esc closes the list and keeps the box focused', async () => {
    render(<TopBar />);
    const box = await typeInto('sio');
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(2));
    fireEvent.keyDown(box, { key: 'Tab' });
    expect(useSearch.getState().query).toBe('Siobhan');
    expect(searches()).toEqual([]);
    await screen.findByRole('listbox');
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(document.activeElement).toBe(box);
  });
  it('runs a submitted search once: neither the Search view opening nor the typing pause searches it again', async () => {
    render(<TopBar />);
    const box = await typeInto('red');
    fireEvent.submit(box.closest('form')!);
    await waitFor(() => expect(searches()).toHaveLength(1));
    // Longer than the typing pause (350 ms) after which the Search view runs what was typed.
    await act(() => new Promise((resolve) => setTimeout(resolve, 700)));
    expect(searches()).toEqual([expect.objectContaining({ query: 'red', remember: true })]);
    fireEvent.change(box, { target: { value: 'red bike' } });
    await waitFor(() => expect(searches().at(-1)).toMatchObject({ query: 'red bike' }));
    expect(searches()).toHaveLength(2);
  });
});

describe('words around the results', () => {
  it('Enter searches what was typed, not a suggestion highlighted for earlier text whose new list is still coming', async () => {
    // A loaded machine: the list for the new text has not come when the person presses Enter (the e2e flake, seen).
    answers['search.suggest'] = (input: { prefix: string }) =>
      input.prefix === 'si' ? { ok: true, value: { prefix: 'si', suggestions: SUGGESTIONS } } : new Promise(() => undefined);
    render(<TopBar />);
    const box = await typeInto('si');
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(2));
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(screen.getAllByRole('option')[0]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.change(box, { target: { value: 'purpel' } });
    fireEvent.input(box);
    // A browser submits the form on an Enter nobody prevented.
    if (fireEvent.keyDown(box, { key: 'Enter' })) fireEvent.submit(box.closest('form')!);
    await waitFor(() => expect(searches()).toHaveLength(1));
    expect(searches()[0]).toMatchObject({ query: 'purpel', remember: true });
    expect(useSearch.getState().query).toBe('purpel');
  });

  it('searches again with the correction once the dictionary has loaded, when a typo found nothing before it had', async () => {
    let dictionaryLoaded = false;
    answers['search.query'] = (input: SearchRequest) => ({
      ok: true,
      value: dictionaryLoaded
        ? response({ spelling: { original: 'purpel', corrected: 'purple', applied: true, changed: [{ from: 'purpel', to: 'purple' }] } })
        : response({ query: input.query, hits: [], spellingPending: true }),
    });
    answers['spell.check'] = () => {
      dictionaryLoaded = true;
      return { ok: true, value: { query: 'purpel', corrected: 'purple', suggestions: ['purple'], changed: [{ from: 'purpel', to: 'purple' }] } };
    };
    useSearch.setState({ query: 'purpel' });
    render(<SearchWordsNotice />);
    // Enter, then the same search again as the Search view opens (TopBar's pause): the later one is answered.
    await act(async () => {
      void useSearch.getState().run({ remember: true });
      await useSearch.getState().run();
    });
    await waitFor(() => expect(screen.getByTestId('showing-results-for').textContent).toBe('Showing results for purple — search instead for purpel'));
    expect(searches()).toHaveLength(3);
    // The person submitted it, so the corrected search goes into the history too.
    expect(searches()[2]).toMatchObject({ query: 'purpel', remember: true });
  });

  it('says which query the results are for and searches exactly what was typed on request', async () => {
    useSearch.setState({
      query: 'purpel',
      status: 'done',
      response: response({ spelling: { original: 'purpel', corrected: 'purple', applied: true, changed: [{ from: 'purpel', to: 'purple' }] } }),
    });
    render(<SearchWordsNotice />);
    expect(screen.getByTestId('showing-results-for').textContent).toBe('Showing results for purple — search instead for purpel');
    fireEvent.click(screen.getByRole('button', { name: 'purpel' }));
    await waitFor(() => expect(searches().at(-1)).toMatchObject({ query: 'purpel', correctSpelling: false }));
  });

  it('offers "did you mean" and runs the suggestion when clicked', async () => {
    useSearch.setState({ query: 'red tarm', status: 'done', response: response({ query: 'red tarm', spelling: { original: 'red tarm', corrected: 'red tram', applied: false, changed: [] } }) });
    render(<SearchWordsNotice />);
    expect(screen.getByTestId('did-you-mean').textContent).toBe('Did you mean red tram?');
    fireEvent.click(screen.getByRole('button', { name: 'red tram' }));
    await waitFor(() => expect(searches().at(-1)).toMatchObject({ query: 'red tram', remember: true }));
  });

  it('shows the expansions as chips that can be removed one by one, or all at once', async () => {
    const expansions = [
      { word: 'crimson', term: 'red', relation: 'synonym' as const, weight: 0.8 },
      { word: 'crimson', term: 'scarlet', relation: 'synonym' as const, weight: 0.8 },
    ];
    client = scriptedClient({
      'search.query': (input: SearchRequest) => ({
        ok: true,
        value: response({ query: input.query, expansions: input.expand === false ? [] : expansions.filter((e) => !input.withoutExpansions?.includes(e.term)) }),
      }),
      'settings.get': () => ({ ok: true, value: { ranking } }),
    });
    setClient(client);
    useSearch.setState({ query: 'crimson', status: 'done', response: response({ query: 'crimson', expansions }) });
    render(<SearchWordsNotice />);
    fireEvent.click(screen.getByRole('button', { name: 'Leave out “red”' }));
    await waitFor(() => expect(searches().at(-1)).toMatchObject({ query: 'crimson', withoutExpansions: ['red'] }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Leave out “red”' })).toBeNull());
    expect(screen.getByTestId('expansion-chips').textContent).toBe('scarlet');
    fireEvent.click(screen.getByRole('button', { name: 'Only my words' }));
    await waitFor(() => expect(searches().at(-1)).toMatchObject({ query: 'crimson', expand: false, withoutExpansions: ['red'] }));
    await screen.findByRole('button', { name: 'Also search related words' });
    // A new query starts with every expansion again.
    useSearch.setState({ query: 'scarlet' });
    await act(() => useSearch.getState().run());
    expect(searches().at(-1)).toEqual(expect.not.objectContaining({ withoutExpansions: expect.anything() }));
  });
});

describe('pinned searches', () => {
  it('lists pinned searches in the sidebar and runs one on click', async () => {
    render(<PinnedSearches />);
    fireEvent.click(await screen.findByRole('button', { name: 'red bike' }));
    await waitFor(() => expect(searches().at(-1)).toMatchObject({ query: 'red bike', remember: true }));
    expect(useNavigation.getState().view).toBe('search');
  });
});
