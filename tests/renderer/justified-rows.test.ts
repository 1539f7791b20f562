// The justified layout's rows: photos keep their shape, full rows end exactly at the edge, rows break where the
// height stays nearest the target, a day's last row is not stretched, and days keep their headers.
import { describe, expect, it } from 'vitest';
import { aspectOf, buildJustifiedRows, justifyRun, UNKNOWN_ASPECT } from '../../src-renderer/library/justified-rows';
import { positionsOf, rowOfPosition } from '../../src-renderer/library/grid-rows';
import { photo } from './scripted-client';

const sum = (widths: number[]) => widths.reduce((n, w) => n + w, 0);

describe('justified rows', () => {
  it('fills full rows to the exact width and keeps each photo’s aspect ratio', () => {
    const aspects = [1.5, 0.75, 1.5, 1, 2, 1.5, 0.667, 1.5, 1.5];
    const rows = justifyRun(aspects, 0, 1000, 200, 10);
    expect(rows.map((r) => r.end - r.start).reduce((n, c) => n + c, 0)).toBe(aspects.length);
    for (const row of rows.slice(0, -1)) {
      expect(sum(row.widths) + 10 * (row.widths.length - 1)).toBe(1000);
      row.widths.slice(0, -1).forEach((w, i) => expect(Math.abs(w / row.height - aspects[row.start + i])).toBeLessThan(0.02));
      expect(row.height).toBeLessThanOrEqual(260);
      expect(row.height).toBeGreaterThanOrEqual(140);
    }
  });

  it('leaves the last row of a run at the target height instead of blowing it up', () => {
    const rows = justifyRun([1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5], 10, 1000, 200, 10);
    const last = rows.at(-1)!;
    expect(last.height).toBe(200);
    expect(sum(last.widths)).toBeLessThan(1000);
    expect(rows[0].start).toBe(10);
    expect(last.end).toBe(17);
  });

  it('breaks a row where its height ends nearer the target, and gives a panorama wider than the row a row of its own', () => {
    // Three 3:2 photos at 1000 px are 217 px high (17 over); four would be 163 (37 under): three is nearer.
    expect(justifyRun([1.5, 1.5, 1.5, 1.5, 1.5, 1.5], 0, 1000, 200, 10)[0].widths).toHaveLength(3);
    const panorama = justifyRun([4, 1], 0, 600, 200, 10);
    expect(panorama[0]).toMatchObject({ start: 0, end: 1, height: 150, widths: [600] });
  });

  it('takes each photo’s shape from the catalog, a default while unknown, and extremes within bounds', () => {
    expect(aspectOf({ ...photo(1, null), width: 1434, height: 2333 })).toBeCloseTo(0.615, 3);
    expect(aspectOf({ ...photo(1, null), width: null, height: null })).toBe(UNKNOWN_ASPECT);
    expect(aspectOf(undefined)).toBe(UNKNOWN_ASPECT);
    expect(aspectOf({ ...photo(1, null), width: 10_000, height: 100 })).toBe(4);
  });

  it('puts month and day headers above each day’s rows, with positions the grid can jump to', () => {
    const days = [
      { day: '2024-06-02', count: 5 },
      { day: '2024-06-01', count: 1 },
      { day: '2024-05-20', count: 3 },
    ];
    const slots = Array.from({ length: 9 }, (_, i) => ({ ...photo(i + 1, null), width: i % 2 ? 300 : 600, height: 400 }));
    const rows = buildJustifiedRows(days, slots, 900, 168, 10);
    // 2 June's five photos (sum of aspects 6) make one 143 px row at 900 px: nearer 168 than four photos' 193 px.
    expect(rows.map((r) => r.kind)).toEqual(['month', 'header', 'tiles', 'header', 'tiles', 'month', 'header', 'tiles']);
    expect(rows[2]).toMatchObject({ justified: { height: 143 } });
    // 1 June alone in its month: one photo at the target height, not stretched to the row.
    expect(rows[4]).toMatchObject({ start: 5, end: 6, justified: { height: 168, widths: [126] } });
    expect(rows.filter((r) => r.kind === 'tiles').every((r) => r.kind === 'tiles' && r.justified)).toBe(true);
    expect(positionsOf(rows)).toEqual([0, 8]);
    expect(rows[rowOfPosition(rows, 5)]).toMatchObject({ kind: 'tiles', start: 5, end: 6 });
  });

  it('places photos whose pages have not arrived at the shapes sent with the days, so no row moves when a page arrives', () => {
    const sizes = [[4000, 3000], [1080, 1920], [3000, 3000], [1920, 1080], [6000, 2000], [2333, 1434], [800, 1200], [4032, 3024], [1200, 1600], [3000, 2000], [1600, 900], [900, 1600]];
    const loaded = sizes.map(([width, height], i) => ({ ...photo(i + 1, null), width, height }));
    // The third photo is turned right in the window: the engine sends its shape turned, the page its upright size.
    const turns = { 3: 1 } as const;
    const dayAspects = loaded.map((p) => Math.round(((p.id === 3 ? p.height / p.width : p.width / p.height) * 1000)) / 1000);
    const days = [
      { day: '2024-06-02', count: 7, aspects: dayAspects.slice(0, 7) },
      { day: '2024-06-01', count: 5, aspects: dayAspects.slice(7) },
    ];
    const before = buildJustifiedRows(days, new Array(sizes.length), 1000, 180, 8, turns);
    const after = buildJustifiedRows(days, loaded, 1000, 180, 8, turns);
    expect(before).toEqual(after);
    // Without the shapes every photo would stand in at 3:2 and the rows would change once the pages came.
    const guessed = buildJustifiedRows(days.map(({ day, count }) => ({ day, count })), new Array(sizes.length), 1000, 180, 8);
    expect(guessed).not.toEqual(after);
    // A photo the engine has no size for yet keeps the 3:2 stand-in either way.
    const unknown = buildJustifiedRows([{ day: '2024-06-02', count: 1, aspects: [0] }], [undefined], 1000, 180, 8);
    expect(unknown[2]).toMatchObject({ justified: { widths: [Math.floor(UNKNOWN_ASPECT * 180)] } });
  });

  it('lays a turned photo on its side', () => {
    const portrait = { ...photo(1, null), width: 1000, height: 2000 };
    expect(aspectOf(portrait, 1)).toBe(2);
    expect(aspectOf(portrait, 2)).toBe(0.5);
    const rows = buildJustifiedRows([{ day: '2024-06-02', count: 1 }], [portrait], 1000, 180, 8, { 1: 3 });
    expect(rows[2]).toMatchObject({ justified: { widths: [360] } });
  });

  it('packs days too small for a row side by side, each under its own header, and starts a new row when one is full', () => {
    const days = [
      { day: '2024-05-30', count: 1 },
      { day: '2024-05-29', count: 2 },
      { day: '2024-05-28', count: 3 },
      { day: '2024-05-27', count: 1 },
    ];
    const slots = Array.from({ length: 7 }, (_, i) => ({ ...photo(i + 1, null), width: 600, height: 400 }));
    // At 168 px each 3:2 photo is 252 px wide: 252 + (2·252+10) = 766 fits 800; the three-photo day (776) does not.
    const rows = buildJustifiedRows(days, slots, 800, 168, 10);
    expect(rows.map((r) => r.kind)).toEqual(['month', 'packed', 'header', 'tiles', 'header', 'tiles']);
    const packed = rows[1];
    expect(packed.kind === 'packed' && packed.segments.map((s) => [s.day, s.start, s.end])).toEqual([['2024-05-30', 0, 1], ['2024-05-29', 1, 3]]);
    expect(packed.kind === 'packed' && packed.justified).toEqual({ height: 168, widths: [[252], [252, 252]] });
    expect(rows[rowOfPosition(rows, 2)]).toBe(packed);
    // The three-photo day (776 px) does not fit beside them, nor the last day (252 px) beside it: each stands alone.
    expect(rows.slice(2).map((r) => (r.kind === 'tiles' ? [r.start, r.end] : r.kind))).toEqual(['header', [3, 6], 'header', [6, 7]]);
  });
});
