// Photos with words for the deep-search tests, written the way real tools write them: XMP packets (as Lightroom,
// digiKam and darktable do, embedded or as sidecars), IPTC-IIM records in a Photoshop APP13 block, EXIF XP* tags,
// and pictures with printed words rendered by sharp from SVG.
import fs from 'node:fs/promises';
import sharp from 'sharp';

export interface XmpWords {
  title?: string;
  description?: string;
  subjects?: string[];
  hierarchical?: string[];
  headline?: string;
  mwgNames?: string[];
  microsoftNames?: string[];
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const bag = (items: string[]) => `<rdf:Bag>${items.map((i) => `<rdf:li>${escapeXml(i)}</rdf:li>`).join('')}</rdf:Bag>`;
const alt = (text: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(text)}</rdf:li></rdf:Alt>`;

export function xmpPacket(words: XmpWords): string {
  const parts: string[] = [];
  if (words.title) parts.push(`<dc:title>${alt(words.title)}</dc:title>`);
  if (words.description) parts.push(`<dc:description>${alt(words.description)}</dc:description>`);
  if (words.subjects) parts.push(`<dc:subject>${bag(words.subjects)}</dc:subject>`);
  if (words.hierarchical) parts.push(`<lr:hierarchicalSubject>${bag(words.hierarchical)}</lr:hierarchicalSubject>`);
  if (words.headline) parts.push(`<photoshop:Headline>${escapeXml(words.headline)}</photoshop:Headline>`);
  if (words.mwgNames) {
    const regions = words.mwgNames.map((n) => `<rdf:li rdf:parseType="Resource"><mwg-rs:Name>${escapeXml(n)}</mwg-rs:Name><mwg-rs:Type>Face</mwg-rs:Type></rdf:li>`);
    parts.push(`<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:RegionList><rdf:Bag>${regions.join('')}</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>`);
  }
  if (words.microsoftNames) {
    const regions = words.microsoftNames.map((n) => `<rdf:li MPReg:PersonDisplayName="${escapeXml(n)}" MPReg:Rectangle="0.1, 0.1, 0.2, 0.2"/>`);
    parts.push(`<MP:RegionInfo rdf:parseType="Resource"><MPRI:Regions><rdf:Bag>${regions.join('')}</rdf:Bag></MPRI:Regions></MP:RegionInfo>`);
  }
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:lr="http://ns.adobe.com/lightroom/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:MP="http://ns.microsoft.com/photo/1.2/" xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#" xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#">${parts.join('')}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
}

/** IPTC-IIM record 2 datasets: 5 object name, 25 keyword, 105 headline, 120 caption. UTF-8, declared in 1:90. */
export function withIptc(jpeg: Buffer, records: Array<[number, string]>): Buffer {
  const dataset = (record: number, tag: number, value: Buffer) => Buffer.concat([Buffer.from([0x1c, record, tag, value.length >> 8, value.length & 0xff]), value]);
  const data = Buffer.concat([dataset(1, 90, Buffer.from([0x1b, 0x25, 0x47])), ...records.map(([tag, v]) => dataset(2, tag, Buffer.from(v, 'utf8')))]);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(data.length);
  const resource = Buffer.concat([Buffer.from('8BIM'), Buffer.from([0x04, 0x04, 0, 0]), size, data, data.length % 2 ? Buffer.from([0]) : Buffer.alloc(0)]);
  const payload = Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), resource]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(payload.length + 2);
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xed]), length, payload, jpeg.subarray(2)]);
}

export function plainJpeg(colour: { r: number; g: number; b: number } = { r: 90, g: 120, b: 160 }, size = 64) {
  return sharp({ create: { width: size, height: size, channels: 3, background: colour } });
}

export async function writeJpeg(
  file: string,
  options: { xmp?: string; exif?: Record<string, string>; iptc?: Array<[number, string]>; colour?: { r: number; g: number; b: number }; size?: number } = {},
): Promise<string> {
  let image = plainJpeg(options.colour, options.size).jpeg({ quality: 90 });
  if (options.xmp) image = image.withXmp(options.xmp);
  if (options.exif) image = image.withExif({ IFD0: options.exif });
  let bytes: Buffer = await image.toBuffer();
  if (options.iptc) bytes = withIptc(bytes, options.iptc);
  await fs.writeFile(file, bytes);
  return file;
}

/** A picture of printed words (black on a light background, or `colour` behind), as a sign or a menu would be. */
export async function writeTextPicture(
  file: string,
  lines: string[],
  options: { width?: number; height?: number; background?: string; fontSize?: number } = {},
): Promise<string> {
  const width = options.width ?? 800;
  const height = options.height ?? 300;
  const fontSize = options.fontSize ?? 64;
  const text = lines
    .map((line, i) => `<text x="40" y="${(i + 1) * fontSize * 1.4}" font-family="DejaVu Sans, sans-serif" font-size="${fontSize}" font-weight="bold" fill="#111">${escapeXml(line)}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${options.background ?? '#f4f4ee'}"/>${text}</svg>`;
  await sharp(Buffer.from(svg)).png().toFile(file);
  return file;
}
