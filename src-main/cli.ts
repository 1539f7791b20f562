// The `glimpse` command: every subcommand is one or two calls on the same Api the window uses, printed for
// people (tables, a progress bar) or, with --json, for machines.
import path from 'node:path';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import type { GlimpseEvent, OperationName, OperationOutput, SearchHit, SearchResponse } from '../src-preload/api';
import type { Api } from './api/api-types';
import { openApi, type OpenApiOptions } from './api';
import { loadConfig, type GlimpseConfig } from './config';
import { sendConsoleToStderr } from './console-to-stderr';
import { GlimpseError, describeError } from './errors';
import { deepHitsJson, expansionLine, formatDeepHit } from './search/deep-search-text';
import { registerFaceCommands, resolvePerson } from './cli-faces';
import { registerRotateCommand } from './cli-rotate';
import { renderTuneTable } from './search/tune';

interface CommonOptions {
  dataDir?: string;
  json?: boolean;
}

class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function configFor(options: CommonOptions): GlimpseConfig {
  return loadConfig({ overrides: options.dataDir ? { dataDir: options.dataDir } : {} });
}

async function call<K extends OperationName>(api: Api, operation: K, input: unknown): Promise<OperationOutput<K>> {
  const result = await api.invoke(operation, input);
  if (!result.ok) throw new CliFailure(result.error.message, result.error.code === 'INVALID_INPUT' ? 2 : 1);
  return result.value;
}

function print(options: CommonOptions, value: unknown, human: () => string): void {
  process.stdout.write(`${options.json ? JSON.stringify(value, null, 2) : human()}\n`);
}

/**
 * Opens the engine for one command and always closes it, so the catalog and vector files are left consistent. Only
 * `index` runs the import queue; the other commands read, or record changes for whichever process indexes.
 */
async function withApi<T>(options: CommonOptions, run: (api: Api) => Promise<T>, indexing: OpenApiOptions['indexing'] = false): Promise<T> {
  const api = await openApi(configFor(options), { indexing });
  api.subscribe(printWarnings);
  try {
    return await run(api);
  } finally {
    await api.close();
  }
}

/** Warnings the engine raises while a command runs (a rebuilt search index, a missing folder) go to stderr, never stdout. */
function printWarnings(event: GlimpseEvent): void {
  if (event.type === 'notice' && event.level !== 'info') process.stderr.write(`glimpse: ${event.level}: ${event.message}\n`);
}

/**
 * Progress bars on stderr for people (never with --json or when stderr is not a terminal): indexing progress and,
 * when a model is fetched on first use, its download.
 */
function progressBar(api: Api, options: CommonOptions, show: { indexing: boolean } = { indexing: true }): () => void {
  if (options.json || !process.stderr.isTTY) return () => {};
  const bars = new cliProgress.MultiBar({ stream: process.stderr, hideCursor: true, clearOnComplete: false }, cliProgress.Presets.shades_classic);
  const indexing = show.indexing
    ? bars.create(0, 0, { failed: 0, rate: '0.0' }, { format: 'indexing |{bar}| {value}/{total} photos · {failed} failed · {rate}/s · ETA {eta_formatted}' })
    : null;
  let download: cliProgress.SingleBar | null = null;
  const unsubscribe = api.subscribe((event: GlimpseEvent) => {
    if (event.type === 'progress' && indexing) {
      const { overall } = event.status;
      indexing.setTotal(overall.total);
      indexing.update(overall.done + overall.failed, { failed: overall.failed, rate: overall.rate.toFixed(1) });
    } else if (event.type === 'model' && event.model.download) {
      const { receivedBytes, totalBytes } = event.model.download;
      const mb = (bytes: number) => Math.round(bytes / 1e6);
      download ??= bars.create(0, 0, { model: event.model.id }, { format: 'downloading {model} |{bar}| {value}/{total} MB' });
      download.setTotal(mb(totalBytes ?? receivedBytes));
      download.update(mb(receivedBytes));
    }
  });
  return () => {
    unsubscribe();
    bars.stop();
  };
}

