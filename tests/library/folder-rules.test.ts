// The folders Glimpse refuses, skips or asks about: its own data dir (whose thumbnails it would index without end),
// system folders such as /proc (whose links reach the whole disk), and a whole disk or every user's home.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GlimpseError } from '../../src-main/errors';
import { broadFolderReason, systemFolderOf } from '../../src-main/library/folder-rules';
import { writePhoto } from '../fixtures/photos';
import { type Harness, makeHarness } from './library-harness';

let harness: Harness | undefined;
const extraDirs: string[] = [];
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
  for (const dir of extraDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  extraDirs.push(dir);
  return dir;
}

async function refusal(promise: Promise<unknown>): Promise<GlimpseError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GlimpseError);
  return error as GlimpseError;
}

describe('the data dir', () => {
  it('is refused as a library folder, with anything inside it, and the imported photos stay in the library', async () => {
    harness = await makeHarness();
    const { library, config, photos } = harness;
    const outside = await writePhoto(path.join(photos, 'to-import.jpg'), { seed: 1 });
    expect((await library.importFiles([outside])).indexed).toBe(1);
    const link = path.join(harness.root, 'link-to-data');
    fs.symlinkSync(config.dataDir, link);

    for (const folder of [config.dataDir, path.join(config.dataDir, 'thumbnails'), path.join(config.dataDir, 'Imported'), link]) {
      const error = await refusal(library.addFolder(folder));
      expect(error.code, folder).toBe('FOLDER_REFUSED');
      expect(error.message).toMatch(/Glimpse's own data folder .*cannot be a library folder/);
      expect((await refusal(library.indexFolder(folder))).code).toBe('FOLDER_REFUSED');
    }

    const folders = await library.listFolders();
    expect(folders).toHaveLength(1);
    expect(folders[0]).toMatchObject({ managed: true, ready: 1, total: 1 });
  });

  it('is skipped inside a folder that contains it, named through a link, in scans and while watching; removing that folder keeps imported photos', async () => {
    // The data dir is reached through a link, as when ~/.config lives on another disk.
    const outer = tempDir('glimpse-outer-');
    fs.mkdirSync(path.join(outer, 'data-real'));
    fs.symlinkSync(path.join(outer, 'data-real'), path.join(outer, 'data-link'));
    const own = await writePhoto(path.join(outer, 'photos', 'own.jpg'), { seed: 7 });
    harness = await makeHarness({ watch: true, config: { dataDir: path.join(outer, 'data-link') } });
    const { library, catalog } = harness;
    const first = await writePhoto(path.join(harness.photos, 'first.jpg'), { seed: 1 });
    expect((await library.importFiles([first])).indexed).toBe(1);

    const added = await library.addFolder(outer);
    await library.waitForIdle();
    // New thumbnails and imported copies appear inside the data dir while the parent folder is watched.
    const second = await writePhoto(path.join(harness.photos, 'second.jpg'), { seed: 2 });
    expect((await library.importFiles([second])).indexed).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await library.waitForIdle();

    const byId = new Map((await library.listFolders()).map((f) => [f.id, f]));
    expect(byId.get(added.id)).toMatchObject({ total: 1, ready: 1 });
    expect((await catalog.getImageByPath(own))?.folder_id).toBe(added.id);

    await library.removeFolder(added.id);
    const left = await library.listFolders();
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ managed: true, ready: 2, total: 2 });
  });
});

describe('library folders added before these rules', () => {
  it('are left alone with a notice when they are the data dir or a system folder', async () => {
    harness = await makeHarness();
    await harness.catalog.insertFolder(harness.config.dataDir);
    await harness.catalog.insertFolder('/proc');
    harness.events.length = 0;
    await harness.reopen({ watch: true });
    await harness.library.waitForIdle();

    const notices = harness.events.flatMap((e) => (e.type === 'notice' ? [e.message] : []));
    expect(notices).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Library folder .* is Glimpse's own data folder .* Remove it from the library; nothing in it is scanned or watched\.$/),
        expect.stringMatching(/^Library folder \/proc is a system folder .* Remove it from the library/),
      ]),
    );
    for (const folder of await harness.library.listFolders()) expect(folder.total, folder.path).toBe(0);
  });
});

