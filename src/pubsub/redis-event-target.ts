import { randomUUID } from 'node:crypto';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { PubSubEventTarget } from '@graphql-yoga/subscription';
import { Redis } from 'ioredis';
import type { Logger } from '../config/logger';
import type { Topics } from './event-bus';

export interface RedisPubSubOptions {
  url: string;
  /**
   * Prepended to every channel, so deployments (or parallel test runs) sharing one Redis do not
   * hear each other. Instances that must share events use the same prefix.
   */
  channelPrefix: string;
  logger: Logger;
  /** This instance's subscribers listen here; messages from other instances are dispatched here. */
  local: EventTarget;
}

export interface RedisPubSub {
  eventTarget: PubSubEventTarget<Topics>;
  /** The publish connection, which also carries the shared rate limit counters. */
  commands: Redis;
  /** Throws unless both connections are up (readiness). */
  check(): Promise<void>;
  close(): Promise<void>;
}

type Listener = Parameters<EventTarget['addEventListener']>[1];

/** What crosses Redis: the payload, and which instance sent it. */
interface Envelope {
  origin: string;
  detail: unknown;
}

/** The URL without its password, for messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unparsable REDIS_URL';
  }
}

/** Connects both clients, or neither: a half-open pair would keep the process alive. */
async function connectBoth(clients: Redis[], url: string): Promise<void> {
  const results = await Promise.allSettled(clients.map((client) => client.connect()));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failure) return;
  for (const client of clients) client.disconnect();
  throw new Error(`Redis at ${redactRedisUrl(url)} is unreachable: ${String(failure.reason)}`);
}

/**
 * Pub/sub across instances: one publish and one subscribe connection per process (Redis' own
 * guidance; each process fans out to its subscribers locally).
 *
 * A publish is delivered to this instance's listeners at once, in-process, and sent through Redis
 * to the others, which ignore their own messages. So an instance's subscribers never wait for, or
 * depend on, the Redis round trip, and each event reaches each listener exactly once.
 */
export async function connectRedisPubSub(options: RedisPubSubOptions): Promise<RedisPubSub> {
  const { url, channelPrefix, logger, local } = options;
  const origin = randomUUID();
  const clientOptions = { lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 3 };
  const publisher = new Redis(url, { ...clientOptions, connectionName: 'countersign-pub' });
  const subscriber = new Redis(url, { ...clientOptions, connectionName: 'countersign-sub' });
  for (const [role, client] of [
    ['publish', publisher],
    ['subscribe', subscriber],
  ] as const) {
    // ioredis reconnects by itself; without a listener it would print every failure to stderr.
    client.on('error', (error: Error) =>
      logger.warn('redis connection error', { role, error: error.message }),
    );
  }
  await connectBoth([publisher, subscriber], url);

  const remote = createRedisEventTarget<CustomEvent>({
    // The library drops publish()'s promise: catch here, or a Redis outage would surface as an
    // unhandled rejection and stop the process. The event is lost either way (pub/sub is
    // fire-and-forget); the data is committed and reloads show it.
    publishClient: {
      publish: (channel: string, message: string) =>
        publisher.publish(channel, message).catch((error: unknown) => {
          logger.error('redis publish failed', { channel, error: String(error) });
          return 0;
        }),
    } as unknown as Redis,
    subscribeClient: subscriber,
  });
  // Topics with listeners on this instance; the relay is subscribed in Redis for exactly these.
  const listeners = new Map<string, Set<unknown>>();
  const relay = (event: Event) => {
    const envelope = (event as CustomEvent<Envelope | null>).detail;
    if (!envelope || envelope.origin === origin) return;
    const topic = event.type.slice(channelPrefix.length);
    local.dispatchEvent(new CustomEvent(topic, { detail: envelope.detail }));
  };

  const eventTarget = {
    addEventListener(topic: string, listener: Listener | null) {
      if (!listener) return;
      local.addEventListener(topic, listener);
      let set = listeners.get(topic);
      if (!set) {
        set = new Set();
        listeners.set(topic, set);
        remote.addEventListener(channelPrefix + topic, relay);
      }
      set.add(listener);
    },
    removeEventListener(topic: string, listener: Listener | null) {
      if (!listener) return;
      local.removeEventListener(topic, listener);
      const set = listeners.get(topic);
      if (!set?.delete(listener) || set.size > 0) return;
      listeners.delete(topic);
      remote.removeEventListener(channelPrefix + topic, relay);
    },
    dispatchEvent(event: Event) {
      const detail = (event as CustomEvent).detail as unknown;
      local.dispatchEvent(new CustomEvent(event.type, { detail }));
      const envelope: Envelope = { origin, detail };
      return remote.dispatchEvent(
        new CustomEvent(channelPrefix + event.type, { detail: envelope }),
      );
    },
  } as PubSubEventTarget<Topics>;

  return {
    eventTarget,
    commands: publisher,
    async check() {
      for (const client of [publisher, subscriber]) {
        if (client.status !== 'ready') throw new Error(`redis connection is ${client.status}`);
      }
      await publisher.ping();
    },
    async close() {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
