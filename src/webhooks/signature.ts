import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carriers sign their events with: `t=<unix seconds>,v1=<hex hmac>[,v1=<hex hmac>]`. */
export const SIGNATURE_HEADER = 'Countersign-Signature';

/** How far a signature's timestamp may be from our clock, either way. */
export const TOLERANCE_SECONDS = 300;

export type Verification = 'OK' | 'MALFORMED' | 'STALE' | 'MISMATCH';

export interface ParsedSignatureHeader {
  timestamp: number;
  signatures: string[];
}

/** HMAC-SHA256 over `${t}.${rawBody}`, lower-case hex. */
export function computeSignature(
  secret: string,
  timestamp: number,
  rawBody: Buffer | string,
): string {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(rawBody).digest('hex');
}

/** What a carrier (or the simulator) sends: the header value for a body signed now. */
export function signatureHeader(
  secret: string,
  rawBody: Buffer | string,
  timestamp = Math.floor(Date.now() / 1000),
): string {
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, rawBody)}`;
}

/** Null unless the header has one numeric `t` and at least one 64-hex `v1`; other schemes are ignored. */
export function parseSignatureHeader(header: string | undefined): ParsedSignatureHeader | null {
  if (!header || header.length > 1000) return null;
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== null || !/^\d{1,12}$/.test(value)) return null;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-fA-F]{64}$/.test(value)) return null;
      signatures.push(value.toLowerCase());
    }
  }
  if (timestamp === null || signatures.length === 0) return null;
  return { timestamp, signatures };
}

/** Constant-time comparison of two hex digests (the length check comes first: it leaks nothing). */
function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks a signed body against every current secret (two during a rotation) and every `v1` in
 * the header. The raw bytes are what is signed: a body re-serialized after parsing fails.
 */
export function verifySignature(args: {
  header: string | undefined;
  rawBody: Buffer;
  secrets: readonly string[];
  nowSeconds?: number;
  toleranceSeconds?: number;
}): Verification {
  const parsed = parseSignatureHeader(args.header);
  if (!parsed) return 'MALFORMED';
  const now = args.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - parsed.timestamp) > (args.toleranceSeconds ?? TOLERANCE_SECONDS))
    return 'STALE';
  let match = false;
  for (const secret of args.secrets) {
    const expected = computeSignature(secret, parsed.timestamp, args.rawBody);
    // No early exit: the time taken does not depend on which secret or signature matched.
    for (const given of parsed.signatures) match = sameDigest(expected, given) || match;
  }
  return match ? 'OK' : 'MISMATCH';
}
