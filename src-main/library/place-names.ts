// A place name for a photo's GPS position without going online: the nearest of ~7,300 towns and cities bundled in
// the city-timezones package (GeoNames-derived, MIT), e.g. "Lyon, France".
import { createRequire } from 'node:module';

interface City {
  city: string;
  country: string;
  lat: number;
  lng: number;
}

/** Beyond this a town says little about where a photo was taken (at sea, in a desert): no name is better. */
const MAX_DISTANCE_KM = 150;
const NEAR_KM = 25;
const EARTH_RADIUS_KM = 6371;

let cities: City[] | null = null;
function bundledCities(): City[] {
  // Loaded on first use: the table is 2 MB of JSON that most commands never need.
  cities ??= (createRequire(import.meta.url)('city-timezones') as { cityMapping: City[] }).cityMapping;
  return cities;
}

function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** "Lyon, France" within 25 km, "near Lyon, France" up to 150 km, otherwise null. */
export function placeName(latitude: number | null, longitude: number | null): string | null {
  if (latitude === null || longitude === null || !Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  let best: City | null = null;
  let bestKm = Infinity;
  for (const city of bundledCities()) {
    const km = distanceKm(latitude, longitude, city.lat, city.lng);
    if (km < bestKm) {
      bestKm = km;
      best = city;
    }
  }
  if (!best || bestKm > MAX_DISTANCE_KM) return null;
  const name = `${best.city}, ${best.country}`;
  return bestKm <= NEAR_KM ? name : `near ${name}`;
}
