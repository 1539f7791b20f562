// The labelled real photos in tests/fixtures/faces: which people each shows (left to right) and how many faces a
// good detector finds, read from labels.json, plus the mapping of detected faces to those labels by position.
import fs from 'node:fs';
import path from 'node:path';
import { FACES_DIR } from '../fixtures/photos';

export interface LabelledPhoto {
  file: string;
  path: string;
  people: string[];
  expectedFaces: number;
  /** The label notes faces at the edge or in the background that a detector may also find. */
  mayHaveExtraFace: boolean;
}

interface LabelsFile {
  photos: Record<string, { people: string[]; expectedFaces: number; note?: string }>;
}

export function labelledPhotos(): LabelledPhoto[] {
  const labels = JSON.parse(fs.readFileSync(path.join(FACES_DIR, 'labels.json'), 'utf8')) as LabelsFile;
  return Object.entries(labels.photos).map(([file, entry]) => ({
    file,
    path: path.join(FACES_DIR, file),
    people: entry.people,
    expectedFaces: entry.expectedFaces,
    mayHaveExtraFace: /background faces/.test(entry.note ?? ''),
  }));
}

/** People named gN_x are unknown (two g labels may be one person): they take part in clustering but are not scored. */
export function isKnownPerson(label: string): boolean {
  return !/^g\d+_/.test(label);
}

/**
 * Labels of a photo's detected faces: the clearly visible faces are the most confident ones, and the labels run left
 * to right over them. An extra face beyond the label count gets no label.
 */
export function labelFaces(photo: LabelledPhoto, faces: Array<{ box: readonly number[]; score: number }>): Array<string | null> {
  const confident = [...faces.keys()].sort((a, b) => faces[b].score - faces[a].score).slice(0, photo.people.length);
  const leftToRight = [...confident].sort((a, b) => faces[a].box[0] - faces[b].box[0]);
  const out: Array<string | null> = faces.map(() => null);
  leftToRight.forEach((faceIndex, i) => (out[faceIndex] = photo.people[i]));
  return out;
}
