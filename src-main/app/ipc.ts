// The window's only way into the engine: the Api on ipcMain, behind a sender check and an argument check, and the
// desktop-shell actions by photo id. Takes an ipcMain-like object so it is tested without the Electron binary.
import { z } from 'zod';
import { IPC_INVOKE_CHANNEL, IPC_SHELL_CHANNEL, type ApiError, type Result } from '../../src-preload/api';
import type { Api } from '../api/api-types';

export interface IpcEventLike {
  senderFrame?: { url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** What the OS side does for a photo path the main process resolved from an id. */
export interface ShellActions {
  pickFolders(): Promise<string[]>;
  /** One folder to export copies into, or null when cancelled. */
  pickExportFolder(): Promise<string | null>;
  showInFolder(path: string): void;
  /** Resolves to an error message, or '' on success (Electron's shell.openPath convention). */
  openPath(path: string): Promise<string>;
}

export interface IpcOptions {
  /** Whether a message comes from Glimpse's own renderer (its file:// page or the dev server), not an injected frame. */
  isTrustedSender(url: string): boolean;
  shell: ShellActions;
}

const invokeArgs = z.tuple([z.string().regex(/^[a-z]+\.[a-zA-Z]+$/, 'an operation name such as "gallery.page"'), z.unknown()]);

const shellRequest = z.discriminatedUnion('action', [
  z.object({ action: z.literal('pickFolders') }).strict(),
  z.object({ action: z.literal('pickExportFolder') }).strict(),
  z.object({ action: z.literal('showInFolder'), id: z.number().int().positive() }).strict(),
  z.object({ action: z.literal('openWithSystemViewer'), id: z.number().int().positive() }).strict(),
]);

function fail(code: ApiError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`).join('; ');
}

async function originalPath(api: Api, id: number): Promise<Result<string>> {
  const file = await api.imageFile(id, 'original');
  return file ? { ok: true, value: file.path } : fail('NOT_FOUND', `No photo with id ${id} in the library`);
}

/** Registers the handlers; returns a function that removes them (window closed, tests). */
export function registerIpc(ipcMain: IpcMainLike, api: Api, options: IpcOptions): () => void {
  const trusted = (event: IpcEventLike) => Boolean(event.senderFrame && options.isTrustedSender(event.senderFrame.url));

  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, ...args) => {
    if (!trusted(event)) return fail('PERMISSION_DENIED', 'Api calls are accepted from the Glimpse window only');
    const parsed = invokeArgs.safeParse(args);
    if (!parsed.success) return fail('INVALID_INPUT', `Malformed Api call: ${describeIssues(parsed.error)}`);
    const [operation, input] = parsed.data;
    return api.invoke(operation as never, input);
  });

  ipcMain.handle(IPC_SHELL_CHANNEL, async (event, ...args): Promise<Result<unknown>> => {
    if (!trusted(event)) return fail('PERMISSION_DENIED', 'Shell actions are accepted from the Glimpse window only');
    const parsed = shellRequest.safeParse(args[0]);
    if (args.length !== 1 || !parsed.success) {
      return fail('INVALID_INPUT', `Malformed shell action: ${parsed.success ? 'expected one argument' : describeIssues(parsed.error)}`);
    }
    const request = parsed.data;
    if (request.action === 'pickFolders') return { ok: true, value: await options.shell.pickFolders() };
    if (request.action === 'pickExportFolder') return { ok: true, value: await options.shell.pickExportFolder() };
    const file = await originalPath(api, request.id);
    if (!file.ok) return file;
    if (request.action === 'showInFolder') {
      options.shell.showInFolder(file.value);
      return { ok: true, value: null };
    }
    const message = await options.shell.openPath(file.value);
    return message ? fail('INTERNAL', `The system viewer could not open ${file.value}: ${message}`) : { ok: true, value: null };
  });

  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    ipcMain.removeHandler(IPC_SHELL_CHANNEL);
  };
}
