import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode, handleProtocols, makeServer } from 'graphql-ws';
import { LRUCache } from 'lru-cache';
import type { ConnectionInitMessage, JSONMessageReviver, ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';

/** What every connection's `extra` carries: its socket, and the TCP stream under it. */
export interface SocketExtra {
  readonly socket: WebSocket;
  /** For writing whole frames made once for many sockets (shared-payloads.ts). */
  readonly stream: Duplex;
}

export interface WsTransport {
  /** Closes every socket (1001) and the WebSocket server. */
  dispose(): Promise<void>;
}

type Params = ConnectionInitMessage['payload'];

/**
 * graphql-ws served over `ws` through graphql-ws' documented `makeServer`, as its own
 * `graphql-ws/use/ws` adapter does, but holding less for each of thousands of open sockets (W4):
 * not the HTTP upgrade request (that adapter keeps it in every connection's `extra`; nothing
 * here reads it), not the received message's Buffer next to its text while a subscription runs
 * (its handler awaited the whole operation), and one keep-alive timer per socket rather than a
 * second one and a `pong` listener per ping. Protocol handling is graphql-ws' own.
 */
export function serveGraphqlWs<P extends Params, E extends object>(
  options: ServerOptions<P, SocketExtra & E>,
  ws: WebSocketServer,
  onError: (message: string, error: unknown) => void,
  keepAliveMs = 12_000,
): WsTransport {
  const server = makeServer(options);
  ws.options.handleProtocols = handleProtocols;
  ws.once('error', (error) => {
    onError('websocket server error', error);
    for (const client of ws.clients) client.close(CloseCode.InternalServerError, INTERNAL);
  });
  ws.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    socket.once('error', (error) => {
      onError('websocket error', error);
      socket.close(CloseCode.InternalServerError, INTERNAL);
    });
    // A ping each interval; a socket whose pong has not come back by the next one is dead.
    let awaitingPong = false;
    socket.on('pong', () => {
      awaitingPong = false;
    });
    const keepAlive = setInterval(() => {
      if (awaitingPong) return socket.terminate();
      if (socket.readyState !== socket.OPEN) return;
      awaitingPong = true;
      socket.ping();
    }, keepAliveMs);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        // graphql-ws waits on the returned promise for backpressure: only a socket with a
        // backlog gets one (settled when its write is flushed). A write to a socket that keeps
        // up costs no promise and no callback, at 10,000 sockets per event; its failure still
        // reaches the socket's 'error' and 'close' handlers.
        send: (data) => {
          if (socket.readyState !== socket.OPEN) return;
          if (socket.bufferedAmount < BACKLOG_BYTES) return socket.send(data);
          return new Promise<void>((resolve, reject) => {
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          });
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data: Buffer) => {
            handle(String(data)).catch((error: unknown) => {
              onError('websocket message handling failed', error);
              socket.close(CloseCode.InternalServerError, INTERNAL);
            });
          }),
      },
      // The application's own fields (E) are set by its hooks, from onConnect on.
      { socket, stream: req.socket } as SocketExtra & E,
    );
    socket.once('close', (code, reason) => {
      clearInterval(keepAlive);
      closed(code, String(reason)).catch((error: unknown) =>
        onError('websocket close handling failed', error),
      );
    });
  });
  return {
    async dispose() {
      for (const client of ws.clients) client.close(1001, 'Going away');
      ws.removeAllListeners();
      await new Promise<void>((resolve, reject) =>
        ws.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** Bytes a socket may have waiting to be written before its sends wait for the flush. */
export const BACKLOG_BYTES = 64 * 1024;

/** The close reason for a server-side failure; its details go to the log, not the client. */
const INTERNAL = 'Internal server error';

/**
 * A `jsonMessageReviver` for graphql-ws that keeps one copy of each operation text: graphql-ws
 * holds a subscription's parsed message, query text included, for as long as it runs, and every
 * client of one page sends the same text (W4: half a kilobyte of each socket's memory). Only
 * texts up to `maxLength` are kept, at most `max` of them, least recently used out, so hostile
 * clients cannot make it hold much.
 */
export function sharedOperationTexts(max = 500, maxLength = 8192): JSONMessageReviver {
  const texts = new LRUCache<string, string>({ max });
  return (key: string, value: unknown): unknown => {
    if (key !== 'query' || typeof value !== 'string' || value.length > maxLength) return value;
    const known = texts.get(value);
    if (known !== undefined) return known;
    texts.set(value, value);
    return value;
  };
}
