// The `glimpse` command: every subcommand is one or two calls on the same Api the window uses, printed for
// people (tables, a progress bar) or, with --json, for machines.
import path from 'node:path';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import type { GlimpseEvent, OperationName, OperationOutput, SearchHit } from '../src-preload/api';
import type { Api } from './api/api-types';
import { openApi, type OpenApiOptions } from './api';
import { loadConfig, type GlimpseConfig } from './config';
import { GlimpseError, describeError } from './errors';
import { registerFaceCommands, resolvePerson } from './cli-faces';
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
  try {
    return await run(api);
  } finally {
    await api.close();
  }
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

function formatHit(hit: SearchHit, explain: boolean): string {
  const base = `${hit.photo.id.toString().padStart(6)}  ${(hit.score * 100).toFixed(1).padStart(5)}%  ${hit.photo.path}`;
  if (!explain) return base;
  const local = hit.local === null ? '   —  ' : hit.local.toFixed(4);
  return `${base}\n        global ${hit.global.toFixed(4)}  local ${local}  final ${hit.final.toFixed(4)}  calibrated ${hit.calibrated.toFixed(4)}${hit.globalOnly ? '  (crops pending: global only)' : ''}`;
}

function hitsJson(hits: SearchHit[]) {
  return hits.map((h) => ({ id: h.photo.id, path: h.photo.path, score: h.score, global: h.global, local: h.local, final: h.final, calibrated: h.calibrated }));
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
    .action(async (folder: string, options: CommonOptions) => {
      await withApi(options, async (api) => {
        const info = await call(api, 'folders.add', { path: path.resolve(folder) });
        print(options, info, () => `Added ${info.path} (folder ${info.id}). Run \`glimpse index ${info.path}\` or \`glimpse watch\` to index it.`);
      });
    });

  common(program.command('index').description('scan a folder once, wait until every photo is indexed, and exit').argument('<folder>'))
    .action(async (folder: string, options: CommonOptions) => {
      await withApi(options, async (api) => {
        const stop = progressBar(api, options);
        const result = await call(api, 'folders.index', { path: path.resolve(folder) }).finally(stop);
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

  common(program.command('search').description('find photos by describing them').argument('<query...>'))
    .option('--limit <n>', 'how many results', (v) => Number(v), 20)
    .option('--explain', 'show every part of each score')
    .option('--folder <id>', 'only this library folder', (v) => Number(v))
    .option('--from <date>', 'taken on or after (YYYY-MM-DD)')
    .option('--to <date>', 'taken on or before (YYYY-MM-DD)')
    .option('--temperature <t>', 'sharpen (>1) or soften (<1) the scores', (v) => Number(v))
    .option('--cutoff <p>', 'drop results below this probability (0..1)', (v) => Number(v))
    .option('--person <name|id...>', 'only photos with this person (repeat for photos with all of them)')
    .action(async (words: string[], options: CommonOptions & { limit: number; explain?: boolean; folder?: number; from?: string; to?: string; temperature?: number; cutoff?: number; person?: string[] }) => {
      await withApi(options, async (api) => {
        const personIds = options.person ? await Promise.all(options.person.map((p) => resolvePerson(call, api, p))) : [];
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
        }).finally(stop);
        print(options, hitsJson(response.hits), () =>
          response.hits.length === 0
            ? `Nothing found for "${response.query}" (${response.candidates} candidates below the ${response.ranking.cutoff} cut-off).`
            : response.hits.map((h) => formatHit(h, Boolean(options.explain))).join('\n'),
        );
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

  common(program.command('serve').description('serve the Glimpse UI and Api in a browser on 127.0.0.1'))
    .option('--port <n>', 'port (default: a free one)', (v) => Number(v))
    .action(async (options: CommonOptions & { port?: number }) => {
      const { serveBrowserMode } = await import('./server/serve');
      await serveBrowserMode(configFor(options), { port: options.port });
    });

  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    const exitCode = error instanceof CliFailure ? error.exitCode : error instanceof GlimpseError && error.code === 'INVALID_INPUT' ? 2 : 1;
    process.stderr.write(`glimpse: ${describeError(error)}\n`);
    process.exitCode = exitCode;
  }
}

await runCli(process.argv);
