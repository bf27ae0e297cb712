import { randomBytes } from 'node:crypto';
import { toGlobalId } from '../src/core/global-id';
import { SIGNATURE_HEADER, signatureHeader } from '../src/webhooks/signature';
import type { ClientInput } from './client';
import { measureEvents, openGraphqlWsSubscribers, openRawSubscribers, summarize } from './fanout';
import type { FanoutResult, FanoutSockets } from './fanout';
import type { FanoutShipment } from './seed';
import { W4_SHIPMENT_UPDATED } from './operations';
import { cpuMs, round, rssBytes } from './proc';
import { settledMemory, startProfile, stats, stopProfile } from './requests';

export interface FanoutCase extends FanoutResult {
  /** `graphql-ws`: the product (webhook → transaction → pub/sub → subscription); `raw-ws`: the baseline. */
  kind: 'graphql-ws' | 'raw-ws';
  /** The subscribers follow 100 sellers' shipments (an event reaches one seller's share). */
  spread?: boolean;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Memory per connection (RSS growth over the sockets, after a GC on both sides of the reading),
 * a warm-up until one event reaches every socket, then `events` measured events.
 */
async function measureCase(
  kind: FanoutCase['kind'],
  input: ClientInput,
  count: number,
  open: () => Promise<FanoutSockets>,
  trigger: (marker: string) => Promise<void>,
  prefix: string,
): Promise<{ result: FanoutCase; sample: string | null }> {
  // Unique per event and never a prefix of another (the dot ends it).
  const markerOf = (k: number) => `${prefix}e${k}.`;
  const { pid } = input.ports;
  const baselines = `http://127.0.0.1:${input.ports.baselines}`;
  const before = await settledMemory(baselines, () => rssBytes(pid));
  const sockets = await open();
  try {
    let warm = 0;
    for (;;) {
      const { missed } = await measureEvents(sockets, 1, trigger, () => `${prefix}w${warm}.`);
      if (missed === 0) break;
      if (++warm === 5) {
        const refused = sockets.refusals?.[0] ?? 'no error message';
        throw new Error(`${kind} N=${count}: ${missed} subscribers got no event (${refused})`);
      }
    }
    const after = await settledMemory(baselines, () => rssBytes(pid));
    if (input.profile) await fetch(`${baselines}/heap-snapshot?name=W4-${kind}-${count}`);
    await stats(baselines, true);
    await startProfile(baselines, input.profile);
    const cpuBefore = cpuMs(pid);
    const clientBefore = process.cpuUsage();
    const { latencies, missed } = await measureEvents(
      sockets,
      input.settings.fanoutEvents,
      trigger,
      markerOf,
    );
    const cpu = cpuMs(pid) - cpuBefore;
    const client = process.cpuUsage(clientBefore);
    await stopProfile(baselines, input.profile, `W4-${kind}-${count}`);
    const loop = await stats(baselines);
    const { p50, p99 } = summarize(latencies);
    return {
      sample: sockets.sample(),
      result: {
        kind,
        subscribers: count,
        events: input.settings.fanoutEvents,
        lastSubscriberP50Ms: p50,
        lastSubscriberP99Ms: p99,
        missed,
        serverCpuMsPerEvent: round(cpu / input.settings.fanoutEvents, 3),
        clientCpuMsPerEvent: round(
          (client.user + client.system) / 1000 / input.settings.fanoutEvents,
          3,
        ),
        rssPerConnectionKb: round((after.rss - before.rss) / count / 1024, 1),
        heapPerConnectionKb: round((after.heap - before.heap) / count / 1024, 1),
        eventLoopDelayP99Ms: round(loop.loopDelayP99Ms),
      },
    };
  } finally {
    await sockets.close();
    await settle(300);
  }
}

/**
 * W4: one signed carrier webhook event fanned out to N graphql-ws subscribers of one shipment,
 * against the plain `ws` broadcast of the same payload to N raw sockets.
 */
export async function runFanout(
  input: ClientInput,
  log: (line: string) => void,
): Promise<FanoutCase[]> {
  const { manifest, ports, carrierSecrets } = input;
  const shipment = manifest.fanoutShipment;
  const productWs = `ws://127.0.0.1:${ports.product}/graphql`;
  const broadcast = `http://127.0.0.1:${ports.broadcast}`;
  const token = manifest.dashboardSellers[0].token;
  const run = randomBytes(3).toString('hex');

  const sendCarrierEventTo = (target: FanoutShipment) => async (marker: string) => {
    const webhook = `http://127.0.0.1:${ports.product}/webhooks/carriers/${target.carrier.toLowerCase()}`;
    const secret = carrierSecrets[target.carrier];
    const body = JSON.stringify({
      eventId: `bench-${marker}`,
      trackingNumber: target.trackingNumber,
      status: 'IN_TRANSIT',
      description: `Bench scan ${marker}`,
      location: 'Columbus, OH',
      occurredAt: new Date().toISOString(),
    });
    const res = await fetch(webhook, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signatureHeader(secret, body),
      },
      body,
    });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  const sendCarrierEvent = sendCarrierEventTo(shipment);

