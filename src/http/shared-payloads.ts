import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';

/** Recently serialized payloads kept for splicing; a message is sent right after its stringify. */
const RECENT = 1024;

/**
 * Serializes a subscription result once for all the sockets it goes to. graphql-ws builds and
 * stringifies `{ id, type: "next", payload }` per subscriber; with `replacer` as its
 * `jsonMessageReplacer`, a shared payload is written as a placeholder, and the WebSocket class
 * from `webSocketClass()` splices the JSON in when the message is sent. Only a message that
 * ENDS with the placeholder as its payload is touched, and the placeholder carries a random
 * per-process nonce, so no client-supplied text can pass for one.
 */
export class SharedPayloads {
  private readonly shared = new WeakSet<object>();
  private readonly tokens = new WeakMap<object, string>();
  private readonly json = new Map<string, string>();
  private readonly prefix = `\u0000cs:${randomBytes(8).toString('hex')}:`;
  /** How the placeholder appears inside the stringified message. */
  private readonly marker = `,"payload":${JSON.stringify(this.prefix).slice(0, -1)}`;
  private next = 0;

  /** Marks a result whose payload is the same for every subscriber that receives it. */
  share(result: { data?: unknown; errors?: unknown }): void {
    if (!result.errors && typeof result.data === 'object' && result.data !== null) {
      this.shared.add(result.data);
    }
  }

  /** `jsonMessageReplacer` for graphql-ws. */
  readonly replacer = (key: string, value: unknown): unknown => {
    if (key !== 'payload' || typeof value !== 'object' || value === null) return value;
    const payload = value as { data?: unknown; errors?: unknown };
    if (payload.errors || typeof payload.data !== 'object' || payload.data === null) return value;
    if (!this.shared.has(payload.data)) return value;
    let token = this.tokens.get(payload.data);
    if (!token || !this.json.has(token)) {
      token = `${this.prefix}${this.next++}`;
      this.tokens.set(payload.data, token);
      this.json.set(token, JSON.stringify(payload));
      if (this.json.size > RECENT) this.json.delete(this.json.keys().next().value as string);
    }
    return token;
  };

  /** The message with a placeholder payload replaced by its JSON; other messages unchanged. */
  splice(message: string): string {
    const at = message.lastIndexOf(this.marker);
    if (at < 0) return message;
    // graphql-ws writes the payload last; anything else would leave a placeholder in place.
    if (!message.endsWith('"}')) throw new Error('unexpected message around a shared payload');
    const quoted = message.slice(at + ',"payload":'.length, -1);
    const json = this.json.get(JSON.parse(quoted) as string);
    // A placeholder is sent right after it is made; losing one would send a broken message.
    if (json === undefined) throw new Error('shared subscription payload no longer available');
    return `${message.slice(0, at)},"payload":${json}}`;
  }

  /** A `ws` WebSocket class (for WebSocketServer's `WebSocket` option) that splices on send. */
  webSocketClass(): typeof WebSocket {
    const splice = (message: string) => this.splice(message);
    return class SplicingWebSocket extends WebSocket {
      override send(data: unknown, ...rest: unknown[]): void {
        const spliced = typeof data === 'string' ? splice(data) : data;
        (WebSocket.prototype.send as (...args: unknown[]) => void).call(this, spliced, ...rest);
      }
    };
  }
}
