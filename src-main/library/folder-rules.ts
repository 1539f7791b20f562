// Which folders may become library folders, and which folders a scan or a watcher must never enter: Glimpse's own
// data dir (its thumbnails would be indexed without end), pseudo-filesystems (/proc links lead everywhere), and —
// only after the person confirms — a whole disk or the folder holding every user's home.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GlimpseError } from '../errors';

/** Kernel and runtime pseudo-filesystems: their "files" are processes, devices and sockets, never photos. */
export const SYSTEM_FOLDERS: readonly string[] = process.platform === 'win32' ? [] : ['/proc', '/sys', '/dev', '/run'];

/**
 * statfs magic numbers of Linux pseudo-filesystems, so a procfs or sysfs mounted somewhere else (a container's
 * /host/proc, a chroot) is recognised too: proc, sysfs, devpts, cgroup, cgroup2, debugfs, tracefs, securityfs, bpf,
 * configfs, pstore, efivarfs, fusectl, mqueue, binfmt_misc, hugetlbfs.
 */
const PSEUDO_FILESYSTEM_TYPES = new Set([
  0x9fa0, 0x62656572, 0x1cd1, 0x27e0eb, 0x63677270, 0x64626720, 0x74726163, 0x73636673, 0xcafe4a11, 0x62656570,
  0x6165676c, 0xde5e81e4, 0x65735543, 0x19800202, 0x42494e4d, 0x958458f6,
]);

/** `child` is `parent` or inside it (both absolute and normalised). */
export function isSameOrInside(child: string, parent: string): boolean {
  if (child === parent) return true;
  return child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/** Where udisks mounts removable drives (Fedora, Arch…): real disks with photos, although under /run. */
const REMOVABLE_MEDIA = '/run/media';

/** The system folder `absolutePath` lies in (by name), or null. */
export function systemFolderOf(absolutePath: string): string | null {
  if (process.platform !== 'win32' && isSameOrInside(absolutePath, REMOVABLE_MEDIA)) return null;
  return SYSTEM_FOLDERS.find((root) => isSameOrInside(absolutePath, root)) ?? null;
}

/** Whether the folder is the root of a pseudo-filesystem mount, wherever it is mounted (Linux; false elsewhere). */
export async function isPseudoFilesystem(dir: string): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  try {
    return PSEUDO_FILESYSTEM_TYPES.has((await fs.promises.statfs(dir)).type);
  } catch {
    return false;
  }
}

/**
 * Follows a symbolic link hop by hop without resolving it in one go (the kernel resolves /proc/<pid>/cwd and
 * /proc/self/root to real folders, which hides where the link really went) and returns the system folder any hop
 * names, or null.
 */
export async function systemFolderOnLinkPath(link: string): Promise<string | null> {
  let current = link;
  for (let hop = 0; hop < 40; hop++) {
    let target: string;
    try {
      target = path.resolve(path.dirname(current), await fs.promises.readlink(current));
    } catch {
      return null;
    }
    const system = systemFolderOf(target);
    if (system) return system;
    const stat = await fs.promises.lstat(target).catch(() => null);
    if (!stat?.isSymbolicLink()) return null;
    current = target;
  }
  return null;
}

/** Why adding this folder should be confirmed first (it holds a whole disk or every home), or null. */
export function broadFolderReason(realPath: string, homeDir = os.homedir()): string | null {
  if (path.dirname(realPath) === realPath) return `${realPath} is the root of a whole disk`;
  const homeParents = new Set([path.dirname(homeDir), ...(process.platform === 'win32' ? [] : ['/home', '/Users'])]);
  if (homeParents.has(realPath)) return `${realPath} holds the home folders of every user`;
  if (process.platform !== 'win32' && ['/media', '/mnt', '/Volumes', REMOVABLE_MEDIA].includes(realPath)) return `${realPath} holds every mounted drive`;
  return null;
}

export interface FolderRuleContext {
  /** The data dir's real path. */
  dataDir: string;
  /** The person said yes to a broad folder (a disk root, a home directory's parent). */
  confirm: boolean;
}

/**
 * Refuses the data dir, anything inside it and system folders, for any use of a folder (`refusal` ends the message:
 * what the folder cannot be).
 */
export async function refuseReservedFolder(realPath: string, dataDir: string, refusal = 'it cannot be a library folder'): Promise<void> {
  if (isSameOrInside(realPath, dataDir)) {
    throw new GlimpseError(
      'FOLDER_REFUSED',
      `${realPath} is ${realPath === dataDir ? '' : 'inside '}Glimpse's own data folder (${dataDir}: catalog, thumbnails, imported copies); ${refusal}`,
      realPath,
    );
  }
  const system = systemFolderOf(realPath) ?? ((await isPseudoFilesystem(realPath)) ? realPath : null);
  if (system) {
    throw new GlimpseError(
      'FOLDER_REFUSED',
      `${realPath} is ${system === realPath ? '' : `inside ${system}, `}a system folder of the operating system (processes, devices, kernel settings), not photos; ${refusal}`,
      realPath,
    );
  }
}

/** Refuses the data dir, anything inside it and system folders; asks before a broad folder. */
export async function checkLibraryFolder(realPath: string, context: FolderRuleContext): Promise<void> {
  await refuseReservedFolder(realPath, context.dataDir);
  const broad = broadFolderReason(realPath);
  if (broad && !context.confirm) {
    throw new GlimpseError(
      'CONFIRMATION_REQUIRED',
      `${broad}: scanning and watching it takes long and reaches far beyond your photos. Add it anyway only if you mean it (confirm, or --yes on the command line)`,
      realPath,
    );
  }
}
