/** Small HTTP helpers of the load generator (setup and checks; the load itself is autocannon). */

export async function post(url: string, body: unknown, token?: string): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return res.text();
}

export interface ServerStats {
  sqlStatements: number;
  rss: number;
  heapUsed: number;
  external: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

/** The bench server's counters; `reset` restarts the event-loop delay histogram. */
export async function stats(baselinesUrl: string, reset = false): Promise<ServerStats> {
  const res = await fetch(`${baselinesUrl}/stats${reset ? '?reset=1' : ''}`);
  return (await res.json()) as ServerStats;
}

/**
 * The server's memory once garbage is collected and RSS has settled (V8 gives pages back to the
 * OS some time after a GC): RSS from /proc, and the JS heap plus external (Buffer) memory.
 */
export async function settledMemory(
  baselinesUrl: string,
  rssOf: () => number,
): Promise<{ rss: number; heap: number }> {
  let rss = NaN;
  for (let round = 0; round < 10; round++) {
    await fetch(`${baselinesUrl}/gc`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const next = rssOf();
    const settled = Math.abs(next - rss) < 512 * 1024;
    rss = next;
    if (settled) break;
  }
  const { heapUsed, external } = await stats(baselinesUrl);
  return { rss, heap: heapUsed + external };
}

/** Starts a CPU profile in the server (when it was started with BENCH_PROFILE_DIR). */
export async function startProfile(baselinesUrl: string, enabled: boolean): Promise<void> {
  if (enabled) await fetch(`${baselinesUrl}/profile/start`);
}

/** Writes the profile started last as bench/out/profiles/<name>.cpuprofile. */
export async function stopProfile(baselinesUrl: string, enabled: boolean, name: string) {
  if (enabled) await fetch(`${baselinesUrl}/profile/stop?name=${encodeURIComponent(name)}`);
}
