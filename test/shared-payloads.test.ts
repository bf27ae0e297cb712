import { PassThrough } from 'node:stream';
import { GraphQLError } from 'graphql';
import type { ExecutionResult } from 'graphql';
import { MessageType, stringifyMessage } from 'graphql-ws';
import { WebSocket } from 'ws';
import { SharedPayloads } from '../src/http/shared-payloads';
import { BACKLOG_BYTES } from '../src/http/ws-transport';

/**
 * A subscription result shared by many sockets is serialized once (src/http/shared-payloads.ts);
 * what each client receives must be byte for byte what graphql-ws would have sent it.
 */

const socketWith = (bufferedAmount: number, readyState: number = WebSocket.OPEN) =>
  ({ readyState, bufferedAmount }) as unknown as WebSocket;

function capture() {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, written: () => Buffer.concat(chunks) };
}

/** The text of one unmasked WebSocket frame (RFC 6455 §5.2), checking its header. */
function textOf(frame: Buffer): string {
  expect(frame[0]).toBe(0x81); // FIN, text
  const short = frame[1] & 0x7f;
  const [length, start] =
    short === 126
      ? [frame.readUInt16BE(2), 4]
      : short === 127
        ? [Number(frame.readBigUInt64BE(2)), 10]
        : [short, 2];
  expect(frame.length).toBe(start + length);
  return frame.subarray(start).toString('utf8');
}

const graphqlWsMessage = (id: string, payload: ExecutionResult) =>
  stringifyMessage({ id, type: MessageType.Next, payload });

describe('a shared subscription result sent to a socket directly', () => {
  it("is the message graphql-ws would send, with the subscriber's own operation id", async () => {
    const payloads = new SharedPayloads();
    const result = { data: { shipmentUpdated: { note: 'Ünïcode “quotes”', n: 'x'.repeat(300) } } };
    payloads.share(result);
    for (const id of ['1', 'b6f1c1f0-2a4e-4c7e-9f7a-1d3c0f2e9a11', 'odd "id" ✓']) {
      const { stream, written } = capture();
      expect(payloads.sink(socketWith(0), stream, id).send(result)).toBe(true);
      await new Promise((r) => setImmediate(r));
      expect(textOf(written())).toBe(graphqlWsMessage(id, result));
    }
  });

  it('is refused when graphql-ws must send it: errors, not shared, or a backlog', () => {
    const payloads = new SharedPayloads();
    const shared = { data: { ok: true } };
    payloads.share(shared);
    const failed = { data: { ok: null }, errors: [new GraphQLError('boom')] };
    payloads.share(failed);
    const { stream, written } = capture();
    expect(payloads.sink(socketWith(0), stream, '1').send(failed)).toBe(false);
    expect(payloads.sink(socketWith(0), stream, '1').send({ data: { ok: true } })).toBe(false);
    expect(payloads.sink(socketWith(BACKLOG_BYTES), stream, '1').send(shared)).toBe(false);
    expect(written().length).toBe(0);
  });

  it('writes nothing to a socket that is closing', () => {
    const payloads = new SharedPayloads();
    const shared = { data: { ok: true } };
    payloads.share(shared);
    const { stream, written } = capture();
    expect(payloads.sink(socketWith(0, WebSocket.CLOSING), stream, '1').send(shared)).toBe(true);
    expect(written().length).toBe(0);
  });
});
