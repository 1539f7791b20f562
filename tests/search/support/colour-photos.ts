// Photos described as grids of colour names, embedded the way the fixture SigLIP does (a normalised histogram
// over 11 basic colours, globally and per crop), so ranking tests use vectors whose meaning is known exactly.
import type { TextEmbedder } from '../../../src-main/search/ports';

export const COLOURS = ['black', 'white', 'red', 'green', 'yellow', 'blue', 'brown', 'orange', 'pink', 'purple', 'gray'] as const;
export type Colour = (typeof COLOURS)[number];

/** A square grid of colour names, row by row; its side must be even so the 2×2 crop cells split it evenly. */
export type ColourGrid = Colour[][];

export function uniform(colour: Colour, side = 4): ColourGrid {
  return Array.from({ length: side }, () => Array.from({ length: side }, () => colour));
}

/** `base` with the listed [row, column] cells painted `colour`. */
export function paint(base: ColourGrid, colour: Colour, cells: Array<[number, number]>): ColourGrid {
  const grid = base.map((row) => [...row]);
  for (const [r, c] of cells) grid[r][c] = colour;
  return grid;
}

function histogram(grid: ColourGrid, rows: [number, number], cols: [number, number]): Float32Array {
  const counts = new Float32Array(COLOURS.length);
  for (let r = rows[0]; r < rows[1]; r++) for (let c = cols[0]; c < cols[1]; c++) counts[COLOURS.indexOf(grid[r][c])] += 1;
  const total = (rows[1] - rows[0]) * (cols[1] - cols[0]);
  return counts.map((count) => count / total);
}

/** The global histogram and the 5 crops of the indexing pass: the centre and the four cells of a 2×2 grid. */
export function embedGrid(grid: ColourGrid): { global: Float32Array; crops: Float32Array[] } {
  const side = grid.length;
  const half = side / 2;
  const quarter = side / 4;
  return {
    global: histogram(grid, [0, side], [0, side]),
    crops: [
      histogram(grid, [quarter, side - quarter], [quarter, side - quarter]),
      histogram(grid, [0, half], [0, half]),
      histogram(grid, [0, half], [half, side]),
      histogram(grid, [half, side], [0, half]),
      histogram(grid, [half, side], [half, side]),
    ],
  };
}

/** The fixture text tower's behaviour: each colour word is its axis, other words contribute nothing, averaged. */
export function colourTextEmbedder(calibration = { logitScale: 10, logitBias: -5 }): TextEmbedder & { calls: string[] } {
  const calls: string[] = [];
  return {
    modelId: 'glimpse-fixtures/siglip-colour',
    ...calibration,
    calls,
    async embedText(query: string) {
      calls.push(query);
      const vector = new Float32Array(COLOURS.length);
      const words = query.toLowerCase().split(/[^a-z]+/).filter(Boolean);
      for (const word of words) {
        const axis = COLOURS.indexOf(word as Colour);
        if (axis >= 0) vector[axis] += 1 / words.length;
      }
      return vector;
    },
  };
}
