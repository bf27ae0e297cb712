import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import v8 from 'node:v8';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';
import { authenticate, bearerToken } from '../src/auth/authenticate';
import { startCountersign } from '../src/bootstrap';
import { loadConfig } from '../src/config/config';
import { envString } from '../src/config/env';
import type { GraphQLContext } from '../src/graphql/context';
import { SqlCounter } from '../src/db/sql-counter';
import { createSchema } from '../src/graphql/schema';
import { createLoaders } from '../src/loaders/loaders';
import { OPCODE, wsFrame } from '../src/http/ws-frame';
import { bareGraphqlHandler, readBody } from './bare-graphql';
import { createRawSchema } from './raw-schema';
import { floorHandler, openFloorDatabase } from './floor';
import { backendPids } from './pg-bench';
import { startPeer } from './peer';

/**
 * The benchmark's server process (pinned to core 0 by bench/run): the product on its own port,
 * and the same-run baselines on a second port, with a control endpoint for the load generator:
 *   /bare/cached, /bare/stringify   bare node:http returning W1's JSON (set with PUT /bare)
 *   /raw/sdl                       W1 through raw graphql-js, minimal SDL schema, same data layer
 *   /raw/tg                        the product's type-graphql schema through raw graphql-js
 *   /floor                         W1's answer built by one hand-written SQL statement
 *   /backends                      pids of this server's PostgreSQL backends (PostgreSQL only)
 *   /stats                         SQL statements so far, memory, event-loop delay (?reset=1)
 *   /gc                            a full GC before a memory reading
 *   /profile/start, /profile/stop?name=…   a V8 CPU profile of one phase (with BENCH_PROFILE_DIR)
 *   /heap-snapshot?name=…          a heap snapshot (with BENCH_PROFILE_DIR)
 * and a plain `ws` broadcast server: POST /broadcast sends the body to every socket with `ws`;
 * POST /broadcast?framed=1 frames it once and writes those bytes to every socket's TCP stream,
 * the floor any WebSocket server's fan-out pays in the kernel.
 */

const listen = (server: http.Server): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

