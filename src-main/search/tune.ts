// `glimpse tune "<query>"`: the same candidates scored under several weightings and temperatures side by side,
// so a person can see what each knob does to the order and to what the cut-off keeps before changing a setting.
import type { RankingSettings, TuneReport, TuneSetting } from '../../src-preload/api';
import type { PhotoVectors } from '../store/vectors/vector-store';
import { calibrate, rankCandidates, resolveRanking, type Calibration } from './ranking';

export const DEFAULT_TUNE_WEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [1, 0],
  [0.7, 0.3],
  [0.5, 0.5],
];
export const DEFAULT_TUNE_TEMPERATURES: readonly number[] = [0.5, 1, 2];

export interface TuneOptions {
  weights?: ReadonlyArray<readonly [number, number]>;
  temperatures?: readonly number[];
  limit?: number;
}

export function tuneTable(input: {
  query: string;
  model: string;
  queryVector: Float32Array;
  candidates: Map<number, PhotoVectors>;
  paths: Map<number, string>;
  current: RankingSettings;
  calibration: Calibration;
  options?: TuneOptions;
}): TuneReport {
  const { current, calibration, candidates, queryVector } = input;
  const limit = input.options?.limit ?? 10;
  const settings: TuneSetting[] = [];
  for (const [globalWeight, localWeight] of input.options?.weights ?? DEFAULT_TUNE_WEIGHTS) {
    for (const temperature of input.options?.temperatures ?? DEFAULT_TUNE_TEMPERATURES) {
      settings.push({ ...resolveRanking({ globalWeight, localWeight, temperature }, current), temperature });
    }
  }
  const rankedPerSetting = settings.map((setting) => {
    const ranked = rankCandidates(queryVector, candidates, { ...current, ...setting }, calibration);
    return new Map(ranked.map((candidate, position) => [candidate.id, { candidate, rank: position + 1 }]));
  });
  const byCurrent = rankCandidates(queryVector, candidates, current, calibration);
  const shown = byCurrent.filter(({ id }) => rankedPerSetting.some((ranks) => ranks.get(id)!.rank <= limit));
  return {
    query: input.query,
    model: input.model,
    logitScale: calibration.logitScale,
    logitBias: calibration.logitBias,
    cutoff: current.cutoff,
    settings,
    rows: shown.map(({ id, global, local }) => ({
      id,
      path: input.paths.get(id) ?? '',
      global,
      local,
      cells: settings.map((setting, s) => {
        const { candidate, rank } = rankedPerSetting[s].get(id)!;
        const calibrated = calibrate(candidate.final, calibration, setting.temperature);
        return { final: candidate.final, calibrated, rank, kept: calibrated >= current.cutoff };
      }),
    })),
  };
}

/** The report as a fixed-width text table for the terminal: one column per setting, "rank:probability" per cell. */
export function renderTuneTable(report: TuneReport): string {
  const header = ['id', 'global', 'local', ...report.settings.map((s) => `g${s.globalWeight.toFixed(2)} t${s.temperature}`)];
  const lines = report.rows.map((row) => [
    String(row.id),
    row.global.toFixed(4),
    row.local === null ? '—' : row.local.toFixed(4),
    ...row.cells.map((cell) => `${cell.rank}:${cell.calibrated.toFixed(3)}${cell.kept ? '' : '×'}`),
  ]);
  const widths = header.map((title, c) => Math.max(title.length, ...lines.map((line) => line[c].length)));
  const format = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ');
  const legend =
    `query "${report.query}" · model ${report.model} · scale ${report.logitScale.toFixed(3)} bias ${report.logitBias.toFixed(3)}` +
    ` · cut-off ${report.cutoff} (× = dropped) · cells are rank:calibrated, columns gW = global weight, t = temperature`;
  const paths = report.rows.map((row) => `${row.id}  ${row.path}`);
  return [legend, format(header), ...lines.map(format), '', ...paths].join('\n');
}
