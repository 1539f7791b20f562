// What the desktop window may hand to the system browser: exactly the details panel's map link for a photo's position,
// and nothing a hostile or mistaken page could dress up like it; and which file actions each mode offers.
import { describe, expect, it } from 'vitest';
import { allowedExternalLink } from '../../src-main/app/external-links';
import { fileActionsFor } from '../../src-renderer/viewer/file-actions';
import { mapLink } from '../../src-renderer/viewer/map-link';
import { scriptedClient } from '../renderer/scripted-client';

describe('external links from the desktop window', () => {
  it('lets the details panel’s map links through, for any position on the globe', () => {
    for (const [lat, lon] of [[45.76389, 4.83556], [-33.8688, 151.2093], [0, 0], [90, -180], [-89.99999, 179.99999]]) {
      const link = mapLink(lat, lon);
      expect(allowedExternalLink(link), link).toBe(link);
    }
  });

  it('refuses every other address, however close to the map link it looks', () => {
    const good = mapLink(45.76389, 4.83556);
    for (const url of [
      good.replace('https:', 'http:'),
      good.replace('www.openstreetmap.org', 'openstreetmap.org'),
      good.replace('www.openstreetmap.org', 'www.openstreetmap.org.evil.example'),
      good.replace('www.openstreetmap.org', 'evil.example/www.openstreetmap.org'),
      good.replace('https://', 'https://user:pw@'),
      good.replace('www.openstreetmap.org', 'www.openstreetmap.org:8443'),
      good.replace('/?', '/login?'),
      `${good.split('#')[0]}&redirect=https://evil.example#map=14/45.763890/4.835560`,
      good.replace('mlat=45.763890', 'mlat=javascript:alert(1)'),
      good.replace('mlat=45.763890', 'mlat=95'),
      good.replace('#map=14/', '#map=14/<script>/'),
      good.split('#')[0],
      'https://evil.example/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'glimpse://original/4',
      'not a url',
    ]) {
      expect(allowedExternalLink(url), url).toBeNull();
    }
  });
});

describe('file actions in the viewer', () => {
  const shell = { pickFolders: async () => [], pickExportFolder: async () => null, showInFolder: async () => ({ ok: true as const, value: null }), openWithSystemViewer: async () => ({ ok: true as const, value: null }), pathForFile: () => '', onMenuCommand: () => () => {} };

  it('reaches the operating system from the desktop app, and offers the original as a download in a browser', () => {
    expect(fileActionsFor({ ...scriptedClient({}), mode: 'desktop', shell })).toEqual(['showInFolder', 'openWithSystemViewer']);
    expect(fileActionsFor(scriptedClient({}))).toEqual(['downloadOriginal']);
    // A browser page never acts on the server's desktop, even if something claimed a shell there.
    expect(fileActionsFor({ ...scriptedClient({}), mode: 'browser', shell })).toEqual(['downloadOriginal']);
  });
});
