import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { WsLimits } from '../config/security';
import type { Logger } from '../config/logger';
import { ErrorCode } from '../core/errors';
import { RateLimit } from './rate-limit';
import type { Take } from './rate-limit';

/** WebSocket close codes this server sends besides graphql-ws' own (README, Security). */
export const WS_CLOSE = {
  /** The token is unknown or was revoked (at connect, or found revoked while open). */
  FORBIDDEN: 4403,
  /** The token holds its most sockets already (graphql-ws clients do not retry it). */
  TOO_MANY_SOCKETS: 4429,
} as const;

/** An HTTP refusal of a WebSocket upgrade. */
export interface UpgradeRefusal {
  status: number;
  retryAfterSeconds?: number;
  body: { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
}

/** What the guard needs of a graphql-ws connection: its `Context`. */
export interface GuardedSocket {
  /** Operations in flight on the socket; graphql-ws deletes each when it ends. */
  readonly subscriptions: Record<string, unknown>;
  readonly extra: { socket: { close(code: number, reason: string): void } };
}

export interface WsGuardParts {
  limits: WsLimits;
  logger: Logger;
  /** Which of these token ids are still valid (neither revoked nor deleted). */
  liveTokens(ids: number[]): Promise<Set<number>>;
  /** The per-IP request limiter that HTTP uses (null when rate limits are off). */
  takeIp: ((ip: string) => Promise<Take>) | null;
}

interface Connection {
  key: string;
  tokenId: number;
  socket: GuardedSocket;
  /** Subscriptions admitted on it; those graphql-ws has since dropped are pruned when counted. */
  admitted: Set<string>;
}

/**
 * The limits of the WebSocket transport, and revocation of open sockets. Sockets and
 * subscriptions are counted in this process (a socket lives on one instance); handshakes spend
 * the per-IP bucket that HTTP spends (shared through Redis when the limiter is).
 */
export class WsGuard {
  private readonly limits: WsLimits;
  private readonly byToken = new Map<number, Set<Connection>>();
  private readonly bySocket = new WeakMap<GuardedSocket, Connection>();
  private readonly socketsByIp = new Map<string, number>();
  private readonly operations: RateLimit;
  private readonly timer: NodeJS.Timeout;
  private rechecking = false;

  constructor(private readonly parts: WsGuardParts) {
    this.limits = parts.limits;
    // A connection's operations reach only the instance holding it: memory is the whole count.
    this.operations = new RateLimit({
      name: 'ws-operations',
      points: this.limits.operationsPerSecond,
      seconds: 1,
    });
    const every = Math.min(this.limits.tokenRecheckMs, 2_147_483_647);
    this.timer = setInterval(() => void this.recheckTokens(), every);
    this.timer.unref();
  }

  /** Before the upgrade: the IP's request bucket, then its open sockets. Null admits it. */
  async admitUpgrade(ip: string): Promise<UpgradeRefusal | null> {
    if (this.parts.takeIp) {
      const taken = await this.parts.takeIp(ip);
      if (!taken.ok) {
        this.parts.logger.warn('rate limited', { limit: 'IP', ip, transport: 'websocket' });
        return refusal(429, 'Too many requests from this address; retry later.', {
          code: ErrorCode.RATE_LIMITED,
          limit: 'IP',
          retryAfterSeconds: taken.retryAfterSeconds,
        });
      }
    }
    if (this.limits.enabled && (this.socketsByIp.get(ip) ?? 0) >= this.limits.socketsPerIp) {
      this.parts.logger.warn('websocket refused', { limit: 'SOCKETS_PER_IP', ip });
      return refusal(429, 'Too many open sockets from this address.', {
        code: ErrorCode.RATE_LIMITED,
        limit: 'SOCKETS_PER_IP',
      });
    }
    return null;
  }

  /** An upgraded socket from `ip`; the returned function is called when it closes. */
  opened(ip: string): () => void {
    this.socketsByIp.set(ip, (this.socketsByIp.get(ip) ?? 0) + 1);
    return () => {
      const left = (this.socketsByIp.get(ip) ?? 1) - 1;
      if (left > 0) this.socketsByIp.set(ip, left);
      else this.socketsByIp.delete(ip);
    };
  }

