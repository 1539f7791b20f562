// The renderer's one client interface: the preload's `window.glimpse` in the desktop window, the HTTP client in a
// browser. Views and stores call `getClient()` and never know which transport answers.
import type { GlimpseBridge, ImportResult, Result } from '../../src-preload/api';
import { createHttpClient } from './http-client';
import { takePageCredentials } from './page-credentials';

export interface GlimpseClient extends GlimpseBridge {
  mode: 'desktop' | 'browser';
  /** Browser mode only: sends dropped files to the server to import. */
  uploadFiles?: (files: File[]) => Promise<Result<ImportResult>>;
}

declare global {
  interface Window {
    glimpse?: GlimpseBridge;
  }
}

let current: GlimpseClient | null = null;

/** Finds the transport the page was opened with: the bridge, or the credentials the server put in the page. */
export function connectClient(win: Window): GlimpseClient | null {
  if (win.glimpse) return { ...win.glimpse, mode: 'desktop' };
  const credentials = takePageCredentials(win);
  if (!credentials) return null;
  return { ...createHttpClient(credentials), mode: 'browser' };
}

export function setClient(client: GlimpseClient): void {
  current = client;
}

export function getClient(): GlimpseClient {
  if (!current) throw new Error('Glimpse client used before it was connected');
  return current;
}
