// Turning photos for showing: the Api operations, and the grid and viewer pictures of a turned photo. The rotation is
// a stored decision; originals (downloads, "open with") are always the untouched file.
import type { ImageSize } from './api-types';
import type { PhotoRotation } from '../../src-preload/api';
import { GlimpseError } from '../errors';
import { rotatedRendition } from '../library/rotated-renditions';
import type { Catalog } from '../store/catalog';
import { PhotoRotations } from '../store/photo-rotations';
import type { ImageRow } from '../store/schema';
import type { Handlers } from './dispatch';

export interface RotationHandlerContext {
  catalog: Catalog;
  /** WebP quality of the thumbnails, which turned pictures keep. */
  quality: () => number;
}

export function rotationHandlers(context: RotationHandlerContext): {
  handlers: Pick<Handlers, 'photos.rotate' | 'photos.rotations'>;
  /** The picture to serve for a thumbnail or viewer image, turned the way the person turned the photo. */
  shownPicture(image: ImageRow, size: Exclude<ImageSize, 'original'>): Promise<string | null>;
} {
  const { catalog } = context;
  const rotations = new PhotoRotations(catalog.db);
  return {
    handlers: {
      'photos.rotate': async (request) => {
        const ids = [...new Set(request.ids)];
        const images = await Promise.all(ids.map((id) => catalog.getImage(id)));
        const unknown = ids.find((_, i) => images[i] === undefined);
        if (unknown !== undefined) throw new GlimpseError('NOT_FOUND', `There is no photo with id ${unknown} in the library`, String(unknown));
        const out: PhotoRotation[] = [];
        for (const image of images as ImageRow[]) {
          const rotation = await rotations.change(image.hash, 'to' in request ? { to: request.to } : { by: request.by });
          out.push({ id: image.id, rotation });
        }
        return out;
      },
      'photos.rotations': () => rotations.turnedPhotos(),
    },
    async shownPicture(image, size) {
      const upright = size === 'thumb' ? image.thumb_path : image.view_path;
      if (!upright) return null;
      const turns = await rotations.of(image.hash);
      return turns === 0 ? upright : rotatedRendition(upright, turns, context.quality());
    },
  };
}