  const cases: FanoutCase[] = [];
  for (const count of input.settings.fanoutSizes) {
    log(`W4 graphql-ws fan-out to ${count}`);
    const product = await measureCase(
      'graphql-ws',
      input,
      count,
      () =>
        openGraphqlWsSubscribers(productWs, count, `Bearer ${token}`, W4_SHIPMENT_UPDATED, {
          shipmentId: toGlobalId('Shipment', shipment.id),
        }),
      sendCarrierEvent,
      `${run}n${count}`,
    );
    cases.push(product.result);

    // The baseline sends the very payload subscribers got, with each event's marker in place.
    const template = product.sample;
    if (!template) throw new Error('no W4 payload was captured for the broadcast baseline');
    const lastMarker = `${run}n${count}e${input.settings.fanoutEvents - 1}.`;
    log(`W4 raw ws broadcast to ${count}`);
    const raw = await measureCase(
      'raw-ws',
      input,
      count,
      () => openRawSubscribers(`ws://127.0.0.1:${ports.broadcast}`, count),
      async (marker) => {
        const res = await fetch(`${broadcast}/broadcast`, {
          method: 'POST',
          body: template.split(lastMarker).join(marker),
        });
        await res.arrayBuffer();
      },
      `${run}r${count}`,
    );
    cases.push(raw.result);
  }

  // The same number of subscribers spread over many sellers' shipments: an event reaches only
  // its seller's share, and the others must cost (next to) nothing.
  const spreadCount = input.settings.spreadSubscribers;
  const targets = manifest.spreadShipments;
  if (spreadCount > 0 && targets.length > 0) {
    log(`W4 graphql-ws fan-out, ${spreadCount} subscribers over ${targets.length} sellers`);
    const per = Math.max(1, Math.floor(spreadCount / targets.length));
    const spread = await measureCase(
      'graphql-ws',
      input,
      per * targets.length,
      async () => {
        const groups: FanoutSockets[] = [];
        for (const target of targets) {
          groups.push(
            await openGraphqlWsSubscribers(
              productWs,
              per,
              `Bearer ${target.token}`,
              W4_SHIPMENT_UPDATED,
              {
                shipmentId: toGlobalId('Shipment', target.id),
              },
            ),
          );
        }
        // Measured on the first seller's subscribers, who get the events.
        return {
          ...groups[0],
          subscribers: groups.flatMap((g) => g.subscribers),
          close: async () => {
            await Promise.all(groups.map((g) => g.close()));
          },
        };
      },
      sendCarrierEventTo(targets[0]),
      `${run}s${spreadCount}`,
    );
    cases.push({ ...spread.result, spread: true });
  }
  return cases;
}
