// A SearchCatalog over an array of rows, for search tests and the benchmark: the real one is the SQLite catalog,
// and what matters here is the search pipeline around it, not the SQL.
import type { PhotoSummary, SearchFilters } from '../../../src-preload/api';
import type { ExactDuplicate, SearchCatalog } from '../../../src-main/search/ports';

export function photoRow(id: number, overrides: Partial<PhotoSummary> = {}): PhotoSummary {
  return {
    id,
    path: `/photos/${id}.jpg`,
    folderId: 1,
    width: 4000,
    height: 3000,
    takenAt: '2024-06-01T12:00:00Z',
    addedAt: '2024-07-01T12:00:00Z',
    status: 'ready',
    ...overrides,
  };
}

export class InMemoryCatalog implements SearchCatalog {
  private readonly rows = new Map<number, PhotoSummary>();

  constructor(
    rows: PhotoSummary[],
    private readonly duplicates: ExactDuplicate[] = [],
  ) {
    for (const row of rows) this.rows.set(row.id, row);
  }

  remove(id: number): void {
    this.rows.delete(id);
  }

  async photos(ids: number[]): Promise<Map<number, PhotoSummary>> {
    const out = new Map<number, PhotoSummary>();
    for (const id of ids) {
      const row = this.rows.get(id);
      if (row) out.set(id, row);
    }
    return out;
  }

  async idsMatching(filters: SearchFilters): Promise<Set<number> | null> {
    if (filters.folderId === undefined && filters.from === undefined && filters.to === undefined) return null;
    const ids = new Set<number>();
    for (const row of this.rows.values()) {
      const day = (row.takenAt ?? row.addedAt).slice(0, 10);
      if (filters.folderId !== undefined && row.folderId !== filters.folderId) continue;
      if (filters.from !== undefined && day < filters.from.slice(0, 10)) continue;
      if (filters.to !== undefined && day > filters.to.slice(0, 10)) continue;
      ids.add(row.id);
    }
    return ids;
  }

  async idOfPath(path: string): Promise<number | null> {
    for (const row of this.rows.values()) if (row.path === path) return row.id;
    return null;
  }

  async exactDuplicates(): Promise<ExactDuplicate[]> {
    return this.duplicates;
  }
}