async function main(): Promise<void> {
  const sql = new SqlCounter();
  const config = loadConfig({ ...process.env, PORT: '0' });
  const countersign = await startCountersign(config, { sqlCounter: sql });
  const { db, services } = countersign;

  // The same context the product builds per request (src/http/app.ts).
  const contextFor = async (authorization: string | undefined): Promise<GraphQLContext> => ({
    requestId: randomUUID(),
    viewer: await authenticate(db.manager, bearerToken(authorization)),
    loaders: createLoaders(db.manager),
    services,
  });
  const rawSdl = bareGraphqlHandler(createRawSchema(), contextFor);
  const rawTg = bareGraphqlHandler(await createSchema(countersign.events), contextFor);
  const databaseUrl = config.databaseUrl;
  const floorDb = openFloorDatabase(databaseUrl);
  const floor = floorHandler(floorDb);
  const postgres = floorDb.pool ?? null;
  const applicationName = postgres
    ? new URL(databaseUrl).searchParams.get('application_name')
    : null;
  // PostGraphile, the peer, over the same PostgreSQL data (PostgreSQL only).
  const peer = postgres ? await startPeer(databaseUrl) : null;

  let bareText = '{}';
  let bareObject: unknown = {};
  const profileDir = envString(process.env, 'BENCH_PROFILE_DIR');
  const inspector = profileDir ? new Session() : null;
  inspector?.connect();
  await inspector?.post('Profiler.enable');
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  const baselines = http.createServer((req, res) => {
    const json = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(body);
    };
    const url = req.url ?? '';
    const handle = async () => {
      if (url === '/bare/cached') return json(200, bareText);
      if (url === '/bare/stringify') return json(200, JSON.stringify(bareObject));
      if (url === '/raw/sdl') return rawSdl(req, res);
      if (url === '/raw/tg') return rawTg(req, res);
      if (url === '/floor') return floor(req, res);
      if (url === '/backends') {
        const pids =
          postgres && applicationName ? await backendPids(postgres, applicationName) : [];
        return json(200, JSON.stringify(pids));
      }
      if (url === '/bare' && req.method === 'PUT') {
        bareText = await readBody(req);
        bareObject = JSON.parse(bareText);
        return json(204, '');
      }
      if (url.startsWith('/stats')) {
        const stats = {
          sqlStatements: sql.count,
          rss: process.memoryUsage().rss,
          heapUsed: process.memoryUsage().heapUsed,
          external: process.memoryUsage().external,
          loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
          loopDelayMaxMs: loopDelay.max / 1e6,
        };
        if (url.includes('reset=1')) loopDelay.reset();
        return json(200, JSON.stringify(stats));
      }
      if (url === '/profile/start' && inspector) {
        await inspector.post('Profiler.start');
        await inspector.post('HeapProfiler.startSampling', {
          samplingInterval: 16384,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        });
        return json(200, '{}');
      }
      if (url.startsWith('/profile/stop') && inspector && profileDir) {
        const { profile } = await inspector.post('Profiler.stop');
        const { profile: allocations } = await inspector.post('HeapProfiler.stopSampling');
        const name = (/name=([\w.-]+)/.exec(url)?.[1] ?? 'phase').slice(0, 60);
        fs.mkdirSync(profileDir, { recursive: true });
        fs.writeFileSync(path.join(profileDir, `${name}.cpuprofile`), JSON.stringify(profile));
        fs.writeFileSync(path.join(profileDir, `${name}.heapprofile`), JSON.stringify(allocations));
        return json(200, '{}');
      }
      if (url.startsWith('/heap-snapshot') && profileDir) {
        const name = (/name=([\w.-]+)/.exec(url)?.[1] ?? 'heap').slice(0, 60);
        fs.mkdirSync(profileDir, { recursive: true });
        v8.writeHeapSnapshot(path.join(profileDir, `${name}.heapsnapshot`));
        return json(200, '{}');
      }
      if (url === '/gc') {
        (globalThis as { gc?: () => void }).gc?.();
        return json(200, '{}');
      }
      return json(404, '{"error":"not found"}');
    };
    handle().catch((error: unknown) => json(500, JSON.stringify({ error: String(error) })));
  });
  baselines.keepAliveTimeout = 30_000;

  // The fan-out baselines: a pre-serialized payload written to every raw ws socket, by `ws`
  // or (framed=1) as one prebuilt frame straight to each TCP stream.
  const streams = new Set<Duplex>();
  const broadcastHttp = http.createServer((req, res) => {
    readBody(req)
      .then((body) => {
        const payload = Buffer.from(body, 'utf8');
        if (req.url?.includes('framed=1')) {
          const frame = wsFrame(OPCODE.text, payload);
          for (const stream of streams) stream.write(frame);
        } else {
          for (const socket of wss.clients) socket.send(payload, { binary: false });
        }
        res.writeHead(204);
        res.end();
      })
      .catch(() => {
        res.writeHead(500);
        res.end();
      });
  });
  const wss = new WebSocketServer({ server: broadcastHttp, perMessageDeflate: false });
  wss.on('connection', (socket, req) => {
    streams.add(req.socket);
    socket.once('close', () => streams.delete(req.socket));
  });

  const ports = {
    product: countersign.app.port,
    baselines: await listen(baselines),
    broadcast: await listen(broadcastHttp),
    peer: peer ? await listen(peer.server) : null,
    pid: process.pid,
  };
  process.stdout.write(`BENCH_SERVER_READY ${JSON.stringify(ports)}\n`);

  const stop = () => {
    wss.close();
    broadcastHttp.close();
    baselines.close();
    peer?.server.close();
    void floorDb.close();
    countersign
      .stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server failed: ${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
