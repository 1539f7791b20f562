// The pure parts of the Electron shell: the glimpse:// protocol serves images by id only, the window reopens where
// it was unless that is off every screen, and the menu sends the commands its labels promise.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../src-preload/api';
import { buildMenuTemplate } from '../../src-main/app/app-menu';
import { answerImageRequest, parseImageUrl, readImageFile } from '../../src-main/app/image-protocol';
import { loadWindowState, saveWindowState, visibleBounds } from '../../src-main/app/window-state';
import { createRecordingApi } from '../transport/recording-api';

describe('glimpse:// image protocol', () => {
  it('reads a size and a photo id', () => {
    expect(parseImageUrl('glimpse://thumb/42')).toEqual({ ok: true, size: 'thumb', id: 42 });
    expect(parseImageUrl('glimpse://original/7?v=ready')).toEqual({ ok: true, size: 'original', id: 7 });
  });

  it('refuses anything that is not a bare id', () => {
    for (const url of ['glimpse://thumb/../../etc/passwd', 'glimpse://thumb/%2Fetc%2Fpasswd', 'glimpse://thumb/1/2', 'glimpse://thumb/abc', 'glimpse://thumb/0', 'glimpse://file/1', 'glimpse://thumb/']) {
      expect(parseImageUrl(url).ok, url).toBe(false);
    }
  });

  it('serves the file the Api names and 404s an unknown id, never reading a requested path', async () => {
    const api = createRecordingApi();
    const read: string[] = [];
    const readFile = async (file: string, type: string) => {
      read.push(file);
      return new Response(fs.readFileSync(file), { headers: { 'content-type': type } });
    };
    const ok = await answerImageRequest(api, 'glimpse://view/1', readFile);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('fake-bytes-of-photo-1');
    expect((await answerImageRequest(api, 'glimpse://view/2', readFile)).status).toBe(404);
    expect((await answerImageRequest(api, 'glimpse://view/..%2F..%2Fetc%2Fpasswd', readFile)).status).toBe(400);
    expect(read).toEqual([api.photoFile]);
  });
});

describe('image bytes for the protocol', () => {
  it('streams the file the Api named with its content type, and 404s one that went away', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-protocol-'));
    const file = path.join(dir, 'photo.webp');
    fs.writeFileSync(file, 'RIFF-bytes-of-a-photo');
    const served = await readImageFile(file, 'image/webp');
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/webp');
    expect(await served.text()).toBe('RIFF-bytes-of-a-photo');
    fs.rmSync(dir, { recursive: true, force: true });
    expect((await readImageFile(file, 'image/webp')).status).toBe(404);
  });
});

describe('window bounds', () => {
  const screen = { x: 0, y: 0, width: 1920, height: 1080 };

  it('restores saved bounds that are on a screen and forgets ones left on an unplugged monitor', () => {
    expect(visibleBounds({ x: 100, y: 80, width: 1200, height: 800 }, [screen])).toEqual({ x: 100, y: 80, width: 1200, height: 800 });
    expect(visibleBounds({ x: 2500, y: 100, width: 1200, height: 800 }, [screen])).toBeNull();
    expect(visibleBounds(null, [screen])).toBeNull();
  });

  it('persists and reloads the state, ignoring a corrupt file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-window-'));
    const file = path.join(dir, 'window-state.json');
    saveWindowState(file, { x: 10, y: 20, width: 1000, height: 700, maximized: true });
    expect(loadWindowState(file)).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
    fs.writeFileSync(file, '{"x": "left"');
    expect(loadWindowState(file)).toBeNull();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('application menu', () => {
  function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
    return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
  }

  it('offers the views and actions with their shortcuts, sending the matching command', () => {
    const sent: MenuCommand[] = [];
    const items = flatten(buildMenuTemplate((command) => sent.push(command), false));
    const byLabel = new Map(items.filter((item) => item.label).map((item) => [item.label!, item]));
    const expected: [string, string, MenuCommand][] = [
      ['Add Folder…', 'CmdOrCtrl+O', 'add-folder'],
      ['Library', 'CmdOrCtrl+1', 'view:library'],
      ['Search', 'CmdOrCtrl+2', 'view:search'],
      ['Folders', 'CmdOrCtrl+3', 'view:folders'],
      ['Settings', 'CmdOrCtrl+,', 'view:settings'],
      ['Find…', 'CmdOrCtrl+F', 'focus-search'],
      ['Select All Photos', 'CmdOrCtrl+A', 'select-all'],
      ['Delete Selected Photos', 'Delete', 'delete-selection'],
    ];
    for (const [label, accelerator, command] of expected) {
      const item = byLabel.get(label)!;
      expect(item.accelerator, label).toBe(accelerator);
      (item.click as () => void)();
      expect(sent.at(-1)).toBe(command);
    }
    expect(items.some((item) => item.role === 'quit')).toBe(true);
  });

  it('has the macOS app menu on macOS only', () => {
    expect(buildMenuTemplate(() => {}, true)[0].role).toBe('appMenu');
    expect(buildMenuTemplate(() => {}, false)[0].role).not.toBe('appMenu');
  });
});
