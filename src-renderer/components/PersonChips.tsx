// Person chips in the search filters: pick people to see only photos with all of them, combined with the words
// of the query ("Alice" + "beach"); each chip removes its person.
import { useEffect, useState } from 'react';
import { Close } from 'pixelarticons/react';
import type { PersonSummary } from '../../src-preload/api';
import { getClient } from '../client/client';

export function PersonChips({ selected, onChange }: { selected: number[]; onChange(ids: number[]): void }) {
  const [people, setPeople] = useState<PersonSummary[]>([]);
  useEffect(() => {
    void getClient()
      .invoke('people.list', {})
      .then((result) => setPeople(result.ok ? result.value.people.filter((p) => p.name !== null) : []));
  }, []);
  if (people.length === 0 && selected.length === 0) return null;
  const byId = new Map(people.map((p) => [p.id, p]));
  return (
    <div className="person-chips" role="group" aria-label="People in the photos">
      {selected.map((id) => (
        <button key={id} type="button" className="chip" aria-label={`Remove ${byId.get(id)?.name ?? `person ${id}`} from the search`} onClick={() => onChange(selected.filter((p) => p !== id))}>
          {byId.get(id)?.name ?? `#${id}`} <Close className="icon small" aria-hidden="true" />
        </button>
      ))}
      <label className="field">
        <span>With</span>
        <select value="" aria-label="Only photos with this person" onChange={(event) => event.target.value && onChange([...selected, Number(event.target.value)])}>
          <option value="">Anyone</option>
          {people
            .filter((p) => !selected.includes(p.id))
            .map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
        </select>
      </label>
    </div>
  );
}
