import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';

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
}

/**
 * Serializes a subscription result once for all the sockets it goes to. graphql-ws builds and
 * stringifies `{ id, type: "next", payload }` per subscriber; with `replacer` as its
 * `jsonMessageReplacer`, a shared payload is written as a placeholder, and the WebSocket class
 * from `webSocketClass()` sends the message with the payload's UTF-8 bytes, encoded once, in the
 * placeholder's place. Only a message that ENDS with the placeholder as its payload is touched,
 * and the placeholder carries a random per-process nonce, so no client-supplied text can pass
 * for one.
 */
export class SharedPayloads {
  /** Shared result data → its placeholder. */
  private readonly shared = new WeakMap<object, Shared>();
  /** A placeholder as it appears (quoted) in a message → the payload's JSON in UTF-8. */
  private readonly bytes = new Map<string, Buffer>();
  private readonly prefix = `\u0000cs:${randomBytes(8).toString('hex')}:`;
  /** How the placeholder appears inside the stringified message. */
  private readonly marker = `${PAYLOAD_KEY}${JSON.stringify(this.prefix).slice(0, -1)}`;
  private next = 0;

  /** Marks a result whose payload is the same for every subscriber that receives it. */
  share(result: { data?: unknown; errors?: unknown; extensions?: unknown }): void {
    if (result.errors || typeof result.data !== 'object' || result.data === null) return;
    if (this.shared.has(result.data)) return;
    const token = `${this.prefix}${this.next++}`;
    this.shared.set(result.data, { token, extensions: result.extensions });
    // What graphql-ws would write for it: the result without `errors` (there are none).
    this.bytes.set(JSON.stringify(token), Buffer.from(JSON.stringify(result), 'utf8'));
    if (this.bytes.size > RECENT) this.bytes.delete(this.bytes.keys().next().value as string);
  }

  /** `jsonMessageReplacer` for graphql-ws. */
  readonly replacer = (key: string, value: unknown): unknown => {
    if (key !== 'payload' || typeof value !== 'object' || value === null) return value;
    const payload = value as { data?: unknown; errors?: unknown; extensions?: unknown };
    if (payload.errors || typeof payload.data !== 'object' || payload.data === null) return value;
    const shared = this.shared.get(payload.data);
    if (!shared || shared.extensions !== payload.extensions) return value;
    return shared.token;
  };

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
    // The head holds the client's operation id, which may be any text: its UTF-8 length.
    const head = message.slice(0, headEnd);
    const headBytes = Buffer.byteLength(head, 'utf8');
    const frame = Buffer.allocUnsafe(headBytes + payload.length + 1);
    frame.write(head, 0, headBytes, 'utf8');
    payload.copy(frame, headBytes);
    frame[frame.length - 1] = CLOSING_BRACE;
    return frame;
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
