// The window reopens where the person left it — unless that spot is now off every screen (a monitor unplugged),
// in which case it falls back to a centred default. Pure file + geometry code, no Electron.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const savedStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400),
  height: z.number().int().min(300),
  maximized: z.boolean().default(false),
});

export type WindowState = z.infer<typeof savedStateSchema>;

export const DEFAULT_SIZE = { width: 1280, height: 820 };

export function loadWindowState(file: string): WindowState | null {
  try {
    const parsed = savedStateSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state));
  fs.renameSync(tmp, file);
}

function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** The saved bounds if at least a quarter of the window is on some screen, else null (let the OS centre it). */
export function visibleBounds(saved: Rect | null, workAreas: Rect[]): Rect | null {
  if (!saved) return null;
  const area = saved.width * saved.height;
  const shown = workAreas.reduce((sum, workArea) => sum + overlapArea(saved, workArea), 0);
  return shown >= area / 4 ? saved : null;
}
