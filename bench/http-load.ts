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
  /** On PostgreSQL, the bench server's control URL: its backends' CPU counts as server CPU. */
  backendsUrl?: string;
}

/** CPU so far of the server and, on PostgreSQL, of each of its backends, by pid. */
export async function serverCpu(settings: LoadSettings): Promise<Map<number, number>> {
  const pids = [settings.serverPid];
  if (settings.backendsUrl) {
    pids.push(...((await (await fetch(`${settings.backendsUrl}/backends`)).json()) as number[]));
  }
  const cpu = new Map<number, number>();
  for (const pid of pids) {
    try {
      cpu.set(pid, cpuMs(pid));
    } catch {
      // A backend that ended between the listing and the reading.
    }
  }
  return cpu;
}

/** CPU used between two readings (a backend started meanwhile counts from zero). */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

export interface HttpResult {
  name: string;
  requestsPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  responses: number;
  non2xx: number;
  errors: number;
  /** Which database the server ran on. */
  database?: 'sqlite' | 'postgres';
  /** Server CPU (user + system, all threads, from /proc) per response; PostgreSQL backends' too. */
  serverCpuMsPerRequest: number;
  durationS: number;
  /** Measured in rounds (`runHttpRounds`): each round's CPU per request, in order. */
  cpuMsPerRequestRounds?: number[];
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
  await warmUp(phase, settings, warmupAmount);
  return measure(phase, settings, settings.durationS);
}

/**
 * Phases compared by ratio, measured in turns: each warmed up once, then `rounds` rounds of
 * `roundS` seconds each, one phase after the other. A phase's result is its median round by
 * CPU per request: the machine's speed drifts over a run, and a drift then touches every phase
 * alike instead of whichever happened to run during it.
 */
export async function runHttpRounds(
  phases: HttpPhase[],
  settings: LoadSettings,
  rounds: number,
  roundS: number,
  onPhase: (phase: HttpPhase, round: number) => void,
): Promise<HttpResult[]> {
  for (const phase of phases) await warmUp(phase, settings);
  const runs = phases.map((): HttpResult[] => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, phase] of phases.entries()) {
      onPhase(phase, round);
      runs[i].push(await measure(phase, settings, roundS));
    }
  }
  return runs.map((results) => {
    const byCpu = [...results].sort((a, b) => a.serverCpuMsPerRequest - b.serverCpuMsPerRequest);
    const median = byCpu[Math.floor((byCpu.length - 1) / 2)];
    return { ...median, cpuMsPerRequestRounds: results.map((r) => r.serverCpuMsPerRequest) };
  });
}

async function warmUp(phase: HttpPhase, settings: LoadSettings, amount?: number): Promise<void> {
  if (settings.warmupS > 0) await start(phase, settings.connections, settings.warmupS, amount);
}

async function measure(
  phase: HttpPhase,
  settings: LoadSettings,
  durationS: number,
): Promise<HttpResult> {
  const profiling = settings.profileUrl !== undefined;
  await startProfile(settings.profileUrl ?? '', profiling);
  const cpuBefore = await serverCpu(settings);
  const started = performance.now();
  const result = await start(phase, settings.connections, durationS, phase.amount);
  const elapsedS = (performance.now() - started) / 1000;
  const cpu = cpuBetween(cpuBefore, await serverCpu(settings));
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
