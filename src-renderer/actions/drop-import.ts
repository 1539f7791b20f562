// Photos and folders dropped on the window: in the desktop app folders are added (and watched) and files imported by
// path; in a browser, where no path exists, the files (and those inside dropped folders) are uploaded.
import type { GlimpseClient } from '../client/client';
import { useEngine } from '../stores/engine';
import { useToasts } from '../stores/toasts';
import { reportImport } from './photo-actions';

interface DroppedEntry {
  file: File | null;
  entry: FileSystemEntry | null;
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function filesInside(entry: FileSystemEntry): Promise<File[]> {
  if (entry.isFile) {
    return [await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject))];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const files: File[] = [];
  // readEntries answers in batches; an empty batch means the folder is exhausted.
  for (let batch = await readEntries(reader); batch.length; batch = await readEntries(reader)) {
    for (const child of batch) files.push(...(await filesInside(child)));
  }
  return files;
}

export function entriesOf(transfer: DataTransfer): DroppedEntry[] {
  return Array.from(transfer.items)
    .filter((item) => item.kind === 'file')
    .map((item) => ({ file: item.getAsFile(), entry: item.webkitGetAsEntry?.() ?? null }));
}

export async function importDropped(client: GlimpseClient, dropped: DroppedEntry[]): Promise<void> {
  const toast = useToasts.getState().push;
  if (client.shell) {
    const folders: string[] = [];
    const files: string[] = [];
    for (const { file, entry } of dropped) {
      const path = file ? client.shell.pathForFile(file) : '';
      if (!path) continue;
      (entry?.isDirectory ? folders : files).push(path);
    }
    for (const folder of folders) {
      const error = await useEngine.getState().addFolder(folder);
      toast(error ? 'error' : 'info', error ? `${folder}: ${error.message}` : `Watching ${folder}`);
    }
    if (files.length) reportImport(await client.invoke('import.files', { paths: files }));
    return;
  }
  if (!client.uploadFiles) return;
  const files: File[] = [];
  for (const { file, entry } of dropped) {
    if (entry) files.push(...(await filesInside(entry)));
    else if (file) files.push(file);
  }
  if (files.length === 0) {
    toast('warn', 'Nothing to import in what was dropped');
    return;
  }
  toast('info', `Uploading ${files.length} file${files.length === 1 ? '' : 's'}…`);
  reportImport(await client.uploadFiles(files));
}
