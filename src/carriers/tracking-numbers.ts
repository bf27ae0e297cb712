import { createHash } from 'node:crypto';

/**
 * Tracking numbers in each carrier's real format, check digit included, derived from a seed so
 * the sandbox is deterministic. The formats leave few serial digits (UPS: 7 per shipper and
 * service, S10: 8), so two seeds can give one number: the purchase then retries under a new
 * reference (label-purchase.service.ts), as the labels' unique tracking number demands.
 */

/** `count` decimal digits drawn from a SHA-256 of the seed (and a salt). */
function digitsFrom(seed: string, count: number, salt = ''): string {
  let out = '';
  for (let round = 0; out.length < count; round += 1) {
    const hash = createHash('sha256').update(`${salt}|${round}|${seed}`).digest();
    for (const byte of hash) {
      // Bytes of 250+ would bias 0–9; skip them.
      if (byte < 250) out += String(byte % 10);
      if (out.length === count) break;
    }
  }
  return out;
}

/** UPS check digit: letters map to (code − 63) mod 10; odd positions ×1, even ×2. */
export function upsCheckDigit(body: string): number {
  let sum = 0;
  [...body].forEach((ch, i) => {
    const value = /\d/.test(ch) ? Number(ch) : (ch.charCodeAt(0) - 63) % 10;
    sum += i % 2 === 1 ? value * 2 : value;
  });
  return (10 - (sum % 10)) % 10;
}

/** UPS service digits as they appear in 1Z numbers. */
const UPS_SERVICE_DIGITS: Record<string, string> = {
  UPS_NEXT_DAY_AIR: '01',
  UPS_2ND_DAY_AIR: '02',
  UPS_GROUND: '03',
  UPS_GROUND_SAVER: '93',
};

/** Six characters for the shipper account, stable per seller. */
export function upsShipperNumber(shipperId: number): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPRSTUVWXY';
  const hash = createHash('sha256').update(`ups-shipper|${shipperId}`).digest();
  return [...hash.subarray(0, 6)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** `1Z` + 6 shipper characters + 2 service digits + 7 package digits + check digit (18). */
export function upsTrackingNumber(serviceCode: string, shipperId: number, seed: string): string {
  const body = `${upsShipperNumber(shipperId)}${UPS_SERVICE_DIGITS[serviceCode] ?? '03'}${digitsFrom(seed, 7, 'ups')}`;
  return `1Z${body}${upsCheckDigit(body)}`;
}

/** USPS IMpb mod-10 check digit: from the right, alternate ×3 and ×1. */
export function uspsCheckDigit(digits: string): number {
  let sum = 0;
  [...digits].reverse().forEach((d, i) => {
    sum += Number(d) * (i % 2 === 0 ? 3 : 1);
  });
  return (10 - (sum % 10)) % 10;
}

/** IMpb prefixes (application id 9x + service type code) as seen on USPS labels. */
const USPS_PREFIXES: Record<string, string> = {
  USPS_GROUND_ADVANTAGE: '9400',
  USPS_PRIORITY_MAIL: '9205',
  USPS_PRIORITY_MAIL_EXPRESS: '9270',
  USPS_MEDIA_MAIL: '9202',
};

/** 22 digits: a 4-digit IMpb prefix, 17 digits (mailer id + serial), check digit. */
export function uspsTrackingNumber(serviceCode: string, seed: string): string {
  const body = `${USPS_PREFIXES[serviceCode] ?? '9400'}${digitsFrom(seed, 17, 'usps')}`;
  return `${body}${uspsCheckDigit(body)}`;
}

/** UPU S10 check digit over 8 serial digits (weights 8 6 4 2 3 5 9 7). */
export function s10CheckDigit(serial: string): number {
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  const sum = [...serial].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 0 : check === 11 ? 5 : check;
}

/** International mail uses the UPU S10 format: 2 letters, 8 digits, check digit, `US`. */
export function uspsInternationalTrackingNumber(seed: string): string {
  const serial = digitsFrom(seed, 8, 'usps-intl');
  return `CP${serial}${s10CheckDigit(serial)}US`;
}
