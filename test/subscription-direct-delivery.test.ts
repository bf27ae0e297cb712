import { buildSchema, parse } from 'graphql';
import type { ExecutionResult } from 'graphql';
import { sharedSubscribe } from '../src/graphql/shared-subscribe';
import type { DirectSink } from '../src/graphql/shared-subscribe';
import { MAX_PENDING_EVENTS } from '../src/pubsub/push-queue';
import { topicIterator } from '../src/pubsub/topic-iterator';
import { waitFor } from './support/wait';

/**
 * A subscription over a plain topic with a DirectSink (src/graphql/shared-execution.ts): its
 * results go to the sink while the transport waits on the iterator, and through the iterator
 * otherwise. The transport's client must see every event once, in publish order.
 */

const schema = buildSchema(`
  type Query { ok: Boolean }
  type Subscription { ticked: Tick }
  type Tick { n: Int!, slow: Int!, failing: Int }
`);

interface Payload {
  n: number;
  /** How long this event's `slow` field takes to resolve. */
  delayMs: number;
  fail?: boolean;
}

const target = new EventTarget();
const publish = (payload: Payload) =>
  target.dispatchEvent(new CustomEvent('tick', { detail: payload }));

/** Events whose execution has resolved `n` (the field every query here selects). */
let executed = 0;

const fieldResolver = (
  source: unknown,
  _args: unknown,
  _ctx: unknown,
  info: { fieldName: string },
) => {
  const payload = source as Payload;
  if (info.fieldName === 'ticked') return payload;
  if (info.fieldName === 'n') executed++;
  if (info.fieldName === 'slow')
    return new Promise((r) => setTimeout(() => r(payload.n), payload.delayMs));
  if (info.fieldName === 'failing') {
    if (payload.fail) throw new Error('field failed');
    return null;
  }
  return (payload as unknown as Record<string, unknown>)[info.fieldName];
};

/** A sink that records what it sent, and refuses while `refusing` is set (a backlog). */
class RecordingSink implements DirectSink {
  readonly sent: number[] = [];
  refusing = false;
  send(result: ExecutionResult): boolean {
    if (result.errors || this.refusing) return false;
    this.sent.push((result.data as { ticked: { n: number } }).ticked.n);
    return true;
  }
}

const running: Array<AsyncIterableIterator<ExecutionResult>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((iterator) => iterator.return?.()));
});

const tick = () => new Promise((r) => setTimeout(r, 0));

async function subscribeWith(
  sink: RecordingSink | undefined,
  query = '{ ticked { n slow failing } }',
) {
  const subscribe = sharedSubscribe({
    audienceOf: () => 'everyone',
    contextForEvent: (ctx) => ctx,
    sinkFor: () => sink,
  });
  const stream = await subscribe({
    schema,
    document: parse(`subscription ${query}`),
    subscribeFieldResolver: () => topicIterator(target, 'tick'),
    contextValue: {},
    fieldResolver: fieldResolver as never,
  });
  running.push(stream as AsyncIterableIterator<ExecutionResult>);
  return stream as AsyncIterableIterator<ExecutionResult>;
}

/** What a transport does with the iterator: pulls one result at a time, in order. */
function drain(iterator: AsyncIterableIterator<ExecutionResult>) {
  const pulled: Array<number | string> = [];
  const done = (async () => {
    for await (const result of iterator) {
      pulled.push(
        result.errors
          ? `error:${result.errors[0].message}`
          : (result.data as { ticked: { n: number } }).ticked.n,
      );
    }
  })();
  return { pulled, done };
}

describe('a subscription with a direct sink', () => {
  it('sends each event to the sink, not through the iterator', async () => {
    const sink = new RecordingSink();
    const { pulled } = drain(await subscribeWith(sink));
    await tick();
    for (const n of [1, 2, 3]) publish({ n, delayMs: 0 });
    await waitFor('three sends', () => sink.sent.length === 3);
    expect(sink.sent).toEqual([1, 2, 3]);
    expect(pulled).toEqual([]);
  });

  it('keeps publish order when a later event finishes executing first', async () => {
    const sink = new RecordingSink();
    drain(await subscribeWith(sink));
    await tick();
    publish({ n: 1, delayMs: 40 });
    publish({ n: 2, delayMs: 0 });
    await waitFor('two sends', () => sink.sent.length === 2);
    expect(sink.sent).toEqual([1, 2]);
  });

  it('gives a result with errors to the iterator (the transport formats it), in order', async () => {
    const sink = new RecordingSink();
    const { pulled } = drain(await subscribeWith(sink));
    await tick();
    publish({ n: 1, delayMs: 0 });
    publish({ n: 2, delayMs: 0, fail: true });
    await waitFor('the first two events', () => sink.sent.length + pulled.length === 2);
    publish({ n: 3, delayMs: 0 });
    await waitFor('the third event', () => sink.sent.length === 2);
    expect(sink.sent).toEqual([1, 3]);
    expect(pulled).toEqual(['error:field failed']);
  });

  it('queues behind a refused result rather than overtake it', async () => {
    const sink = new RecordingSink();
    const iterator = await subscribeWith(sink);
    await tick();
    // The transport is busy (not waiting on the iterator): nothing may go to the sink.
    sink.refusing = true;
    const first = iterator.next();
    const before = executed;
    publish({ n: 1, delayMs: 0 });
    publish({ n: 2, delayMs: 0 });
    await waitFor('both events executed', () => executed - before === 2);
    await tick();
    sink.refusing = false;
    expect((await first).value?.data).toEqual({ ticked: { n: 1, slow: 1, failing: null } });
    // n=2 came while the transport was still sending n=1: it waits in the iterator too.
    expect((await iterator.next()).value?.data).toEqual({
      ticked: { n: 2, slow: 2, failing: null },
    });
    expect(sink.sent).toEqual([]);
    const { pulled } = drain(iterator);
    await tick();
    publish({ n: 3, delayMs: 0 });
    await waitFor('the send of n=3', () => sink.sent.length === 1);
    expect(sink.sent).toEqual([3]);
    expect(pulled).toEqual([]);
  });

  it('sends nothing after the client unsubscribes, and stops listening', async () => {
    const sink = new RecordingSink();
    const iterator = await subscribeWith(sink);
    const { done } = drain(iterator);
    await tick();
    publish({ n: 1, delayMs: 20 });
    await iterator.return?.();
    await done;
    publish({ n: 2, delayMs: 0 });
    // Nothing can be awaited for what must not happen: longer than n=1's 20 ms execution.
    await new Promise((r) => setTimeout(r, 60));
    expect(sink.sent).toEqual([]);
  });

  it(`ends a subscriber that falls ${MAX_PENDING_EVENTS} results behind with an error`, async () => {
    const sink = new RecordingSink();
    sink.refusing = true;
    const iterator = await subscribeWith(sink, '{ ticked { n } }');
    const before = executed;
    for (let n = 0; n <= MAX_PENDING_EVENTS; n++) publish({ n, delayMs: 0 });
    await waitFor('every event executed', () => executed - before > MAX_PENDING_EVENTS);
    await tick();
    await expect(iterator.next()).rejects.toThrow(`fell ${MAX_PENDING_EVENTS} events behind`);
  });

  it('without a sink, every result goes through the iterator', async () => {
    const { pulled } = drain(await subscribeWith(undefined));
    await tick();
    for (const n of [1, 2]) publish({ n, delayMs: 0 });
    await waitFor('two results pulled', () => pulled.length === 2);
    expect(pulled).toEqual([1, 2]);
  });
});
