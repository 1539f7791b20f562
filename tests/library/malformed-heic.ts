// Malformed HEIC files made from the real fixture: the boxes that describe the image stay whole (so the header reads
// as HEIC) while the coded picture is cut short or wiped, which is what makes libheif fail loudly while decoding.
import fs from 'node:fs';
import path from 'node:path';

const HEIC_FIXTURE = path.join(import.meta.dirname, 'fixtures', 'two-tone.heic');

/** Writes `<dir>/truncated.heic` (its last 20 bytes cut off) and `<dir>/zeroed.heic` (its last 100 bytes zeroed). */
export function writeMalformedHeics(dir: string): string[] {
  const bytes = fs.readFileSync(HEIC_FIXTURE);
  fs.mkdirSync(dir, { recursive: true });
  const truncated = path.join(dir, 'truncated.heic');
  fs.writeFileSync(truncated, bytes.subarray(0, bytes.length - 20));
  const zeroed = path.join(dir, 'zeroed.heic');
  fs.writeFileSync(zeroed, Buffer.concat([bytes.subarray(0, bytes.length - 100), Buffer.alloc(100)]));
  return [truncated, zeroed];
}
