// The Library's virtual rows: one header per day (newest first as given), tiles chunked by the column count, and
// placeholder rows standing in for photos not fetched yet.
import { describe, expect, it } from 'vitest';
import { buildGridRows, photoDay } from '../../src-renderer/library/grid-rows';
import { photo } from './scripted-client';

describe('buildGridRows', () => {
  const photos = [
    photo(1, '2024-06-02T10:00:00'),
    photo(2, '2024-06-02T09:00:00'),
    photo(3, '2024-06-02T08:00:00'),
    photo(4, '2024-06-01T18:00:00'),
    photo(5, null),
  ];

  it('groups by day taken, falling back to the day added', () => {
    const rows = buildGridRows(photos, 2, photos.length);
    expect(rows.map((row) => row.kind)).toEqual(['header', 'photos', 'photos', 'header', 'photos', 'header', 'photos']);
    const headers = rows.filter((row) => row.kind === 'header');
    expect(headers.map((row) => (row.kind === 'header' ? row.count : 0))).toEqual([3, 1, 1]);
    expect(headers[0].kind === 'header' && headers[0].label).toMatch(/2024/);
    expect(photoDay(photos[4])).toBe(photoDay({ ...photos[4], takenAt: photos[4].addedAt }));
  });

  it('never puts two days in one row and never more photos than columns', () => {
    const rows = buildGridRows(photos, 4, photos.length);
    const photoRows = rows.flatMap((row) => (row.kind === 'photos' ? [row.photos.map((p) => p.id)] : []));
    expect(photoRows).toEqual([[1, 2, 3], [4], [5]]);
  });

  it('adds placeholder rows for the photos not loaded yet', () => {
    const rows = buildGridRows(photos.slice(0, 2), 3, 10);
    const placeholders = rows.filter((row) => row.kind === 'placeholder');
    expect(placeholders.map((row) => (row.kind === 'placeholder' ? row.tiles : 0))).toEqual([3, 3, 2]);
  });

  it('lays out a hundred thousand photos over 2,500 days without losing one', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => photo(i + 1, new Date(Date.UTC(2020, 0, 1) + Math.floor(i / 40) * 86_400_000).toISOString()));
    const rows = buildGridRows(many, 7, many.length);
    expect(rows.filter((row) => row.kind === 'header')).toHaveLength(2500);
    expect(rows.reduce((n, row) => n + (row.kind === 'photos' ? row.photos.length : 0), 0)).toBe(100_000);
  });
});
