// The map page for a photo's GPS position, the one outside page Glimpse links to; the desktop app lets exactly this
// shape of address through to the system browser (src-main/app/external-links.ts).
export function mapLink(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(6);
  const lon = longitude.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=14/${lat}/${lon}`;
}
