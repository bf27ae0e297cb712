import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { OPCODE, wsFrame } from '../src/http/ws-frame';

/** RFC 6455 §1.3: what the server hashes with the client's key to accept it. */
const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * The W4 load generator's WebSocket client: it reads frames off the TCP stream itself. With
 * `ws`'s client each received message cost about 15 µs of JavaScript (two streams, events and a
 * Buffer per frame), more than the server spends writing it, so W4's latency to the last of
 * 10,000 sockets measured the load generator. The client side of RFC 6455, as far as these
 * servers need: the opening handshake (its accept key checked), masked frames out (framed by
 * `ws`'s own Sender), unmasked frames in, pings answered, a close answered; no extensions (none
 * is offered) and no fragmented messages (these servers send none, and one would be refused).
 */
export class LeanSocket {
  /** Each text (or binary) message's payload, a view valid only during the call. */
  onMessage: ((payload: Buffer) => void) | null = null;
  private pending: Buffer | null = null;
  /** Settles when the TCP stream has closed. */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: net.Socket) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  /** Connects to `url` (ws://host:port/path), offering `protocol` when given. */
  static open(url: string, protocol?: string): Promise<LeanSocket> {
    const { hostname, port, pathname } = new URL(url);
    const key = randomBytes(16).toString('base64');
    const expected = createHash('sha1')
      .update(key + ACCEPT_GUID)
      .digest('base64');
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: hostname, port: Number(port), noDelay: true });
      let head = Buffer.alloc(0);
      const fail = (error: Error) => {
        socket.destroy();
        reject(error);
      };
      socket.once('error', fail);
      socket.once('connect', () =>
        socket.write(
          [
            `GET ${pathname} HTTP/1.1`,
            `Host: ${hostname}:${port}`,
            'Upgrade: websocket',
            'Connection: Upgrade',
            `Sec-WebSocket-Key: ${key}`,
            'Sec-WebSocket-Version: 13',
            ...(protocol ? [`Sec-WebSocket-Protocol: ${protocol}`] : []),
            '',
            '',
          ].join('\r\n'),
        ),
      );
      const onHead = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onHead);
        const lines = head.subarray(0, end).toString('latin1').split('\r\n');
        const headers = new Map(
          lines.slice(1).map((line) => {
            const colon = line.indexOf(':');
            return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
          }),
        );
        if (!/^HTTP\/1\.1 101 /.test(lines[0])) return fail(new Error(`handshake: ${lines[0]}`));
        if (headers.get('sec-websocket-accept') !== expected) {
          return fail(new Error('handshake: wrong Sec-WebSocket-Accept'));
        }
        if (protocol && headers.get('sec-websocket-protocol') !== protocol) {
          return fail(new Error(`handshake: protocol ${headers.get('sec-websocket-protocol')}`));
        }
        socket.off('error', fail);
        socket.on('error', () => socket.destroy());
        const lean = new LeanSocket(socket);
        socket.on('data', (data: Buffer) => lean.read(data));
        const rest = head.subarray(end + 4);
        if (rest.length > 0) lean.read(rest);
        resolve(lean);
      };
      socket.on('data', onHead);
    });
  }

  get isOpen(): boolean {
    return !this.socket.destroyed && this.socket.writable;
  }

  send(text: string): void {
    this.write(OPCODE.text, Buffer.from(text, 'utf8'));
  }

  /** A close frame (1000), then the end of the stream; resolves once the socket closed. */
  close(): Promise<void> {
    if (this.isOpen) {
      const code = Buffer.alloc(2);
      code.writeUInt16BE(1000);
      this.write(OPCODE.close, code);
      this.socket.end();
    }
    return this.closed;
  }

  private write(opcode: number, payload: Buffer): void {
    if (!this.isOpen) return;
    this.socket.write(wsFrame(opcode, payload, true));
  }

  /** Every whole frame in what has arrived; a partial one waits for the rest. */
  private read(chunk: Buffer): void {
    const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    while (data.length - at >= 2) {
      const first = data[at];
      const second = data[at + 1];
      let length = second & 0x7f;
      let header = 2;
      if (length === 126) {
        if (data.length - at < 4) break;
        length = data.readUInt16BE(at + 2);
        header = 4;
      } else if (length === 127) {
        if (data.length - at < 10) break;
        length = Number(data.readBigUInt64BE(at + 2));
        header = 10;
      }
      if (data.length - at < header + length) break;
      if ((second & 0x80) !== 0 || (first & 0x80) === 0) {
        // A masked or fragmented frame from a server: not what these servers send.
        this.socket.destroy(new Error('unexpected frame from the server'));
        return;
      }
      this.frame(first & 0x0f, data.subarray(at + header, at + header + length));
      at += header + length;
    }
    this.pending = at < data.length ? Buffer.from(data.subarray(at)) : null;
  }

  private frame(opcode: number, payload: Buffer): void {
    if (opcode === OPCODE.text || opcode === OPCODE.binary) this.onMessage?.(payload);
    else if (opcode === OPCODE.ping) this.write(OPCODE.pong, Buffer.from(payload));
    else if (opcode === OPCODE.close) void this.close();
  }
}
