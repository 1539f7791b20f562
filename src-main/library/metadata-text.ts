// Text read from a photo's metadata (EXIF, IPTC, XMP) as a person wrote it: exifr hands XMP values over as the XML
// spells them ("Souza)&#xA;&#xA;This", "Fish &amp; chips"), and each standard breaks lines its own way.
import { decodeXML } from 'entities';

/**
 * One decoding of XML character references and the five named entities: what any XML reader does to XMP. IPTC and
 * EXIF text gets it too, since writers copy XMP's escaped text into them and nobody types "&#xA;" meaning those
 * characters. Line breaks (CR LF, a lone CR as in IPTC captions) become "\n"; other control characters (NULs padding
 * EXIF strings, stray escapes) are dropped.
 */
export function metadataText(value: string): string {
  return (
    decodeXML(value)
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
      .trim()
  );
}
