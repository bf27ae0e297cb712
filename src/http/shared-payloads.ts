import { randomBytes } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import type { Duplex } from 'node:stream';
import { LRUCache } from 'lru-cache';
import { WebSocket } from 'ws';
import type { DirectSink } from '../graphql/shared-subscribe';
import { OPCODE, wsFrame } from './ws-frame';
import { BACKLOG_BYTES } from './ws-transport';

/** Recently shared payloads kept for splicing; a message is sent right after its stringify. */
const RECENT = 1024;
/** How graphql-ws writes the payload key; it writes the payload last. */
const PAYLOAD_KEY = ',"payload":';
const CLOSING_BRACE = 0x7d;
/** `ws` send options for a text message given as bytes. */
const TEXT = Object.freeze({ binary: false });

interface Shared {
  /** The placeholder written in the payload's place. */
  token: string;
  /** The result's extensions: a payload carrying others is not this one (and is not replaced). */
  extensions: unknown;
  /** The payload's JSON in UTF-8. */
  bytes: Buffer;
  /** The WebSocket frame last made for a direct send, and the operation id it was for. */
  lastId: string | null;
  lastFrame: Buffer | null;
}

/**
 * Serializes a subscription result once for all the sockets it goes to. graphql-ws builds and
 * stringifies `{ id, type: "next", payload }` per subscriber; with `replacer` as its
 * `jsonMessageReplacer`, a shared payload is written as a placeholder, and the WebSocket class
 * from `webSocketClass()` sends the message with the payload's UTF-8 bytes, encoded once, in the
 * placeholder's place. Only a message that ENDS with the placeholder as its payload is touched,
 * and the placeholder carries a random per-process nonce, so no client-supplied text can pass
 * for one. A subscription with a `sink` skips all that while graphql-ws is idle on it: the sink
 * writes the whole frame, made once per result and operation id, to the socket's stream.
 */
export class SharedPayloads {
  /** Shared result data → its placeholder. */
  private readonly shared = new WeakMap<object, Shared>();
  /** A placeholder as it appears (quoted) in a message → the payload's JSON in UTF-8. */
  private readonly bytes = new LRUCache<string, Buffer>({ max: RECENT });
  private readonly prefix = `\u0000cs:${randomBytes(8).toString('hex')}:`;
  /** How the placeholder appears inside the stringified message. */
  private readonly marker = `${PAYLOAD_KEY}${JSON.stringify(this.prefix).slice(0, -1)}`;
  private next = 0;

  /** Marks a result whose payload is the same for every subscriber that receives it. */
  share(result: { data?: unknown; errors?: unknown; extensions?: unknown }): void {
    if (result.errors || typeof result.data !== 'object' || result.data === null) return;
    if (this.shared.has(result.data)) return;
    const token = `${this.prefix}${this.next++}`;
    // What graphql-ws would write for it: the result without `errors` (there are none).
    const bytes = Buffer.from(JSON.stringify(result), 'utf8');
    this.shared.set(result.data, {
      token,
      extensions: result.extensions,
      bytes,
      lastId: null,
      lastFrame: null,
    });
    this.bytes.set(JSON.stringify(token), bytes);
  }

  /** `jsonMessageReplacer` for graphql-ws. */
  readonly replacer = (key: string, value: unknown): unknown => {
    if (key !== 'payload' || typeof value !== 'object' || value === null) return value;
    return this.sharedOf(value)?.token ?? value;
  };

  /** What `share` kept for a result (or graphql-ws' copy of it): none if it has errors. */
  private sharedOf(result: { data?: unknown; errors?: unknown; extensions?: unknown }) {
    if (result.errors || typeof result.data !== 'object' || result.data === null) return undefined;
    const shared = this.shared.get(result.data);
    return shared && shared.extensions === result.extensions ? shared : undefined;
  }

