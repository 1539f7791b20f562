// The faces and people operations of the Api: detection on any image, the People view's questions and every
// decision a person makes about people, answered from the faces runtime and spread into openApi's handlers.
import { stat } from 'node:fs/promises';
import type { FaceInfo, PersonSummary, PeopleList, QuarterTurns } from '../../src-preload/api';
import { GlimpseError } from '../errors';
import { snapshotBeforeMerge } from '../people/merge-snapshot';
import { PeopleDecisionError } from '../people/people-decisions';
import type { Catalog } from '../store/catalog';
import type { CatalogDatabase } from '../store/database';
import type { FaceRow, PersonRow } from '../store/faces-store';
import { MergeUndoError, PeopleUndoStore } from '../store/people-undo';
import { PhotoRotations } from '../store/photo-rotations';
import type { Handlers } from './dispatch';
import type { FacesRuntime } from './faces-runtime';
import { shownFaceThumbnail } from './turned-face-thumbnails';

type FaceOperation = Extract<keyof Handlers, `faces.${string}` | `people.${string}`>;
export type FaceHandlers = Pick<Handlers, FaceOperation>;

export interface FacesHandlerDeps {
  faces: FacesRuntime;
  catalog: Catalog;
  database: Pick<CatalogDatabase, 'db'>;
  /** Switches face recognition off in the settings (after forgetting everything, so it does not come back). */
  disableFaces: () => Promise<void>;
}

const DEFAULT_SUGGESTIONS = 50;
/** Unnamed groups compared against named people for "Is this …?" on the People list. */
const LOOKALIKE_GROUPS = 100;

/** Operations that change who is who or what they are called: each is announced as a 'people' event. */
const DECISIONS = new Set<string>([
  'faces.assign', 'people.rename', 'people.merge', 'people.undoMerge', 'people.split', 'people.reject', 'people.hide',
  'people.setCover', 'people.recluster', 'people.forget',
]);

/** The people an operation named or answered with, for the event (an empty list means "look again at everyone"). */
function peopleTouched(input: unknown, output: unknown): number[] {
  const ids = new Set<number>();
  const take = (value: unknown) => {
    if (typeof value === 'number') ids.add(value);
    else if (Array.isArray(value)) value.forEach(take);
  };
  const request = (input ?? {}) as Record<string, unknown>;
  for (const key of ['id', 'into', 'from', 'personId']) take(request[key]);
  const answers = Array.isArray(output) ? output : [output];
  for (const answer of answers) if (answer && typeof answer === 'object' && 'id' in answer) take((answer as { id: unknown }).id);
  return [...ids];
}

function asGlimpseError(error: unknown): unknown {
  if (error instanceof MergeUndoError) return new GlimpseError('NOT_FOUND', error.message, 'undoId');
  if (error instanceof PeopleDecisionError) return new GlimpseError(error.kind, error.message, error.subject);
  if (error instanceof Error && error.name === 'FaceInputError') return new GlimpseError('UNSUPPORTED_FORMAT', error.message);
  return error;
}