  /** After authentication: false when the token holds its most sockets (the socket is closed). */
  connect(socket: GuardedSocket, tokenId: number): boolean {
    let sockets = this.byToken.get(tokenId);
    if (this.limits.enabled && sockets && sockets.size >= this.limits.socketsPerToken) {
      this.parts.logger.warn('websocket refused', { limit: 'SOCKETS_PER_TOKEN', tokenId });
      socket.extra.socket.close(WS_CLOSE.TOO_MANY_SOCKETS, 'Too many sockets for this token');
      return false;
    }
    if (!sockets) this.byToken.set(tokenId, (sockets = new Set()));
    const connection = { key: randomUUID(), tokenId, socket, admitted: new Set<string>() };
    sockets.add(connection);
    this.bySocket.set(socket, connection);
    return true;
  }

  /** Each operation, before anything is parsed: the socket's operations per second. */
  async beforeOperation(socket: GuardedSocket): Promise<GraphQLError | null> {
    const connection = this.bySocket.get(socket);
    if (!this.limits.enabled || !connection) return null;
    const taken = await this.operations.take(connection.key);
    if (taken.ok) return null;
    return new GraphQLError('Too many operations on this connection; retry later.', {
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        limit: 'OPERATIONS',
        retryAfterSeconds: taken.retryAfterSeconds,
      },
    });
  }

  /** A subscription about to start: refused beyond the socket's or the token's most. */
  subscribing(socket: GuardedSocket, id: string): GraphQLError | null {
    const connection = this.bySocket.get(socket);
    if (connection && this.limits.enabled) {
      const onSocket = this.running(connection);
      let onToken = 0;
      for (const other of this.byToken.get(connection.tokenId) ?? []) {
        onToken += other === connection ? onSocket : this.running(other);
      }
      const over =
        onSocket >= this.limits.subscriptionsPerSocket
          ? 'SUBSCRIPTIONS_PER_SOCKET'
          : onToken >= this.limits.subscriptionsPerToken
            ? 'SUBSCRIPTIONS_PER_TOKEN'
            : null;
      if (over) {
        this.parts.logger.warn('subscription refused', {
          limit: over,
          tokenId: connection.tokenId,
        });
        const where = over === 'SUBSCRIPTIONS_PER_SOCKET' ? 'connection' : 'token';
        return new GraphQLError(`Too many subscriptions on this ${where}; complete one first.`, {
          extensions: { code: ErrorCode.SUBSCRIPTION_LIMIT, limit: over },
        });
      }
      connection.admitted.add(id);
    }
    return null;
  }

  /** An operation completed (graphql-ws `onComplete`). */
  completed(socket: GuardedSocket, id: string): void {
    this.bySocket.get(socket)?.admitted.delete(id);
  }

  /** The socket closed (graphql-ws `onClose`). */
  closed(socket: GuardedSocket): void {
    const connection = this.bySocket.get(socket);
    if (!connection) return;
    this.bySocket.delete(socket);
    const sockets = this.byToken.get(connection.tokenId);
    sockets?.delete(connection);
    if (sockets?.size === 0) this.byToken.delete(connection.tokenId);
  }

  /** Reads the tokens of all open sockets again; closes those of revoked ones with 4403. */
  async recheckTokens(): Promise<void> {
    if (this.rechecking || this.byToken.size === 0) return;
    this.rechecking = true;
    try {
      const ids = [...this.byToken.keys()];
      const live = await this.parts.liveTokens(ids);
      for (const id of ids) {
        if (live.has(id)) continue;
        const sockets = [...(this.byToken.get(id) ?? [])];
        if (sockets.length > 0)
          this.parts.logger.info('revoked token: sockets closed', {
            tokenId: id,
            sockets: sockets.length,
          });
        for (const connection of sockets)
          connection.socket.extra.socket.close(WS_CLOSE.FORBIDDEN, 'Forbidden');
      }
    } catch (error) {
      // The next round tries again; a database hiccup must not close every socket.
      this.parts.logger.warn('token re-check failed', { error: String(error) });
    } finally {
      this.rechecking = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Subscriptions still running on a connection (graphql-ws deletes finished ones). */
  private running(connection: Connection): number {
    for (const id of connection.admitted) {
      if (!(id in connection.socket.subscriptions)) connection.admitted.delete(id);
    }
    return connection.admitted.size;
  }
}

function refusal(
  status: number,
  message: string,
  extensions: Record<string, unknown> & { retryAfterSeconds?: number },
): UpgradeRefusal {
  return {
    status,
    retryAfterSeconds: extensions.retryAfterSeconds,
    body: { errors: [{ message, extensions }] },
  };
}
