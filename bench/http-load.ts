import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { cpuMs, round } from './proc';
import { startProfile, stopProfile } from './requests';

export interface HttpPhase {
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  /** A fixed body (W1); dynamic bodies go through `request`. */
  body?: string;
  /** Bearer tokens spread over the connections, one per connection, round-robin. */
  tokens?: string[];
  /** Per-request body and headers, and a look at every response (W2, W3). */
  request?: autocannon.Request;
  /** At most this many requests (a pool of fresh orders); the phase ends early when it is used up. */
  amount?: number;
}

export interface LoadSettings {
  connections: number;
  durationS: number;
  warmupS: number;
  serverPid: number;
  /** The bench server's control URL when each measured run is to be CPU-profiled. */
  profileUrl?: string;
}

export interface HttpResult {
  name: string;
  requestsPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  responses: number;
  non2xx: number;
  errors: number;
  /** Server CPU (user + system, all threads, from /proc) per response. */
  serverCpuMsPerRequest: number;
  durationS: number;
}

function start(phase: HttpPhase, connections: number, durationS: number, amount?: number) {
  let next = 0;
  const tokens = phase.tokens ?? [];
  const instance = autocannon({
    url: phase.url,
    method: phase.method ?? 'POST',
    body: phase.body,
    headers: { 'content-type': 'application/json' },
    connections,
    pipelining: 1,
    timeout: 30,
    ...(amount ? { amount } : { duration: durationS }),
    ...(phase.request ? { requests: [phase.request] } : {}),
    setupClient: (client) => {
      if (tokens.length === 0) return;
      const token = tokens[next++ % tokens.length];
      client.setHeaders({ 'content-type': 'application/json', authorization: `Bearer ${token}` });
    },
  });
  // With a pool (`amount`), the duration still bounds the phase.
  const timer = amount ? setTimeout(() => instance.stop(), durationS * 1000) : null;
  return Promise.resolve(instance).finally(() => timer && clearTimeout(timer));
}

/**
 * A warm-up run (not measured), then `durationS` of closed-loop load at `connections`
 * concurrency without pipelining (GraphQL clients do not pipeline). Server CPU per request comes
 * from the server's /proc/<pid>/stat over the measured run only.
 */
export async function runHttp(
  phase: HttpPhase,
  settings: LoadSettings,
  warmupAmount?: number,
): Promise<HttpResult> {
  if (settings.warmupS > 0) {
    await start(phase, settings.connections, settings.warmupS, warmupAmount);
  }
  const profiling = settings.profileUrl !== undefined;
  await startProfile(settings.profileUrl ?? '', profiling);
  const cpuBefore = cpuMs(settings.serverPid);
  const started = performance.now();
  const result = await start(phase, settings.connections, settings.durationS, phase.amount);
  const elapsedS = (performance.now() - started) / 1000;
  const cpu = cpuMs(settings.serverPid) - cpuBefore;
  await stopProfile(settings.profileUrl ?? '', profiling, phase.name);
  const responses = result['2xx'] + result.non2xx;
  return {
    name: phase.name,
    requestsPerSec: round(responses / elapsedS, 1),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    responses,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    serverCpuMsPerRequest: round(cpu / Math.max(1, responses), 3),
    durationS: round(elapsedS, 2),
  };
}