describe('system folders', () => {
  it.each(['/proc', '/proc/self', '/sys', '/dev', '/run'].filter((folder) => fs.existsSync(folder)))('refuses %s, naming why', async (folder) => {
    harness = await makeHarness();
    const error = await refusal(harness.library.addFolder(folder));
    expect(error.code).toBe('FOLDER_REFUSED');
    expect(error.message).toMatch(/a system folder of the operating system .* not photos; it cannot be a library folder/);
    expect(await harness.library.listFolders()).toHaveLength(0);
  });

  it('refuses a link to /proc and never follows links into /proc from a library folder', async () => {
    harness = await makeHarness();
    const { library, photos, root } = harness;
    const elsewhere = tempDir('glimpse-elsewhere-');
    await writePhoto(path.join(elsewhere, 'far.jpg'), { seed: 3 });
    await writePhoto(path.join(photos, 'here.jpg'), { seed: 4 });
    // /proc/self/root leads to the whole file system: a link through it must not pull other folders in.
    fs.symlinkSync(path.join('/proc/self/root', elsewhere), path.join(photos, 'through-proc'));
    fs.symlinkSync('/proc/self/environ', path.join(photos, 'environ.jpg'));
    fs.symlinkSync('/proc', path.join(root, 'proc-link'));

    expect((await refusal(library.addFolder(path.join(root, 'proc-link')))).code).toBe('FOLDER_REFUSED');
    const report = await library.indexFolder(photos);

    expect(report.indexed).toBe(1);
    const causes = Object.fromEntries(report.failed.map((f) => [path.basename(f.path), f.error]));
    expect(causes).toEqual({
      'environ.jpg': 'not followed: this link leads into /proc, a system folder, not to photos',
      'through-proc': 'not followed: this link leads into /proc, a system folder, not to photos',
    });
  });
});

describe('folders that need a yes', () => {
  it('names a disk root, the parent of home folders and the folder of mounted drives', () => {
    expect(broadFolderReason('/', '/home/ann')).toMatch(/root of a whole disk/);
    expect(broadFolderReason('/home', '/home/ann')).toMatch(/home folders of every user/);
    expect(broadFolderReason('/srv/people', '/srv/people/ann')).toMatch(/home folders of every user/);
    expect(broadFolderReason('/Users', '/home/ann')).toMatch(/home folders of every user/);
    expect(broadFolderReason('/media', '/home/ann')).toMatch(/every mounted drive/);
    expect(broadFolderReason('/home/ann', '/home/ann')).toBeNull();
    expect(broadFolderReason('/media/ann/card', '/home/ann')).toBeNull();
    expect(broadFolderReason('/run/media', '/home/ann')).toMatch(/every mounted drive/);
  });

  it('treats drives mounted under /run/media as drives, not as the system folder /run', () => {
    expect(systemFolderOf('/run/media/ann/CARD/DCIM')).toBeNull();
    expect(systemFolderOf('/run/user/1000')).toBe('/run');
    expect(systemFolderOf('/proc/self/cwd')).toBe('/proc');
    expect(systemFolderOf('/processed-photos')).toBeNull();
  });

  it('asks before adding the disk root, and adds a home directory’s parent only when confirmed', async () => {
    harness = await makeHarness();
    const { library, root } = harness;
    const asked = await refusal(library.addFolder('/'));
    expect(asked.code).toBe('CONFIRMATION_REQUIRED');
    expect(asked.message).toMatch(/^\/ is the root of a whole disk: .*confirm, or --yes/);

    const homes = path.join(root, 'homes');
    await writePhoto(path.join(homes, 'ann', 'beach.jpg'), { seed: 5 });
    const savedHome = process.env.HOME;
    process.env.HOME = path.join(homes, 'ann');
    try {
      expect((await refusal(library.addFolder(homes))).code).toBe('CONFIRMATION_REQUIRED');
      expect((await refusal(library.indexFolder(homes))).code).toBe('CONFIRMATION_REQUIRED');
      expect(await library.listFolders()).toHaveLength(0);
      await library.addFolder(homes, { confirm: true });
      // Once in the library, indexing it again needs no second yes.
      expect((await library.indexFolder(homes)).indexed).toBe(1);
    } finally {
      process.env.HOME = savedHome;
    }
  });
});

describe('data dir permissions', () => {
  it.skipIf(process.platform === 'win32')('makes the data dir private to its owner, also one made world-readable before', async () => {
    const outer = tempDir('glimpse-perms-');
    const dataDir = path.join(outer, 'data');
    // What an earlier version left under umask 022: a 0755 data dir with 0644 files.
    fs.mkdirSync(path.join(dataDir, 'thumbnails'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'settings.json'), '{}');
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(path.join(dataDir, 'thumbnails'), 0o755);
    fs.chmodSync(path.join(dataDir, 'settings.json'), 0o644);
    harness = await makeHarness({ config: { dataDir } });
    await writePhoto(path.join(harness.photos, 'a.jpg'), { seed: 1 });
    await harness.library.indexFolder(harness.photos);
    await harness.reopen();

    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    const entries = fs.readdirSync(dataDir);
    expect(entries).toEqual(expect.arrayContaining(['catalog.sqlite', 'settings.json', 'thumbnails']));
    for (const entry of entries) {
      expect(fs.statSync(path.join(dataDir, entry)).mode & 0o077, entry).toBe(0);
    }
  });

  it.skipIf(process.platform === 'win32')('creates a new data dir as 0700 whatever the umask', async () => {
    const outer = tempDir('glimpse-perms-');
    harness = await makeHarness({ config: { dataDir: path.join(outer, 'fresh', 'data') } });
    expect(fs.statSync(harness.config.dataDir).mode & 0o777).toBe(0o700);
  });
});
