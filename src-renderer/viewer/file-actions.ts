// Which file actions the viewer offers: the desktop app reaches the operating system (show the file in its folder,
// open it with the default app) through the preload's validated shell; a browser cannot act on the server's desktop,
// so there the original file is offered as a download instead.
import type { GlimpseClient } from '../client/client';

export type FileAction = 'showInFolder' | 'openWithSystemViewer' | 'downloadOriginal';

export function fileActionsFor(client: Pick<GlimpseClient, 'mode' | 'shell'>): FileAction[] {
  return client.mode === 'desktop' && client.shell ? ['showInFolder', 'openWithSystemViewer'] : ['downloadOriginal'];
}
