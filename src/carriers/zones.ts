/**
 * Sandbox zone chart. Real carriers price by zone, the distance band between the origin and
 * destination 3-digit ZIP prefixes (USPS zones 1–9, UPS 2–8). US ZIPs grow from the north-east
 * (0xx) to the west coast (9xx), so the first digit is a coarse longitude; the sandbox derives the
 * zone from it, deterministically and plausibly, without a national chart.
 */
export function zoneFor(originPostalCode: string, destinationPostalCode: string): number {
  const origin = zip3(originPostalCode);
  const destination = zip3(destinationPostalCode);
  if (origin === null || destination === null) return 8;
  if (origin === destination) return 1;
  const areaGap = Math.abs(Math.floor(origin / 100) - Math.floor(destination / 100));
  if (areaGap === 0) return Math.abs(origin - destination) <= 20 ? 2 : 3;
  return Math.min(8, 3 + areaGap);
}

function zip3(postalCode: string): number | null {
  const match = /^(\d{3})\d{2}(?:-\d{4})?$/.exec(postalCode.trim());
  return match ? Number(match[1]) : null;
}