/** A captions bar on stderr while `describe` waits (people only, as progressBar). */
function describeProgress(api: Api, options: CommonOptions): () => void {
  if (options.json || !process.stderr.isTTY) return () => {};
  const bar = new cliProgress.SingleBar({ stream: process.stderr, hideCursor: true, format: 'describing |{bar}| {value}/{total} photos · ETA {eta_formatted}' }, cliProgress.Presets.shades_classic);
  bar.start(0, 0);
  const timer = setInterval(() => {
    void api.invoke('captions.status', undefined).then((result) => {
      if (!result.ok) return;
      const { progress } = result.value;
      bar.setTotal(progress.total);
      bar.update(progress.done + progress.failed);
    });
  }, 500);
  return () => {
    clearInterval(timer);
    bar.stop();
  };
}

function formatHit(hit: SearchHit, explain: boolean): string {
  const base = `${hit.photo.id.toString().padStart(6)}  ${(hit.score * 100).toFixed(1).padStart(5)}%  ${hit.photo.path}`;
  if (!explain) return base;
  const local = hit.local === null ? '   —  ' : hit.local.toFixed(4);
  return `${base}\n        global ${hit.global.toFixed(4)}  local ${local}  final ${hit.final.toFixed(4)}  calibrated ${hit.calibrated.toFixed(4)}${hit.globalOnly ? '  (crops pending: global only)' : ''}`;
}

/** "Showing results for", "did you mean" and the related words used, as the search box shows them. */
function queryWordsLines(response: SearchResponse): string[] {
  const lines: string[] = [];
  const { spelling, expansions } = response;
  if (spelling?.applied) lines.push(`Showing results for "${spelling.corrected}" — search instead for "${spelling.original}" with --exact`);
  else if (spelling) lines.push(`Did you mean "${spelling.corrected}"?`);
  const related = (expansions ?? []).filter((e) => e.relation !== 'prompt');
  if (related.length) lines.push(`Also searched: ${related.map((e) => `${e.term} (${e.relation} of ${e.word})`).join(', ')} — --no-expand to leave them out`);
  return lines;
}

function hitsJson(hits: SearchHit[]) {
  return hits.map((h) => ({ id: h.photo.id, path: h.photo.path, score: h.score, global: h.global, local: h.local, final: h.final, calibrated: h.calibrated }));
}

function describePhoto(details: OperationOutput<'photos.get'>): string {
  const { exif } = details;
  const camera = [exif.cameraMake, exif.cameraModel].filter(Boolean).join(' ');
  const exposure = [
    exif.focalLength ? `${exif.focalLength} mm` : null,
    exif.fNumber ? `f/${exif.fNumber}` : null,
    exif.exposureTime ? (exif.exposureTime >= 1 ? `${exif.exposureTime} s` : `1/${Math.round(1 / exif.exposureTime)} s`) : null,
    exif.iso ? `ISO ${exif.iso}` : null,
  ].filter(Boolean);
  const rows: [string, string | null][] = [
    ['id', String(details.id)],
    ['path', details.path],
    ['status', details.status],
    ['taken', details.takenAt],
    ['added', details.addedAt],
    ['size', `${details.width ?? '?'} × ${details.height ?? '?'}, ${details.sizeBytes} bytes, ${details.format ?? 'unknown format'}`],
    ['rotated', details.rotation ? `${details.rotation * 90}° clockwise for showing (the file is unchanged)` : null],
    ['camera', camera || null],
    ['lens', exif.lens],
    ['exposure', exposure.length ? exposure.join(', ') : null],
    ['place', exif.gpsLatitude !== null && exif.gpsLongitude !== null ? `${details.place ? `${details.place} ` : ''}(${exif.gpsLatitude}, ${exif.gpsLongitude})` : null],
    ['caption', details.caption],
    ['hash', details.hash],
    ['stages', Object.entries(details.stages).map(([stage, state]) => `${stage} ${state}`).join(', ') || null],
    ['error', details.error],
    ...details.duplicatePaths.map((copy): [string, string] => ['copy', copy]),
  ];
  return rows
    .filter(([, value]) => value)
    .map(([key, value]) => `${key.padEnd(9)}${value}`)
    .join('\n');
}

