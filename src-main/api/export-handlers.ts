// The Api's "Export a copy" operation: looks the photos up in the catalog and hands their originals to photo-export.
import fs from 'node:fs';
import type { GlimpseConfig } from '../config';
import { exportOriginals, prepareExportFolder } from '../library/photo-export';
import type { Catalog } from '../store/catalog';
import type { Handlers } from './dispatch';

export function exportHandlers(catalog: Catalog, config: () => GlimpseConfig): Pick<Handlers, 'photos.export'> {
  return {
    'photos.export': async ({ ids, folder }) => {
      const target = await prepareExportFolder(folder, await fs.promises.realpath(config().dataDir));
      const sources = [];
      for (const id of new Set(ids)) sources.push({ id, path: (await catalog.getImage(id))?.path ?? null });
      return exportOriginals(sources, target);
    },
  };
}
