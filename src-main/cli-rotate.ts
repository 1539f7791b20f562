// `glimpse rotate <photo> <left|right|0|90|180|270>`: turns a photo for showing, the way the viewer's buttons do; the
// file on disk is never rewritten.
import path from 'node:path';
import type { Command } from 'commander';
import type { RotateRequest } from '../src-preload/api';
import type { CliHelpers } from './cli-faces';
import { GlimpseError } from './errors';

const BY_WORD: Record<string, Omit<RotateRequest, 'ids'>> = {
  left: { by: -1 },
  right: { by: 1 },
  '0': { to: 0 },
  '90': { to: 1 },
  '180': { to: 2 },
  '270': { to: 3 },
};

/** What the second argument asks for: a turn from where the photo is now, or an absolute angle clockwise. */
export function rotationOfWord(word: string): Omit<RotateRequest, 'ids'> {
  const change = BY_WORD[word.trim().toLowerCase()];
  if (!change) throw new GlimpseError('INVALID_INPUT', `"${word}" is not a rotation: use left, right, 0, 90, 180 or 270 (degrees clockwise)`, word);
  return change;
}

export function registerRotateCommand(program: Command, { common, withApi, call, print }: CliHelpers): void {
  common(
    program
      .command('rotate')
      .description('turn a photo for showing (stored in the catalog; the file is never rewritten)')
      .argument('<photo>', 'a photo id or the path of a library photo')
      .argument('<rotation>', 'left or right (a quarter turn from now), or 0, 90, 180, 270 (degrees clockwise from the file)'),
  ).action(async (photo: string, word: string, options: { dataDir?: string; json?: boolean }) => {
    const change = rotationOfWord(word);
    await withApi(options, async (api) => {
      const { id } = await call(api, 'photos.get', /^\d+$/.test(photo) ? { id: Number(photo) } : { path: path.resolve(photo) });
      const [result] = await call(api, 'photos.rotate', { ids: [id], ...change });
      print(options, result, () => `Photo ${result.id} is shown turned ${result.rotation * 90}° clockwise${result.rotation === 0 ? ' (upright, as in the file)' : ''}.`);
    });
  });
}