export function buildProgram(): Command {
  const program = new Command('glimpse')
    .description('Glimpse: a photo library that understands its photos')
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: false });

  const common = (command: Command) =>
    command
      .addOption(new Option('--data-dir <dir>', 'where the catalog, thumbnails and vectors live').env('GLIMPSE_DATA_DIR'))
      .option('--json', 'print JSON for machines');

  common(program.command('add').description('add a folder to the library and index it in the background').argument('<folder>'))
    .option('--yes', 'add it even if it is a whole disk or the parent of home folders')
    .action(async (folder: string, options: CommonOptions & { yes?: boolean }) => {
      await withApi(options, async (api) => {
        const info = await call(api, 'folders.add', { path: path.resolve(folder), ...(options.yes ? { confirm: true } : {}) });
        print(options, info, () => `Added ${info.path} (folder ${info.id}). Run \`glimpse index ${info.path}\` or \`glimpse watch\` to index it.`);
      });
    });

  common(program.command('index').description('scan a folder once, wait until every photo is indexed, and exit').argument('<folder>'))
    .option('--yes', 'index it even if it is a whole disk or the parent of home folders')
    .action(async (folder: string, options: CommonOptions & { yes?: boolean }) => {
      await withApi(options, async (api) => {
        const stop = progressBar(api, options);
        const result = await call(api, 'folders.index', { path: path.resolve(folder), ...(options.yes ? { confirm: true } : {}) }).finally(stop);
        print(options, result, () =>
          [
            `Indexed ${result.indexed} photos, ${result.duplicates} duplicates, ${result.failed.length} failed.`,
            ...result.failed.map((f) => `  failed: ${f.path}: ${f.error}`),
          ].join('\n'),
        );
      }, { watch: false, command: 'glimpse index' });
    });

  common(program.command('watch').description('index every library folder and keep following changes until interrupted'))
    .action(async (options: CommonOptions) => {
      const api = await openApi(configFor(options), { indexing: { watch: true, command: 'glimpse watch' } });
      api.subscribe(printWarnings);
      const stop = progressBar(api, options);
      const folders = await call(api, 'folders.list', undefined);
      process.stderr.write(`Watching ${folders.length} folder(s). Press Ctrl+C to stop.\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      stop();
      await api.close();
    });

  common(program.command('status').description('library folders and indexing progress'))
    .action(async (options: CommonOptions) => {
      await withApi(options, async (api) => {
        const status = await call(api, 'jobs.status', undefined);
        const folders = await call(api, 'folders.list', undefined);
        print(options, { status, folders }, () =>
          [
            `${status.paused ? 'Paused' : 'Running'}: ${status.overall.done}/${status.overall.total} photos indexed, ${status.overall.failed} failed, ${status.overall.pending} pending; background ${status.background.done}/${status.background.total}.`,
            ...folders.map((f) => `  [${f.id}] ${f.path}: ${f.ready} ready, ${f.pending} pending, ${f.failed} failed, ${f.duplicates} duplicates`),
          ].join('\n'),
        );
      });
    });

  common(program.command('gallery').description('list photos, newest first'))
    .option('--page <n>', 'page number', (v) => Number(v), 1)
    .option('--page-size <n>', 'photos per page', (v) => Number(v), 50)
    .addOption(new Option('--sort <key>', 'sort by date taken or date added').choices(['taken', 'added']).default('taken'))
    .action(async (options: CommonOptions & { page: number; pageSize: number; sort: 'taken' | 'added' }) => {
      await withApi(options, async (api) => {
        const page = await call(api, 'gallery.page', { page: options.page, pageSize: options.pageSize, sort: options.sort });
        print(options, page, () =>
          [
            `Page ${page.page} of ${Math.max(1, Math.ceil(page.total / page.pageSize))} (${page.total} photos)`,
            ...page.items.map((p) => `${p.id.toString().padStart(6)}  ${(p.takenAt ?? p.addedAt).slice(0, 10)}  ${p.status.padEnd(7)}  ${p.path}`),
          ].join('\n'),
        );
      });
    });

  common(program.command('rm').description('remove photos from the library by id').argument('<ids...>'))
    .option('--trash', 'also move the files to the trash')
    .action(async (ids: string[], options: CommonOptions & { trash?: boolean }) => {
      await withApi(options, async (api) => {
        const result = await call(api, 'photos.delete', { ids: ids.map(Number), moveToTrash: Boolean(options.trash) });
        print(options, result, () =>
          [`Removed ${result.removed} photo(s)${options.trash ? `, ${result.trashed} moved to the trash` : ''}.`, ...result.failed.map((f) => `  failed: ${f.path}: ${f.error}`)].join('\n'),
        );
      });
    });

  common(program.command('deleted').description('photos removed in the last 30 days, which `glimpse restore` puts back'))
    .action(async (options: CommonOptions) => {
      await withApi(options, async (api) => {
        const entries = await call(api, 'photos.deleted', undefined);
        const rows = entries.map(({ thumbnail: _thumbnail, ...entry }) => entry);
        print(options, rows, () =>
          rows.length === 0
            ? 'Nothing was removed in the last 30 days.'
            : rows
                .map((e) => `${e.id.toString().padStart(6)}  removed ${e.deletedAt.slice(0, 10)}  ${e.inTrash ? 'in the system trash' : `restorable until ${e.expiresAt.slice(0, 10)}`}  ${e.path}`)
                .join('\n'),
        );
      });
    });

  common(program.command('restore').description('put recently deleted photos back (ids from `glimpse deleted`)').argument('<ids...>'))
    .action(async (ids: string[], options: CommonOptions) => {
      await withApi(options, async (api) => {
        const result = await call(api, 'photos.restore', { ids: ids.map(Number) });
        print(options, result, () =>
          [`Restored ${result.restored} photo(s); they are indexed again by the app, \`glimpse index\` or \`glimpse watch\`.`, ...result.failed.map((f) => `  failed: ${f.path}: ${f.error}`)].join('\n'),
        );
      });
    });

  common(program.command('favourite').description('mark photos as favourites (♥), or unmark them with --remove').argument('<ids...>'))
    .option('--remove', 'take them out of the favourites')
    .action(async (ids: string[], options: CommonOptions & { remove?: boolean }) => {
      await withApi(options, async (api) => {
        const result = await call(api, 'photos.favourite', { ids: ids.map(Number), favourite: !options.remove });
        print(options, result, () => `${options.remove ? 'Unmarked' : 'Marked'} ${result.ids.length} photo(s) as favourite${options.remove ? 's' : ''}.`);
      });
    });

  common(program.command('favourites').description('the favourite photos, newest first'))
    .action(async (options: CommonOptions) => {
      await withApi(options, async (api) => {
        const photos = await call(api, 'gallery.favourites', undefined);
        print(options, photos, () => (photos.length ? photos.map((p) => `${p.id.toString().padStart(6)}  ${(p.takenAt ?? p.addedAt).slice(0, 10)}  ${p.path}`).join('\n') : 'No favourites yet.'));
      });
    });

  common(program.command('export').description('copy photos (originals, bytes unchanged) into a folder, never overwriting a file there').argument('<photos...>', 'photo ids or paths of library photos'))
    .requiredOption('--to <folder>', 'the folder to copy into (created if its parent exists)')
    .action(async (photos: string[], options: CommonOptions & { to: string }) => {
      await withApi(options, async (api) => {
        const ids: number[] = [];
        for (const photo of photos) ids.push(/^\d+$/.test(photo) ? Number(photo) : (await call(api, 'photos.get', { path: path.resolve(photo) })).id);
        const result = await call(api, 'photos.export', { ids, folder: path.resolve(options.to) });
        print(options, result, () =>
          [
            `Exported ${result.exported.length} photo(s) to ${result.folder}.`,
            ...result.exported.filter((e) => path.basename(e.to) !== path.basename(e.from)).map((e) => `  ${path.basename(e.from)} → ${path.basename(e.to)} (the name was taken)`),
            ...result.failed.map((f) => `  failed: ${f.path ?? `#${f.id}`}: ${f.error}`),
          ].join('\n'),
        );
        if (result.failed.length) process.exitCode = 1;
      });
    });

  common(program.command('info').description("a photo's details: EXIF, place, indexing stages, copies, errors").argument('<photo>', 'a photo id or the path of a library photo'))
    .action(async (photo: string, options: CommonOptions) => {
      await withApi(options, async (api) => {
        const details = await call(api, 'photos.get', /^\d+$/.test(photo) ? { id: Number(photo) } : { path: path.resolve(photo) });
        print(options, details, () => describePhoto(details));
      });
    });

  common(program.command('search').description('find photos by describing them').argument('<query...>'))
    .option('--limit <n>', 'how many results', (v) => Number(v), 20)
    .option('--explain', 'show every part of each score')
    .option('--folder <id>', 'only this library folder', (v) => Number(v))
    .option('--from <date>', 'taken on or after (YYYY-MM-DD)')
    .option('--to <date>', 'taken on or before (YYYY-MM-DD)')
    .option('--temperature <t>', 'sharpen (>1) or soften (<1) the scores', (v) => Number(v))
    .option('--cutoff <p>', 'drop results below this probability (0..1)', (v) => Number(v))
    .option('--deep', 'also search the words written about photos, printed in them and in their captions, fused with the image model')
    .option('--no-expand', 'search only the words typed, without related words (WordNet)')
    .option('--exact', 'no spelling correction: search exactly what was typed')
    .option('--person <name|id...>', 'only photos with this person (repeat for photos with all of them)')
    .action(async (words: string[], options: CommonOptions & { limit: number; explain?: boolean; folder?: number; from?: string; to?: string; temperature?: number; cutoff?: number; deep?: boolean; expand: boolean; exact?: boolean; person?: string[] }) => {
      await withApi(options, async (api) => {
        const personIds = options.person ? await Promise.all(options.person.map((p) => resolvePerson(call, api, p))) : [];
        if (options.deep) {
          const filters = {
            ...(options.folder !== undefined ? { folderId: options.folder } : {}),
            ...(options.from ? { from: options.from } : {}),
            ...(options.to ? { to: options.to } : {}),
            ...(personIds.length ? { personIds } : {}),
          };
          const deep = await call(api, 'search.deep', { query: words.join(' '), limit: options.limit, ...filters, ...(options.expand ? {} : { expand: false }) });
          print(options, deepHitsJson(deep), () =>
            [...deep.notes.map((n) => `note: ${n}`), ...expansionLine(deep.expansions), ...(deep.hits.length === 0 ? [`Nothing found for "${deep.query}".`] : deep.hits.map((h) => formatDeepHit(h, Boolean(options.explain))))].join('\n'),
          );
          return;
        }
        const ranking = Object.fromEntries(Object.entries({ temperature: options.temperature, cutoff: options.cutoff }).filter(([, v]) => v !== undefined));
        const stop = progressBar(api, options, { indexing: false });
        const response = await call(api, 'search.query', {
          query: words.join(' '),
          limit: options.limit,
          ...(options.folder !== undefined ? { folderId: options.folder } : {}),
          ...(options.from ? { from: options.from } : {}),
          ...(options.to ? { to: options.to } : {}),
          ...(personIds.length ? { personIds } : {}),
          ...(Object.keys(ranking).length ? { ranking } : {}),
          ...(options.expand ? {} : { expand: false }),
          ...(options.exact ? { correctSpelling: false } : {}),
          remember: true,
        }).finally(stop);
        const json = { query: response.query, hits: hitsJson(response.hits), spelling: response.spelling ?? null, expansions: response.expansions ?? [] };
        print(options, json, () =>
          [
            ...queryWordsLines(response),
            response.hits.length === 0
              ? `Nothing found for "${response.query}" (${response.candidates} candidates below the ${response.ranking.cutoff} cut-off).`
              : response.hits.map((h) => formatHit(h, Boolean(options.explain))).join('\n'),
          ].join('\n'),
        );
      });
    });

  common(program.command('ocr').description('read the text printed in an image file').argument('<image>'))
    .action(async (image: string, options: CommonOptions) => {
      await withApi(options, async (api) => {
        const result = await call(api, 'ocr.read', { path: path.resolve(image) });
        print(options, result, () =>
          result.lines.length === 0 ? 'No text found.' : result.lines.map((l) => `${l.score.toFixed(2)}  [${l.box.join(', ')}]  ${l.text}`).join('\n'),
        );
      });
    });

  common(program.command('spell').description('correct the spelling of a query, keeping the library\'s own names').argument('<query...>'))
    .action(async (words: string[], options: CommonOptions) => {
      await withApi(options, async (api) => {
        const result = await call(api, 'spell.check', { query: words.join(' ') });
        print(options, { corrected: result.corrected, suggestions: result.suggestions, changed: result.changed }, () =>
          result.changed.length === 0 ? `"${result.query}" is spelt as the dictionary and the library spell it.` : [result.corrected, ...result.suggestions.slice(1).map((s) => `  or: ${s}`)].join('\n'),
        );
      });
    });

  common(program.command('suggest').description('completions for what is typed so far, from the library and recent searches').argument('<prefix...>'))
    .option('--limit <n>', 'how many suggestions', (v) => Number(v), 8)
    .action(async (words: string[], options: CommonOptions & { limit: number }) => {
      await withApi(options, async (api) => {
        const result = await call(api, 'search.suggest', { prefix: words.join(' '), limit: options.limit });
        print(options, { suggestions: result.suggestions }, () =>
          result.suggestions.map((s) => `${s.text}  (${s.kind}${s.count === null ? '' : `, ${s.count} photo${s.count === 1 ? '' : 's'}`})`).join('\n') || 'No suggestions.',
        );
      });
    });

  common(program.command('history').description('recent and pinned searches (stored on this computer only)'))
    .option('--pin <query>', 'pin a search')
    .option('--unpin <query>', 'unpin a search')
    .option('--clear', 'forget recent searches (pinned ones stay)')
    .option('--clear-all', 'forget every search, pinned ones too')
    .action(async (options: CommonOptions & { pin?: string; unpin?: string; clear?: boolean; clearAll?: boolean }) => {
      await withApi(options, async (api) => {
        let entries = await call(api, 'history.list', undefined);
        if (options.pin) entries = await call(api, 'history.pin', { query: options.pin, pinned: true });
        if (options.unpin) entries = await call(api, 'history.pin', { query: options.unpin, pinned: false });
        if (options.clear || options.clearAll) entries = await call(api, 'history.clear', { includingPinned: Boolean(options.clearAll) });
        print(options, entries, () => entries.map((e) => `${e.pinned ? 'pinned' : '      '}  ${e.lastUsedAt.slice(0, 16).replace('T', ' ')}  ${e.query}`).join('\n') || 'No searches remembered.');
      });
    });

  common(program.command('similar').description('photos like a library photo (by id) or like an image file').argument('<photo>'))
    .option('--limit <n>', 'how many results', (v) => Number(v), 20)
    .action(async (photo: string, options: CommonOptions & { limit: number }) => {
      await withApi(options, async (api) => {
        const source = /^\d+$/.test(photo) ? { id: Number(photo) } : { path: path.resolve(photo) };
        const response = await call(api, 'search.similar', { ...source, limit: options.limit });
        print(options, hitsJson(response.hits), () => response.hits.map((h) => formatHit(h, false)).join('\n') || 'No similar photos.');
      });
    });

  common(program.command('duplicates').description('groups of identical and near-identical photos'))
    .option('--threshold <cos>', 'near-duplicate similarity (0.5..1)', (v) => Number(v))
    .action(async (options: CommonOptions & { threshold?: number }) => {
      await withApi(options, async (api) => {
        const groups = await call(api, 'search.duplicates', options.threshold === undefined ? {} : { threshold: options.threshold });
        print(options, groups, () =>
          groups.length === 0
            ? 'No duplicates.'
            : groups
                .map((g) => `${g.kind === 'exact' ? 'identical' : `near (≥ ${g.similarity.toFixed(3)})`}:\n${[...g.photos.map((p) => `  ${p.id}  ${p.path}`), ...g.copies.map((c) => `  copy  ${c}`)].join('\n')}`)
                .join('\n'),
        );
      });
    });

  common(program.command('tune').description('score table of the top results at several temperatures and weights').argument('<query...>'))
    .option('--limit <n>', 'how many results', (v) => Number(v), 10)
    .action(async (words: string[], options: CommonOptions & { limit: number }) => {
      await withApi(options, async (api) => {
        const table = await call(api, 'search.tune', { query: words.join(' '), limit: options.limit });
        print(options, table, () => renderTuneTable(table));
      });
    });

  common(program.command('describe').description('caption photos with the VLM (turns captions on); waits until they are described'))
    .argument('[ids...]', 'photo ids (default: --missing)')
    .option('--all', 'describe every photo again')
    .option('--missing', 'describe the photos without a caption from the current model and prompt')
    .option('--prompt <text>', 'the prompt to caption with from now on (saved in the settings)')
    .action(async (ids: string[], options: CommonOptions & { all?: boolean; missing?: boolean; prompt?: string }) => {
      const chosen = [options.all, options.missing, ids.length > 0].filter(Boolean).length;
      if (chosen > 1) throw new CliFailure('choose one of --all, --missing or photo ids', 2);
      const numbers = ids.map(Number);
      if (numbers.some((n) => !Number.isSafeInteger(n) || n < 1)) throw new CliFailure(`not photo ids: ${ids.join(' ')}`, 2);
      const scope = options.all ? { all: true } : numbers.length > 0 ? { ids: numbers } : { missing: true };
      await withApi(options, async (api) => {
        const stop = describeProgress(api, options);
        const result = await call(api, 'captions.describe', { ...scope, ...(options.prompt !== undefined ? { prompt: options.prompt } : {}), wait: true }).finally(stop);
        print(options, result, () =>
          [
            `Described ${result.photos.filter((p) => p.status === 'done').length} of ${result.queued} photo(s) with ${result.status.model}.`,
            ...result.photos.map((p) => `${String(p.id).padStart(6)}  ${p.status === 'failed' ? `failed: ${p.error}` : p.caption === '' ? '(the model gave no caption)' : p.caption}  ${p.path}`),
          ].join('\n'),
        );
      }, { watch: false, command: 'glimpse describe' });
    });

  common(program.command('doctor').description('check models, device, catalog and data folders'))
    .action(async (options: CommonOptions) => {
      await withApi(options, async (api) => {
        const report = await call(api, 'system.doctor', undefined);
        print(options, report, () =>
          [
            `Glimpse ${report.version} on Node ${report.node} (${report.platform})`,
            `data dir:   ${report.dataDir}`,
            `models dir: ${report.modelsDir}`,
            `catalog:    ${report.catalog}`,
            `vectors:    ${report.vectors}`,
            `device:     ${report.device}`,
            ...report.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`),
            ...report.models.map((m) => `${m.present ? 'ok  ' : 'MISSING'}  model ${m.id}${m.active ? ' (active)' : ''}${m.present ? ` on ${m.device ?? 'cpu'}` : `: ${m.remedy}`}`),
          ].join('\n'),
        );
        if (report.checks.some((c) => !c.ok)) process.exitCode = 1;
      });
    });

  common(program.command('migrate').description('move the library to PostgreSQL or Qdrant, or back to the embedded default, and verify'))
    .requiredOption('--to <target>', "a PostgreSQL URL (postgres://…), a Qdrant URL (http://…:6333) or 'embedded'")
    .action(async (options: CommonOptions & { to: string }) => {
      if (options.to !== 'embedded' && !/^(postgres(ql)?|https?):\/\//.test(options.to)) {
        throw new CliFailure(`--to ${options.to} is none of the targets: give a PostgreSQL URL (postgres://user:password@host:5432/db), a Qdrant URL (http://host:6333) or 'embedded'`, 2);
      }
      await withApi(options, async (api) => {
        const config = configFor(options);
        const toEmbedded = options.to === 'embedded';
        const moveCatalog = toEmbedded ? config.databaseUrl !== null : /^postgres(ql)?:\/\//.test(options.to);
        const moveVectors = toEmbedded ? config.qdrantUrl !== null : !moveCatalog;
        if (toEmbedded && !moveCatalog && !moveVectors) throw new Error('The library is already embedded (SQLite catalog, embedded vectors): nothing to move');
        const catalog = moveCatalog ? await call(api, 'catalog.migrate', { to: toEmbedded ? 'sqlite' : options.to }) : null;
        const vectors = moveVectors ? await call(api, 'vectors.migrate', { to: toEmbedded ? 'embedded' : options.to }) : null;
        print(options, { catalog, vectors }, () =>
          [
            ...(catalog
              ? [
                  `catalog: ${catalog.from} → ${catalog.to}`,
                  ...catalog.tables.map((t) => `  ${t.table}: ${t.source} → ${t.target}`),
                  `  counts ${catalog.countsMatch ? 'match' : 'DIFFER'}; first timeline page ${catalog.galleryMatches ? 'identical' : 'DIFFERS'}`,
                  `  next: ${catalog.next}`,
                ]
              : []),
            ...(vectors
              ? [
                  `vectors: ${vectors.from} → ${vectors.to}`,
                  `  ${vectors.seen} photos: ${vectors.copied} copied, ${vectors.skipped} already there`,
                  `  counts ${vectors.counts.match ? 'match' : 'DIFFER'}: ${vectors.counts.source.photos} → ${vectors.counts.target.photos} photos, ${vectors.counts.source.withCrops} → ${vectors.counts.target.withCrops} with crops`,
                  `  top 10 identical for ${vectors.identicalTop10} of ${vectors.sampled} sample photos`,
                  `  faces: ${vectors.faces.seen} seen, ${vectors.faces.copied} copied; counts ${vectors.faces.counts.match ? 'match' : 'DIFFER'} (${vectors.faces.counts.source} → ${vectors.faces.counts.target}); top 10 identical for ${vectors.faces.identicalTop10} of ${vectors.faces.sampled} sample faces`,
                  `  next: ${vectors.next}`,
                ]
              : []),
          ].join('\n'),
        );
        const failed = (catalog && (!catalog.countsMatch || !catalog.galleryMatches)) || (vectors && (!vectors.counts.match || vectors.identicalTop10 < vectors.sampled || !vectors.faces.counts.match || vectors.faces.identicalTop10 < vectors.faces.sampled));
        if (failed) process.exitCode = 1;
      });
    });

  const models = program.command('models').description('list or download models');
  common(models.command('list').description('models known to Glimpse and whether they are present'))
    .action(async (options: CommonOptions) => {
      await withApi(options, async (api) => {
        const list = await call(api, 'models.list', undefined);
        print(options, list, () => list.map((m) => `${m.present ? 'present' : 'missing'}  ${m.id}${m.active ? ' (active)' : ''}  ${m.dir}`).join('\n'));
      });
    });
  common(models.command('download').description('download a model into the models folder').argument('<id>'))
    .action(async (id: string, options: CommonOptions) => {
      await withApi(options, async (api) => {
        const stop = progressBar(api, options, { indexing: false });
        const info = await call(api, 'models.download', { id }).finally(stop);
        print(options, info, () => `${info.id} is ready in ${info.dir}`);
      });
    });

  registerFaceCommands(program, { common, withApi, call, print });
  registerRotateCommand(program, { common, withApi, call, print });

  common(program.command('serve').description('serve the Glimpse UI and Api in a browser on 127.0.0.1'))
    .option('--port <n>', 'port (default: a free one)', (v) => Number(v))
    .action(async (options: CommonOptions & { port?: number }) => {
      const { serveBrowserMode } = await import('./server/serve');
      await serveBrowserMode(configFor(options), { port: options.port, log: (line) => process.stdout.write(`${line}\n`) });
    });

  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  // Only print() writes to stdout, so --json output stays parseable whatever a library logs.
  sendConsoleToStderr();
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    const exitCode = error instanceof CliFailure ? error.exitCode : error instanceof GlimpseError && error.code === 'INVALID_INPUT' ? 2 : 1;
    process.stderr.write(`glimpse: ${describeError(error)}\n`);
    process.exitCode = exitCode;
  }
}

await runCli(process.argv);