  /**
   * The message to send: with a placeholder payload, its UTF-8 bytes with the payload's in place
   * (copied, not encoded again per socket); any other message unchanged.
   */
  splice(message: string): string | Buffer {
    const at = message.lastIndexOf(this.marker);
    if (at < 0) return message;
    // graphql-ws writes the payload last; anything else would leave a placeholder in place.
    if (!message.endsWith('"}')) throw new Error('unexpected message around a shared payload');
    const headEnd = at + PAYLOAD_KEY.length;
    const payload = this.bytes.get(message.slice(headEnd, -1));
    // A placeholder is sent right after it is made; losing one would send a broken message.
    if (payload === undefined) throw new Error('shared subscription payload no longer available');
    return withPayload(message.slice(0, headEnd), payload);
  }

  /**
   * The `DirectSink` for subscription `id` on `socket`: sends a shared result as graphql-ws
   * would (the same bytes: `{"id":…,"type":"next","payload":…}`), and refuses what graphql-ws
   * must handle itself: a result with errors (its `onNext` hook formats and logs them), one not
   * shared, and any result while the socket has a backlog (graphql-ws then waits for the flush).
   */
  sink(socket: WebSocket, stream: Duplex, id: string): DirectSink {
    return new SocketSink(this, socket, stream, id);
  }

  /** `SocketSink.send`: kept here, next to the shared bytes. */
  sendTo(socket: WebSocket, stream: Duplex, id: string, result: ExecutionResult): boolean {
    const shared = this.sharedOf(result);
    if (!shared) return false;
    // A closing socket: graphql-ws' own send would skip it too (ws-transport.ts).
    if (socket.readyState !== WebSocket.OPEN) return true;
    if (socket.bufferedAmount >= BACKLOG_BYTES) return false;
    // Subscribers that chose the same operation id (many clients start at "1") share one frame.
    if (shared.lastId !== id || !shared.lastFrame) {
      shared.lastFrame = wsFrame(
        OPCODE.text,
        withPayload(`{"id":${JSON.stringify(id)},"type":"next"${PAYLOAD_KEY}`, shared.bytes),
      );
      shared.lastId = id;
    }
    // The frame made once goes to the TCP stream as `ws` itself would write it. Safe only because
    // `ws` queues nothing of its own here: it queues only while compressing (perMessageDeflate
    // is off, app.ts) or reading a Blob (never sent); its writes are whole frames, in order.
    stream.write(shared.lastFrame);
    return true;
  }

  /** A `ws` WebSocket class (for WebSocketServer's `WebSocket` option) that splices on send. */
  webSocketClass(): typeof WebSocket {
    const splice = (message: string) => this.splice(message);
    const send = WebSocket.prototype.send as (...args: unknown[]) => void;
    return class SplicingWebSocket extends WebSocket {
      override send(data: unknown, ...rest: unknown[]): void {
        const spliced = typeof data === 'string' ? splice(data) : data;
        if (spliced === data) return send.call(this, data, ...rest);
        // Still a text message, though its bytes are given (`ws` sends a Buffer as binary).
        const [options, cb] = rest;
        if (options === undefined || typeof options === 'function') {
          return send.call(this, spliced, TEXT, options);
        }
        send.call(this, spliced, { ...(options as object), binary: false }, cb);
      }
    };
  }
}

/** One subscription's way into `SharedPayloads.sendTo`; small, as one lives per subscription. */
class SocketSink implements DirectSink {
  constructor(
    private readonly payloads: SharedPayloads,
    private readonly socket: WebSocket,
    private readonly stream: Duplex,
    private readonly id: string,
  ) {}

  send(result: ExecutionResult): boolean {
    return this.payloads.sendTo(this.socket, this.stream, this.id, result);
  }
}

/** `head` (the message up to its payload), `payload`'s bytes and the closing brace, in UTF-8. */
function withPayload(head: string, payload: Buffer): Buffer {
  // The head holds the client's operation id, which may be any text: its UTF-8 length.
  const headBytes = Buffer.byteLength(head, 'utf8');
  const message = Buffer.allocUnsafe(headBytes + payload.length + 1);
  message.write(head, 0, headBytes, 'utf8');
  payload.copy(message, headBytes);
  message[message.length - 1] = CLOSING_BRACE;
  return message;
}
