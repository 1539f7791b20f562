// Reads what a merge of people is about to overwrite, so the merge can be undone exactly (see store/people-undo.ts).
import type { FaceStore } from '../store/faces-store';
import type { MergeSnapshot } from '../store/people-undo';

export async function snapshotBeforeMerge(store: Pick<FaceStore, 'people' | 'facesOfPeople' | 'rejectedFrom'>, into: number, from: number[]): Promise<MergeSnapshot> {
  const sourceIds = [...new Set(from)].filter((id) => id !== into);
  const people = await store.people([into, ...sourceIds]);
  const target = people.find((p) => p.id === into);
  const faces = await store.facesOfPeople([into, ...sourceIds]);
  const sourceRejections: MergeSnapshot['sourceRejections'] = [];
  for (const personId of sourceIds) for (const faceId of await store.rejectedFrom(personId)) sourceRejections.push({ faceId, personId });
  return {
    into: { id: into, name: target?.name ?? null, hidden: target?.hidden ?? false, coverFaceId: target?.coverFaceId ?? null },
    sources: people.filter((p) => p.id !== into).map((p) => ({ id: p.id, name: p.name, hidden: p.hidden, coverFaceId: p.coverFaceId, createdAt: p.createdAt })),
    faces: faces.map((f) => ({ id: f.id, personId: f.personId as number, pinned: f.pinned })),
    sourceRejections,
    intoRejections: [...(await store.rejectedFrom(into))],
  };
}
