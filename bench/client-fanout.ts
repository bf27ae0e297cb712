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
  /**
   * `graphql-ws`: the product (webhook → transaction → pub/sub → subscription); `raw-ws`: the
   * baseline, `ws` sending to each socket; `tcp-floor`: one prebuilt frame written to each
   * socket's TCP stream (the raw-ws sockets, so the same memory), what any server pays.
   */
  kind: 'graphql-ws' | 'raw-ws' | 'tcp-floor';
  /** The subscribers follow 100 sellers' shipments (an event reaches one seller's share). */
  spread?: boolean;
}

/** One measured series of events over a case's sockets. */
interface Phase {
  kind: FanoutCase['kind'];
  events: number;
  trigger: (marker: string) => Promise<void>;
  /** Starts every marker of the phase: unique per run and phase. */
  prefix: string;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Memory per connection (RSS growth over the sockets, after a GC on both sides of the reading),
 * then per phase a warm-up until one event reaches every socket, then its measured events.
 */
async function measureCase(
  input: ClientInput,
  count: number,
  open: () => Promise<FanoutSockets>,
  phases: Phase[],
): Promise<{ results: FanoutCase[]; sample: string | null }> {
  const { pid } = input.ports;
  const baselines = `http://127.0.0.1:${input.ports.baselines}`;
  const before = await settledMemory(baselines, () => rssBytes(pid));
  const sockets = await open();
  try {
    const results: FanoutCase[] = [];
    let memory: { rss: number; heap: number } | null = null;
    for (const { kind, events, trigger, prefix } of phases) {
      for (let warm = 0; ;) {
        const { missed } = await measureEvents(sockets, 1, trigger, () => `${prefix}w${warm}.`);
        if (missed === 0) break;
        if (++warm === 5) {
          const refused = sockets.refusals?.[0] ?? 'no error message';
          throw new Error(`${kind} N=${count}: ${missed} subscribers got no event (${refused})`);
        }
      }
      memory ??= await settledMemory(baselines, () => rssBytes(pid));
      const name = `W4-${kind}-${count}`;
      if (input.profile) await fetch(`${baselines}/heap-snapshot?name=${name}`);
      await stats(baselines, true);
      await startProfile(baselines, input.profile);
      const cpuBefore = cpuMs(pid);
      const clientBefore = process.cpuUsage();
      // Unique per event and never a prefix of another (the dot ends it).
      const { latencies, missed } = await measureEvents(
        sockets,
        events,
        trigger,
        (k) => `${prefix}e${k}.`,
      );
      const cpu = cpuMs(pid) - cpuBefore;
      const client = process.cpuUsage(clientBefore);
      await stopProfile(baselines, input.profile, name);
      const loop = await stats(baselines);
      const { p50, p99 } = summarize(latencies);
      results.push({
        kind,
        subscribers: count,
        events,
        lastSubscriberP50Ms: p50,
        lastSubscriberP99Ms: p99,
        missed,
        serverCpuMsPerEvent: round(cpu / events, 3),
        clientCpuMsPerEvent: round((client.user + client.system) / 1000 / events, 3),
        rssPerConnectionKb: round((memory.rss - before.rss) / count / 1024, 1),
        heapPerConnectionKb: round((memory.heap - before.heap) / count / 1024, 1),
        eventLoopDelayP99Ms: round(loop.loopDelayP99Ms),
      });
    }
    return { results, sample: sockets.sample() };
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

  const { fanoutEvents: events } = input.settings;
  const cases: FanoutCase[] = [];
  for (const count of input.settings.fanoutSizes) {
    log(`W4 graphql-ws fan-out to ${count}`);
    const product = await measureCase(
      input,
      count,
      () =>
        openGraphqlWsSubscribers(productWs, count, `Bearer ${token}`, W4_SHIPMENT_UPDATED, {
          shipmentId: toGlobalId('Shipment', shipment.id),
        }),
      [{ kind: 'graphql-ws', events, trigger: sendCarrierEvent, prefix: `${run}n${count}` }],
    );
    cases.push(...product.results);

    // The baseline sends the very payload subscribers got, with each event's marker in place.
    const template = product.sample;
    if (!template) throw new Error('no W4 payload was captured for the broadcast baseline');
    const lastMarker = `${run}n${count}e${events - 1}.`;
    const broadcastTo = (query: string) => async (marker: string) => {
      const res = await fetch(`${broadcast}/broadcast${query}`, {
        method: 'POST',
        body: template.split(lastMarker).join(marker),
      });
      await res.arrayBuffer();
    };
    log(`W4 raw ws broadcast to ${count}, then the TCP write floor`);
    const raw = await measureCase(
      input,
      count,
      () => openRawSubscribers(`ws://127.0.0.1:${ports.broadcast}`, count),
      [
        { kind: 'raw-ws', events, trigger: broadcastTo(''), prefix: `${run}r${count}` },
        // Half as many events: it only bounds the others from below, and W4 is most of the run.
        {
          kind: 'tcp-floor',
          events: Math.ceil(events / 2),
          trigger: broadcastTo('?framed=1'),
          prefix: `${run}f${count}`,
        },
      ],
    );
    cases.push(...raw.results);
  }

  // The same number of subscribers spread over many sellers' shipments: an event reaches only
  // its seller's share, and the others must cost (next to) nothing.
  const spreadCount = input.settings.spreadSubscribers;
  const targets = manifest.spreadShipments;
  if (spreadCount > 0 && targets.length > 0) {
    log(`W4 graphql-ws fan-out, ${spreadCount} subscribers over ${targets.length} sellers`);
    const per = Math.max(1, Math.floor(spreadCount / targets.length));
    const spread = await measureCase(
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
      [
        {
          kind: 'graphql-ws',
          events,
          trigger: sendCarrierEventTo(targets[0]),
          prefix: `${run}s${spreadCount}`,
        },
      ],
    );
    cases.push(...spread.results.map((result) => ({ ...result, spread: true })));
  }
  return cases;
}
