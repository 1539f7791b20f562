// Pass-1 stage "decode": reads the photo's header (format, size, EXIF orientation) and refuses decompression bombs
// before any pixel is decoded, so later stages can trust the numbers in the catalog.
import type { PipelineStage } from './pipeline-stage';
import { readImageHeader } from './image-source';

export const decodeStage: PipelineStage = {
  name: 'decode',
  pass: 1,
  version: null,
  async run(image, { catalog, config }) {
    const header = await readImageHeader(image.path, config.maxPixels);
    // Width and height are stored as the photo is seen (after orientation), which is what layouts need.
    const quarterTurn = header.orientation >= 5 && header.orientation <= 8;
    await catalog.updateImage(image.id, {
      format: header.format,
      width: quarterTurn ? header.height : header.width,
      height: quarterTurn ? header.width : header.height,
      orientation: header.orientation,
    });
    return 'done';
  },
};