export function facesHandlers({ faces, catalog, database, disableFaces }: FacesHandlerDeps): FaceHandlers {
  const store = faces.store;
  const undo = new PeopleUndoStore(database);
  const rotations = new PhotoRotations(catalog.db);

  const faceInfos = async (rows: FaceRow[], withThumbnails = true): Promise<FaceInfo[]> => {
    const [paths, people, thumbnails, turns] = await Promise.all([
      store.photoPaths(rows.map((r) => r.imageId)),
      store.people([...new Set(rows.flatMap((r) => (r.personId === null ? [] : [r.personId])))]),
      withThumbnails ? store.thumbnails(rows.map((r) => r.id)) : Promise.resolve(new Map<number, Uint8Array>()),
      withThumbnails ? rotations.ofImages(rows.map((r) => r.imageId)) : Promise.resolve(new Map<number, QuarterTurns>()),
    ]);
    const names = new Map(people.map((p) => [p.id, p.name]));
    const shown = await Promise.all(rows.map((r) => {
      const thumb = thumbnails.get(r.id);
      return thumb ? shownFaceThumbnail(thumb, turns.get(r.imageId) ?? 0) : null;
    }));
    return rows.map((r, i) => ({
      id: r.id,
      photoId: r.imageId,
      photo: paths.get(r.imageId) ?? '',
      box: r.box,
      confidence: r.score,
      personId: r.personId,
      personName: r.personId === null ? null : (names.get(r.personId) ?? null),
      pinned: r.pinned,
      thumbnail: shown[i],
    }));
  };

  const summaries = async (people: PersonRow[]): Promise<PersonSummary[]> => {
    const stats = await store.personStats();
    const coverIds = people.map((p) => {
      const best = stats.get(p.id)?.bestFaceId ?? null;
      return p.coverFaceId ?? best;
    });
    const coverRows = await store.faces(coverIds.filter((id): id is number => id !== null));
    // A chosen cover that left the person (moved, its photo removed) gives way to the person's best face.
    const covers = new Map<number, FaceRow>();
    for (const [i, p] of people.entries()) {
      let row = coverRows.find((r) => r.id === coverIds[i] && r.personId === p.id);
      if (!row && stats.get(p.id)) row = (await store.faces([stats.get(p.id)?.bestFaceId ?? 0]))[0];
      if (row) covers.set(p.id, row);
    }
    const coverInfos = new Map((await faceInfos([...covers.values()])).map((f) => [f.id, f]));
    const { decisions } = await faces.people();
    const unnamed = people.filter((p) => p.name === null).sort((a, b) => (stats.get(b.id)?.faces ?? 0) - (stats.get(a.id)?.faces ?? 0)).slice(0, LOOKALIKE_GROUPS);
    const named = (await store.people()).filter((p) => p.name !== null);
    const lookalikes = await decisions.namedLookalikes(unnamed.map((p) => p.id), named.map((p) => p.id));
    const namesById = new Map(named.map((p) => [p.id, p.name as string]));
    return people.map((p) => {
      const look = lookalikes.get(p.id);
      const cover = covers.get(p.id);
      return {
        id: p.id,
        name: p.name,
        hidden: p.hidden,
        faceCount: stats.get(p.id)?.faces ?? 0,
        photoCount: stats.get(p.id)?.photos ?? 0,
        cover: cover ? (coverInfos.get(cover.id) ?? null) : null,
        lookalike: look ? { personId: look.item, name: namesById.get(look.item) ?? '', similarity: look.similarity } : null,
      };
    });
  };

  const summary = async (id: number): Promise<PersonSummary> => {
    const { decisions } = await faces.people();
    return (await summaries([await decisions.requirePerson(id)]))[0];
  };

  const list = async (includeHidden: boolean): Promise<PeopleList> => {
    const stats = await store.personStats();
    const people = (await store.people()).filter((p) => (includeHidden || !p.hidden) && ((stats.get(p.id)?.faces ?? 0) > 0 || p.name !== null));
    const out = await summaries(people);
    // Named people first, alphabetically; then unnamed groups, largest first.
    out.sort((a, b) =>
      a.name !== null && b.name !== null ? a.name.localeCompare(b.name) : a.name !== null ? -1 : b.name !== null ? 1 : b.faceCount - a.faceCount || a.id - b.id,
    );
    return { people: out, unassignedFaces: (await store.counts()).unassigned };
  };

  const handlers: FaceHandlers = {
    'faces.detect': async (request) => {
      let source: string | Uint8Array;
      if ('path' in request) {
        const info = await stat(request.path).catch(() => null);
        if (!info) throw new GlimpseError('NOT_FOUND', `${request.path} does not exist`, request.path);
        if (!info.isFile()) throw new GlimpseError('INVALID_INPUT', `${request.path} is not a file: pick an image file`, request.path);
        source = request.path;
      } else {
        source = new Uint8Array(Buffer.from(request.bytes, 'base64'));
        if (source.byteLength === 0) throw new GlimpseError('INVALID_INPUT', 'the image bytes are empty', 'bytes');
      }
      const detection = await faces.detect({ source });
      return {
        width: detection.width,
        height: detection.height,
        faces: detection.faces.map((f) => ({ box: f.box, confidence: Math.round(f.score * 1000) / 1000 })),
      };
    },
    'faces.ofPhoto': async ({ photoId }) => faceInfos(await store.facesOfImages([photoId]), false),
    'faces.unassigned': async ({ limit }) => faceInfos(await store.unassignedFaces(limit ?? 200)),
    'faces.assign': async ({ faceIds, personId, name }) => {
      const { decisions } = await faces.people();
      let target = personId;
      if (target === undefined) {
        const clean = (name ?? '').trim().replace(/\s+/g, ' ');
        target = (await store.personByName(clean))?.id ?? (await store.createPerson(clean));
      }
      await decisions.assign(faceIds, target);
      return summary(target);
    },
    'faces.similar': async ({ faceId, limit }) => {
      const { decisions } = await faces.people();
      const result = await decisions.similarToFace(faceId, limit ?? 20);
      const people = await summaries(await store.people(result.people.map((p) => p.item)));
      const byId = new Map(people.map((p) => [p.id, p]));
      const infos = await faceInfos(result.faces.map((f) => f.item));
      return {
        people: result.people.flatMap((p) => (byId.has(p.item) ? [{ person: byId.get(p.item) as PersonSummary, similarity: p.similarity }] : [])),
        faces: infos.map((face, i) => ({ face, similarity: result.faces[i].similarity })),
      };
    },
    'people.list': ({ includeHidden }) => list(includeHidden ?? false),
    'people.get': async ({ id }) => {
      const person = await summary(id);
      const rows = await store.facesOfPeople([id]);
      const photos = await catalog.photos([...new Set(rows.map((r) => r.imageId))]);
      const ordered = [...photos.values()].sort((a, b) => (b.takenAt ?? b.addedAt).localeCompare(a.takenAt ?? a.addedAt) || b.id - a.id);
      return { person, faces: await faceInfos(rows), photos: ordered };
    },
    'people.rename': async ({ id, name }) => {
      await (await faces.people()).decisions.rename(id, name);
      return summary(id);
    },
    'people.merge': async ({ into, from }) => {
      const before = await snapshotBeforeMerge(store, into, from);
      await (await faces.people()).decisions.merge(into, from);
      const undoId = await undo.save(before);
      return { ...(await summary(into)), undoId };
    },
    'people.undoMerge': async ({ undoId }) => {
      const { clusterer } = await faces.people();
      const restored = await undo.undo(undoId);
      const ids = [restored.into.id, ...restored.sources.map((s) => s.id)];
      clusterer.forget(ids);
      return summaries(await store.people(ids));
    },
    'people.split': async ({ id, faceIds }) => summary(await (await faces.people()).decisions.split(id, faceIds)),
    'people.reject': async ({ id, faceIds }) => {
      await (await faces.people()).decisions.reject(id, faceIds);
      return summary(id);
    },
    'people.hide': async ({ id, hidden }) => {
      await (await faces.people()).decisions.setHidden(id, hidden);
      return summary(id);
    },
    'people.setCover': async ({ id, faceId }) => {
      await (await faces.people()).decisions.setCover(id, faceId);
      return summary(id);
    },
    'people.suggestions': async ({ id, limit }) => {
      const found = await (await faces.people()).decisions.suggestions(id, limit ?? DEFAULT_SUGGESTIONS);
      const infos = await faceInfos(found.map((f) => f.item));
      return infos.map((face, i) => ({ face, similarity: found[i].similarity }));
    },
    'people.recluster': async () => {
      await (await faces.people()).clusterer.rebuild();
      return list(false);
    },
    'people.forget': async () => {
      const counts = await faces.forgetAll();
      await disableFaces();
      return counts;
    },
  };

  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      async (input: unknown) => {
        try {
          const output = await (handler as (input: unknown) => Promise<unknown>)(input);
          if (DECISIONS.has(name)) faces.announcePeople(peopleTouched(input, output));
          return output;
        } catch (error) {
          throw asGlimpseError(error);
        }
      },
    ]),
  ) as unknown as FaceHandlers;
}
