import { performance } from 'node:perf_hooks';
import { LeanSocket } from './lean-socket';
import { percentile, round } from './proc';

/** One subscriber socket and whether it has seen the event being measured. */
interface Subscriber {
  socket: LeanSocket;
}

export interface FanoutSockets {
  subscribers: Subscriber[];
  /** Resolves when every socket has a message containing `marker`, or after `timeoutMs`. */
  expect(marker: string, timeoutMs: number): Promise<{ lastMs: number; missing: number }>;
  close(): Promise<void>;
  /** The first socket's copy of the last event it matched (the payload the baseline replays). */
  sample(): string | null;
  /** Error messages subscribers got instead of a subscription (graphql-ws only). */
  refusals?: string[];
}

/** Opens `count` sockets, `parallel` at a time, each set up by `open`. */
async function openAll(
  count: number,
  open: (i: number) => Promise<LeanSocket>,
  parallel = 50,
): Promise<LeanSocket[]> {
  const sockets: LeanSocket[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      sockets[i] = await open(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return sockets;
}

function track(sockets: LeanSocket[]): FanoutSockets {
  // Per measured event: which sockets have it, how many are still waiting, when the last came.
  let marker: Buffer | null = null;
  let seen = new Uint8Array(sockets.length);
  let pending = 0;
  let lastAt = 0;
  let done: (() => void) | null = null;
  let sample: Buffer | null = null;
  sockets.forEach((socket, i) => {
    socket.onMessage = (data: Buffer) => {
      const at = performance.now();
      if (!marker || seen[i] || data.indexOf(marker) < 0) return;
      seen[i] = 1;
      // The payload is a view into what was read: copied to outlive the call.
      if (i === 0) sample = Buffer.from(data);
      lastAt = at;
      if (--pending === 0) done?.();
    };
  });
  return {
    subscribers: sockets.map((socket) => ({ socket })),
    sample: () => (sample ? sample.toString('utf8') : null),
    expect: (text, timeoutMs) => {
      marker = Buffer.from(text, 'utf8');
      seen = new Uint8Array(sockets.length);
      pending = sockets.length;
      lastAt = 0;
      return new Promise((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          done = null;
          marker = null;
          resolve({ lastMs: lastAt, missing: pending });
        };
        const timer = setTimeout(finish, timeoutMs);
        done = finish;
      });
    },
    close: async () => {
      await Promise.all(sockets.map((s) => s.close()));
    },
  };
}

/**
 * `count` graphql-ws subscribers (protocol graphql-transport-ws spoken directly over a
 * `LeanSocket`, so the load generator spends little CPU per message), each authenticated with
 * `authorization` and subscribed to `query`.
 */
export async function openGraphqlWsSubscribers(
  url: string,
  count: number,
  authorization: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<FanoutSockets> {
  const init = JSON.stringify({ type: 'connection_init', payload: { authorization } });
  const subscribe = JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } });
  const refusals: string[] = [];
  const sockets = await openAll(count, async () => {
    const socket = await LeanSocket.open(url, 'graphql-transport-ws');
    await new Promise<void>((resolve, reject) => {
      void socket.closed.then(() => reject(new Error('subscriber closed during the handshake')));
      socket.onMessage = (data) => {
        const text = data.toString('utf8');
        if (!text.includes('"connection_ack"')) {
          return reject(new Error(`unexpected handshake message: ${text.slice(0, 200)}`));
        }
        // A refused subscription answers with an error (validation, NOT_FOUND) at once.
        socket.onMessage = (first) => {
          if (first.indexOf('"type":"error"') >= 0) refusals.push(first.toString('utf8'));
        };
        socket.send(subscribe);
        resolve();
      };
      socket.send(init);
    });
    return socket;
  });
  return Object.assign(track(sockets), { refusals });
}

/** `count` plain `ws` sockets for the broadcast baseline. */
export async function openRawSubscribers(url: string, count: number): Promise<FanoutSockets> {
  const sockets = await openAll(count, () => LeanSocket.open(url));
  return track(sockets);
}

export interface FanoutResult {
  subscribers: number;
  events: number;
  /** Trigger sent → the last subscriber has it, per event. */
  lastSubscriberP50Ms: number;
  lastSubscriberP99Ms: number;
  /** Subscriber deliveries that did not arrive within the timeout, over all events. */
  missed: number;
  serverCpuMsPerEvent: number;
  /** The load generator's own CPU per event: when it nears the latency, the client is the limit. */
  clientCpuMsPerEvent: number;
  /** Growth of the server's RSS (after GC, settled) over the open sockets, per socket. */
  rssPerConnectionKb: number;
  /** The same for the JS heap plus external (Buffer) memory: steadier than RSS. */
  heapPerConnectionKb: number;
  eventLoopDelayP99Ms?: number;
}

/**
 * Sends `events` triggers one after another; each waits until every subscriber has the event
 * (identified by its marker) before the next. Returns the per-event latencies to the last one.
 */
export async function measureEvents(
  sockets: FanoutSockets,
  events: number,
  trigger: (marker: string) => Promise<void>,
  markerOf: (k: number) => string,
  timeoutMs = 5000,
): Promise<{ latencies: number[]; missed: number }> {
  const latencies: number[] = [];
  let missed = 0;
  for (let k = 0; k < events; k++) {
    const marker = markerOf(k);
    const arrived = sockets.expect(marker, timeoutMs);
    const sentAt = performance.now();
    await trigger(marker);
    const { lastMs, missing } = await arrived;
    missed += missing;
    if (missing === 0) latencies.push(lastMs - sentAt);
    // A short pause, so events do not queue behind each other.
    await new Promise((r) => setTimeout(r, 10));
  }
  return { latencies, missed };
}

export const summarize = (latencies: number[]) => ({
  p50: round(percentile(latencies, 50)),
  p99: round(percentile(latencies, 99)),
});
