import { lookup as lookupCallback } from 'node:dns';
import type { LookupAddress, LookupAllOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { BlockList, isIP } from 'node:net';

/**
 * Where outgoing webhooks may go. Production endpoints are https URLs whose host resolves only to
 * public addresses: loopback, link-local, private and unique-local ranges (IPv4 and IPv6, and
 * IPv4-mapped IPv6) are refused, so an endpoint cannot make the server call into its own network.
 * Hosts in WEBHOOK_ALLOWED_HOSTS skip the address rule and may use http (tests, local receivers).
 * Checked at registration and again before every delivery (the name may resolve elsewhere later).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** Whether an address is loopback, link-local, private, unique-local or otherwise not public. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1], 'ipv4');
  return blocked.check(address, 'ipv6');
}

export type Resolve = (host: string) => Promise<string[]>;

export const dnsResolve: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface UrlPolicy {
  allowedHosts: readonly string[];
  resolve?: Resolve;
}

/** Null when `raw` may receive webhooks, else why not (a sentence for the owner). */
export async function webhookUrlProblem(raw: string, policy: UrlPolicy): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'The URL is not a valid absolute URL.';
  }
  if (url.username || url.password) return 'The URL may not contain credentials.';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const allowed = policy.allowedHosts.includes(host);
  if (url.protocol !== 'https:' && !(allowed && url.protocol === 'http:')) {
    return 'The URL must use https.';
  }
  if (allowed) return null;
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await (policy.resolve ?? dnsResolve)(host);
  } catch {
    return `The host ${host} does not resolve.`;
  }
  if (addresses.length === 0) return `The host ${host} does not resolve.`;
  if (addresses.some(isNonPublicAddress)) {
    return `The host ${host} resolves to a loopback, link-local or private address.`;
  }
  return null;
}

/**
 * A `lookup` for the socket that sends a delivery: resolves as usual but fails when any address
 * is not public, so the address connected to is the one checked (no gap for DNS rebinding between
 * the check and the connection). IP literals never reach a lookup; webhookUrlProblem checks them.
 */
export const publicOnlyLookup = ((
  hostname: string,
  options: LookupAllOptions | { all?: boolean },
  callback: (
    error: NodeJS.ErrnoException | null,
    address: string | LookupAddress[],
    family?: number,
  ) => void,
) => {
  lookupCallback(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    if (addresses.length === 0 || addresses.some((a) => isNonPublicAddress(a.address))) {
      const refused: NodeJS.ErrnoException = new Error(
        `The host ${hostname} resolves to a loopback, link-local or private address.`,
      );
      refused.code = 'EADDRNOTPUBLIC';
      return callback(refused, '');
    }
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
}) as unknown as LookupFunction;
