import { DEV_CARRIER_SECRETS } from '../../src/config/config';
import { signatureImage } from '../../src/cli/simulate';
import { signatureHeader } from '../../src/webhooks/signature';
import type { TestServer } from './test-server';

/** The dev secrets the test servers run with (COUNTERSIGN_DEV=on). */
export const DEV_SECRETS = DEV_CARRIER_SECRETS;

export interface WebhookResponse {
  status: number;
  body: Record<string, unknown>;
}

export interface PostOptions {
  /** Signing secret; default the carrier's dev secret. */
  secret?: string;
  /** Unix seconds in the signature; default now. */
  timestamp?: number;
  /** Replaces the whole signature header (null: send none). */
  header?: string | null;
  /** Bytes sent instead of JSON.stringify(body), e.g. to re-serialize after signing. */
  sendRaw?: string;
}

export function webhookUrl(server: TestServer, carrier: string): string {
  return server.url.replace(/\/graphql$/, `/webhooks/carriers/${carrier}`);
}

/** POSTs a carrier event signed as the carrier would; returns status and JSON body. */
export async function postCarrierEvent(
  server: TestServer,
  carrier: string,
  body: unknown,
  options: PostOptions = {},
): Promise<WebhookResponse> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const secret =
    options.secret ?? DEV_SECRETS[carrier.toUpperCase() as keyof typeof DEV_SECRETS] ?? 'x';
  const header =
    options.header === undefined ? signatureHeader(secret, raw, options.timestamp) : options.header;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (header !== null) headers['countersign-signature'] = header;
  const res = await fetch(webhookUrl(server, carrier), {
    method: 'POST',
    headers,
    body: options.sendRaw ?? raw,
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { unparsable: text };
  }
  return { status: res.status, body: parsed };
}

let sequence = 0;

/** A carrier event body for a tracking number; override any field. */
export function carrierEvent(
  trackingNumber: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  sequence += 1;
  return {
    eventId: `evt-${process.pid}-${Date.now()}-${sequence}`,
    trackingNumber,
    status: 'IN_TRANSIT',
    description: 'Arrived at facility',
    location: 'Portland, OR',
    occurredAt: new Date().toISOString(),
    ...fields,
  };
}

/** Minutes from now as an ISO string (negative: in the past). */
export const minutesFromNow = (minutes: number): string =>
  new Date(Date.now() + minutes * 60_000).toISOString();

/** A valid PNG signature as a data URL, the same for the same name (the simulator's). */
export function pngSignature(name = 'Signer'): string {
  return signatureImage(name);
}
