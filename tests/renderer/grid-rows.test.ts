// The Library's virtual rows from the catalog's day counts: a month header when the month changes, a header per
// day with the catalog's count, rows of positions chunked by the column count, and small days packed side by side.
import { describe, expect, it } from 'vitest';
import { buildGridRows, photoDay, positionsOf, rowOfPosition } from '../../src-renderer/library/grid-rows';
import { yearMarks } from '../../src-renderer/library/DateScrubber';
import { photo } from './scripted-client';

describe('buildGridRows', () => {
  it('heads each day with the catalog’s count, not the photos loaded', () => {
    const rows = buildGridRows([{ day: '2024-06-02', count: 261 }], 7);
    const header = rows.find((row) => row.kind === 'header');
    expect(header?.kind === 'header' && header.count).toBe(261);
    const tiles = rows.filter((row) => row.kind === 'tiles');
    expect(tiles).toHaveLength(Math.ceil(261 / 7));
    expect(tiles.at(-1)).toMatchObject({ start: 259, end: 261 });
  });

  it('starts a month header when the month changes, and packs small days into one row', () => {
    const rows = buildGridRows(
      [
        { day: '2024-06-02', count: 5 },
        { day: '2024-06-01', count: 1 },
        { day: '2024-05-31', count: 1 },
        { day: '2024-05-30', count: 2 },
        { day: '2024-05-29', count: 9 },
      ],
      8,
    );
    expect(rows.map((row) => row.kind)).toEqual(['month', 'packed', 'month', 'packed', 'header', 'tiles', 'tiles']);
    const [june, may] = rows.filter((row) => row.kind === 'packed');
    expect(june.kind === 'packed' && june.segments.map((s) => [s.count, s.start])).toEqual([[5, 0], [1, 5]]);
    expect(may.kind === 'packed' && may.segments.map((s) => [s.count, s.start, s.end])).toEqual([
      [1, 6, 7],
      [2, 7, 9],
    ]);
    expect(rows[4]).toMatchObject({ kind: 'header', count: 9, start: 9 });
  });

  it('finds the row of any position and the positions a set of rows shows', () => {
    const days = Array.from({ length: 30 }, (_, i) => ({ day: `2024-03-${String(30 - i).padStart(2, '0')}`, count: 12 }));
    const rows = buildGridRows(days, 5);
    const last = rowOfPosition(rows, 359);
    expect(last).toBe(rows.length - 1);
    expect(positionsOf(rows.slice(0, 4))).toEqual([0, 9]);
  });

  it('lays out a hundred thousand photos over 2,500 days without losing one', () => {
    const days = Array.from({ length: 2500 }, (_, i) => ({ day: new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10), count: 40 }));
    const rows = buildGridRows(days, 7);
    expect(rows.filter((row) => row.kind === 'header')).toHaveLength(2500);
    expect(rows.reduce((n, row) => n + (row.kind === 'tiles' ? row.end - row.start : 0), 0)).toBe(100_000);
  });

  it('uses the day a photo was taken, falling back to the day it was added', () => {
    const untimed = photo(5, null);
    expect(photoDay(untimed)).toBe(photoDay({ ...untimed, takenAt: untimed.addedAt }));
  });
});

describe('the date scrubber', () => {
  it('marks each year where its photos begin', () => {
    expect(yearMarks([{ day: '2024-01-02', count: 30 }, { day: '2023-12-31', count: 10 }, { day: '2021-05-01', count: 60 }])).toEqual([
      { year: '2024', position: 0, fraction: 0 },
      { year: '2023', position: 30, fraction: 0.3 },
      { year: '2021', position: 40, fraction: 0.4 },
    ]);
  });
});
