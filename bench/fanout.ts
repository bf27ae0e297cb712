import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { percentile, round } from './proc';

/** One subscriber socket and whether it has seen the event being measured. */
interface Subscriber {
  socket: WebSocket;
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

/** The load generator's sockets: no compression, and no UTF-8 check of what the server sends. */
const CLIENT_OPTIONS = { perMessageDeflate: false, skipUTF8Validation: true };

/** Opens `count` sockets, `parallel` at a time, each set up by `open`. */
async function openAll(
  count: number,
  open: (i: number) => Promise<WebSocket>,
  parallel = 50,
): Promise<WebSocket[]> {
  const sockets: WebSocket[] = new Array(count);
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

function track(sockets: WebSocket[]): FanoutSockets {
  // Per measured event: which sockets have it, how many are still waiting, when the last came.
  let marker: Buffer | null = null;
  let seen = new Uint8Array(sockets.length);
  let pending = 0;
  let lastAt = 0;
  let done: (() => void) | null = null;
  let sample: Buffer | null = null;
  sockets.forEach((socket, i) => {
    socket.on('message', (data: Buffer) => {
      const at = performance.now();
      if (!marker || seen[i] || data.indexOf(marker) < 0) return;
      seen[i] = 1;
      if (i === 0) sample = data;
      lastAt = at;
      if (--pending === 0) done?.();
    });
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
      await Promise.all(
        sockets.map(
          (s) =>
            new Promise<void>((resolve) => {
              if (s.readyState === WebSocket.CLOSED) return resolve();
              s.once('close', () => resolve());
              s.close();
            }),
        ),
      );
    },
  };
}

/**
 * `count` graphql-ws subscribers (protocol graphql-transport-ws spoken directly over `ws`, so the
 * load generator spends little CPU per message), each authenticated with `authorization` and
 * subscribed to `query`.
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
  const sockets = await openAll(
    count,
    () =>
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(url, 'graphql-transport-ws', CLIENT_OPTIONS);
        const handshake = (data: Buffer) => {
          const text = data.toString('utf8');
          if (text.includes('"connection_ack"')) {
            socket.off('message', handshake);
            socket.send(subscribe);
            // A refused subscription answers with an error (validation, NOT_FOUND) at once.
            socket.once('message', (first: Buffer) => {
              if (first.indexOf('"type":"error"') >= 0) refusals.push(first.toString('utf8'));
            });
            resolve(socket);
          } else {
            reject(new Error(`unexpected handshake message: ${text.slice(0, 200)}`));
          }
        };
        socket.once('open', () => socket.send(init));
        socket.once('error', reject);
        socket.once('close', (code) => reject(new Error(`subscriber closed with ${code}`)));
        socket.on('message', handshake);
      }),
  );
  return Object.assign(track(sockets), { refusals });
}

/** `count` plain `ws` sockets for the broadcast baseline. */
export async function openRawSubscribers(url: string, count: number): Promise<FanoutSockets> {
  const sockets = await openAll(
    count,
    () =>
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(url, CLIENT_OPTIONS);
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
      }),
  );
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
