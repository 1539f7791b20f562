// The date filters' bounds as instants, worked out in one place so the catalog's SQL comparison and a vector server's
// payload range agree on every photo: a bare day covers the whole day, and a time without a zone is read the way
// photo dates are stored (camera clock time, written as UTC).
const BARE_DAY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_ZONE = /(?:[zZ]|[+-]\d{2}:?\d{2})$/;

function instant(value: string, end: boolean): string {
  const spelled = BARE_DAY.test(value) ? `${value}T${end ? '23:59:59.999' : '00:00:00.000'}Z` : HAS_ZONE.test(value) ? value : `${value}Z`;
  const ms = Date.parse(spelled);
  // A value no date parser reads is compared as typed (the search validates its own input before it gets here).
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/** Inclusive bounds on the date taken (or added) as ISO instants, in the form the catalog stores dates. */
export function takenBounds(filters: { from?: string | undefined; to?: string | undefined }): { from?: string; to?: string } {
  return {
    ...(filters.from ? { from: instant(filters.from, false) } : {}),
    ...(filters.to ? { to: instant(filters.to, true) } : {}),
  };
}
