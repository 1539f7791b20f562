// Filters run inside Qdrant as payload conditions must pick exactly the photos the catalog's own filters pick, or a
// library would find different photos after moving to a server. Checked without a server: the payload the catalog
// writes and the filter body the store sends, evaluated with the meaning Qdrant's filtering reference gives them
// (`must` = all; `match.value` on an array = any element equal; `range` with inclusive gte/lte), against the catalog.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchFilters } from '../../src-preload/api';
import { toPayloadFilter } from '../../src-main/api/vector-payload-sync';
import { Catalog } from '../../src-main/store/catalog';
import { openCatalogDatabase } from '../../src-main/store/database';
import { FaceStore } from '../../src-main/store/faces-store';
import { VectorPayloads } from '../../src-main/store/vector-payloads';
import { payloadFields, payloadFilter } from '../../src-main/store/vectors/qdrant-requests';

type Payload = Record<string, unknown>;
type Condition = { key: string; match?: { value: unknown }; range?: { gte?: number; lte?: number } };

function holds(condition: Condition, payload: Payload): boolean {
  const value = payload[condition.key];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (condition.match) return values.some((v) => v === condition.match!.value);
  if (condition.range) {
    const { gte, lte } = condition.range;
    return values.some((v) => typeof v === 'number' && (gte === undefined || v >= gte) && (lte === undefined || v <= lte));
  }
  throw new Error(`condition ${JSON.stringify(condition)} is not one this test evaluates`);
}

function passes(filter: { must: Condition[] } | undefined, payload: Payload): boolean {
  return !filter || filter.must.every((condition) => holds(condition, payload));
}

describe('payload filters pick the photos the catalog picks', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-payload-filters-'));
  let catalog: Catalog;
  let faces: FaceStore;
  const folders: number[] = [];
  const people: number[] = [];
  let points = new Map<number, Payload>();

  beforeAll(async () => {
    const database = await openCatalogDatabase({ dataDir: dir, databaseUrl: null });
    catalog = new Catalog(database);
    faces = new FaceStore(database);
    for (const name of ['a', 'b', 'c']) folders.push((await catalog.insertFolder(`/lib/${name}`)).id);
    for (const name of ['Ada', null, 'Cy', null]) people.push(await faces.createPerson(name));
    // Dates on and around day and month edges, some photos without one (they count by the date added).
    const days = ['2023-12-31T23:59:59.000Z', '2024-01-01T00:00:00.000Z', '2024-01-01T12:00:00.000Z', '2024-02-29T23:59:59.000Z', '2024-03-01T00:00:00.000Z', null];
    const random = fc.sample(fc.tuple(fc.nat(2), fc.nat(days.length - 1), fc.subarray([0, 1, 2, 3])), { numRuns: 80, seed: 7 });
    for (const [i, [folder, day, who]] of random.entries()) {
      const image = await catalog.insertImage({ folder_id: folders[folder], path: `/lib/${i}.jpg`, hash: `h${i}`, size_bytes: 1, mtime_ms: 1 });
      if (days[day]) await catalog.updateImage(image.id, { taken_at: days[day]! });
      if (who.length > 0) {
        const { ids } = await faces.replaceDetections(image.id, who.map((_, k) => ({ box: [k * 50, 0, 40, 40], score: 0.9, thumbnail: new Uint8Array([1]), age: null, gender: null })), 'm');
        await faces.assign(ids.map((faceId, k) => ({ faceId, personId: people[who[k]] })), false);
      }
    }
    const all = (await catalog.db.selectFrom('images').select('id').execute()).map((row) => row.id);
    points = new Map([...(await new VectorPayloads(catalog.db).of(all))].map(([id, payload]) => [id, payloadFields(payload)]));
  });

  afterAll(async () => {
    await catalog?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** What the search filters select through the catalog (the embedded path): SQL for folder and dates, faces for people. */
  async function catalogPicks(filters: SearchFilters): Promise<number[]> {
    let ids = (await catalog.idsMatching(filters)) ?? new Set(points.keys());
    if (filters.personIds?.length) {
      const withPeople = await faces.photosWithPeople(filters.personIds);
      ids = new Set([...ids].filter((id) => withPeople.has(id)));
    }
    return [...ids].sort((a, b) => a - b);
  }

  const bound = fc.oneof(
    fc.constantFrom('2023-12-31', '2024-01-01', '2024-02-29', '2024-03-01', '2024-01-01T12:00', '2024-01-01T12:00:00Z', '2024-01-01T11:00:00-01:00'),
    fc.date({ min: new Date('2023-12-01T00:00:00Z'), max: new Date('2024-04-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  );

  it('for any folder, date range and people', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { folder: fc.nat(3), from: bound, to: bound, people: fc.subarray([0, 1, 2, 3], { minLength: 1 }) },
          { requiredKeys: [] },
        ),
        async ({ folder, from, to, people: who }) => {
          // Folder 3 does not exist: a filter on it selects nothing either way.
          const filters: SearchFilters = {
            ...(folder !== undefined ? { folderId: folders[folder] ?? 9_999 } : {}),
            ...(from !== undefined ? { from } : {}),
            ...(to !== undefined ? { to } : {}),
            ...(who ? { personIds: who.map((k) => people[k]) } : {}),
          };
          const body = payloadFilter(toPayloadFilter(filters)) as { must: Condition[] } | undefined;
          const picked = [...points].filter(([, payload]) => passes(body, payload)).map(([id]) => id).sort((a, b) => a - b);
          expect(picked).toEqual(await catalogPicks(filters));
        },
      ),
      { numRuns: 300, seed: 12 },
    );
  });

  it('sends the conditions Qdrant indexes, one match per person', () => {
    expect(payloadFilter({ kind: 'payload', folderId: 3, takenFromMs: 10, takenToMs: 20, personIds: [5, 6, 5] })).toEqual({
      must: [
        { key: 'folder_id', match: { value: 3 } },
        { key: 'taken_ms', range: { gte: 10, lte: 20 } },
        { key: 'person_ids', match: { value: 5 } },
        { key: 'person_ids', match: { value: 6 } },
      ],
    });
    expect(payloadFilter({ kind: 'payload', takenToMs: 20 })).toEqual({ must: [{ key: 'taken_ms', range: { lte: 20 } }] });
    expect(payloadFilter({ kind: 'payload' })).toBeUndefined();
  });
});
