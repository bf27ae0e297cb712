import 'reflect-metadata';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { createSchema } from '../src/graphql/schema';
import { createEventBus } from '../src/pubsub/event-bus';
import type { ClientInput, ClientOutput } from './client';
import { createBenchPgDatabase } from './pg-bench';
import type { BenchManifest } from './seed';
import {
  W1_SELLER_DASHBOARD,
  W2_CREATE_LABEL_QUOTE,
  W3_ACCEPT_TERMS,
  W3_PURCHASE_LABEL,
  W3_SIGNATURE_TERMS,
  W4_SHIPMENT_UPDATED,
} from './operations';
import { round } from './proc';
import { evaluateTargets, formatReport, ratios } from './report';
import { seedBenchDatabase } from './seed';

/**
 * `npm run bench`: seeds a benchmark database, starts the server (product + baselines) pinned to
 * core 0 and the load generator pinned to core 1, prints a table and writes bench/results.json.
 * `--quick` shortens every phase (for trying the harness; its numbers are not the benchmark's).
 */

const quick = process.argv.includes('--quick');
/** `--only=W4` (or W1, W2W3, comma-separated): run just those phases (for profiling). */
const only = /--only=(\S+)/.exec(process.argv.join(' '))?.[1]?.split(',') ?? null;
/** `--profile`: a V8 CPU profile of the server per measured phase, in bench/out/profiles/. */
const profile = process.argv.includes('--profile');
const BENCH_DIR = path.resolve(__dirname, '..', '..', 'bench');

/** Operations each workload needs, validated against the product's schema as built now. */
async function missingWorkloads(): Promise<Record<string, string>> {
  const schema = await createSchema(createEventBus());
  const check = (...documents: string[]) =>
    documents
      .flatMap((doc) => validate(schema, parse(doc)))
      .map((e) => e.message)
      .join('; ');
  const missing: Record<string, string> = {};
  const found = {
    W1: check(W1_SELLER_DASHBOARD),
    W2: check(W2_CREATE_LABEL_QUOTE),
    W3: check(W3_SIGNATURE_TERMS, W3_ACCEPT_TERMS, W3_PURCHASE_LABEL),
    W4: check(W4_SHIPMENT_UPDATED),
  };
  for (const [workload, problems] of Object.entries(found))
    if (problems) missing[workload] = problems;
  return missing;
}

const hasTaskset = () =>
  os.cpus().length >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/**
 * Starts `node <script>` pinned to `core` (when taskset works) with the open-files limit raised
 * to the hard limit: 1,000 subscribers and their server sides exceed the usual 1,024.
 */
function startPinned(
  core: number | null,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdout: 'pipe' | 'inherit',
): ChildProcess {
  const pin = core === null ? [] : ['taskset', '-c', String(core)];
  return spawn(
    'sh',
    [
      '-c',
      'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"',
      'sh',
      ...pin,
      process.execPath,
      ...args,
    ],
    { env, stdio: ['ignore', stdout, 'inherit'] },
  );
}

function waitForReady(server: ChildProcess): Promise<ClientInput['ports']> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const match = /BENCH_SERVER_READY (\{.*\})\n/.exec(buffer);
      if (match) resolve(JSON.parse(match[1]) as ClientInput['ports']);
    });
    server.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
  });

/** `--pg=postgres://…` or TEST_DATABASE_URL: also run W1, W2 and W3 on PostgreSQL. */
const pgUrl =
  /--pg=(\S+)/.exec(process.argv.join(' '))?.[1] ?? process.env.TEST_DATABASE_URL ?? null;

const settings = quick
  ? {
      connections: 10,
      durationS: 2,
      warmupS: 1,
      fanoutSizes: [1000],
      fanoutEvents: 10,
      spreadSubscribers: 1000,
      rounds: 1,
      roundS: 2,
    }
  : {
      connections: 10,
      durationS: 5,
      warmupS: 2,
      fanoutSizes: [10000],
      // Enough events that p99 is not simply the slowest one (nearest rank: the 2nd slowest).
      fanoutEvents: 100,
      spreadSubscribers: 10000,
      // W1's compared phases: median of three 2-second turns each.
      rounds: 3,
      roundS: 2,
    };

interface DatabaseRun {
  database: ClientInput['database'];
  manifest: BenchManifest;
  output: ClientOutput;
}

/** Seeds `databaseUrl`, starts the bench server on it (core 0) and the load generator (core 1). */
async function runOn(
  database: ClientInput['database'],
  databaseUrl: string,
  dir: string,
  missing: Record<string, string>,
  log: (line: string) => void,
): Promise<DatabaseRun> {
  log(`seeding the benchmark database (${database})`);
  const manifest = await seedBenchDatabase(databaseUrl);
  log(
    `  ${manifest.counts.benchOrders} orders (+${manifest.counts.devSeedOrders} dev seed) in ${manifest.seedMs} ms, journal_mode=${manifest.journalMode}`,
  );
  const pinned = hasTaskset();
  const carrierSecrets = {
    UPS: randomBytes(16).toString('hex'),
    USPS: randomBytes(16).toString('hex'),
  };
  const serverEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    // Throughput is measured here; the limits would refuse the load generator by design.
    RATE_LIMITS: 'off',
    WS_LIMITS: 'off',
    // Background workers are not on the measured paths, and their polling would be counted
    // as the requests' SQL statements and CPU.
    OUTBOX_WORKER: 'off',
    CARRIER_RECONCILER: 'off',
    LABEL_BATCH_WORKER: 'off',
    WEBHOOK_WORKER: 'off',
    CARRIER_SECRET_UPS: carrierSecrets.UPS,
    CARRIER_SECRET_USPS: carrierSecrets.USPS,
    LABEL_DOCUMENT_SECRET: 'bench-label-document-secret',
  };
  delete serverEnv.REDIS_URL;
  log(`starting the server${pinned ? ' on core 0' : ' (taskset unavailable: not pinned)'}`);
  if (profile) {
    serverEnv.BENCH_PROFILE_DIR = path.join(BENCH_DIR, 'out', 'profiles', database);
  }
  const server = startPinned(
    pinned ? 0 : null,
    ['--expose-gc', path.join(__dirname, 'server.js')],
    serverEnv,
    'pipe',
  );
  try {
    const ports = await waitForReady(server);
    const input: ClientInput = {
      database,
      manifest,
      ports,
      settings: { ...settings, serverPid: ports.pid },
      carrierSecrets,
      missing,
      only,
      profile,
    };
    const inputPath = path.join(dir, `client-input-${database}.json`);
    const outputPath = path.join(dir, `client-output-${database}.json`);
    fs.writeFileSync(inputPath, JSON.stringify(input));
    log(`load generator${pinned ? ' on core 1' : ''}:`);
    const client = startPinned(
      pinned ? 1 : null,
      [path.join(__dirname, 'client.js'), inputPath, outputPath],
      process.env,
      'inherit',
    );
    const code = await exited(client);
    if (code !== 0) throw new Error(`load generator exited with ${code}`);
    const output = JSON.parse(fs.readFileSync(outputPath, 'utf8')) as ClientOutput;
    return { database, manifest, output };
  } finally {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await exited(server);
    }
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadAtStart = os.loadavg()[0];
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (loadAtStart > 0.5) {
    log(`note: load average ${loadAtStart.toFixed(2)} before starting; latencies will be noisy`);
  }
  const missing = await missingWorkloads();
  for (const [w, why] of Object.entries(missing)) log(`${w} cannot run yet: ${why}`);
  if (missing.W1) throw new Error('W1 does not validate against the schema');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-bench-'));
  const runs: DatabaseRun[] = [];
  const notes: string[] = [];
  try {
    runs.push(await runOn('sqlite', `sqlite:${path.join(dir, 'bench.sqlite')}`, dir, missing, log));
    if (pgUrl) {
      const pgDb = await createBenchPgDatabase(pgUrl);
      try {
        runs.push(await runOn('postgres', pgDb.url, dir, missing, log));
      } finally {
        await pgDb.drop();
      }
    } else {
      notes.push(
        'PostgreSQL rows skipped: give --pg=postgres://user@host:port/db or TEST_DATABASE_URL',
      );
      log(notes[notes.length - 1]);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const output = mergeOutputs(runs.map((r) => r.output));
  const sqliteRun = runs[0];
  const journalMode = sqliteRun.manifest.journalMode;
  const targets = evaluateTargets(
    output,
    runs.map((r) => r.output),
    journalMode,
    missing,
  );
  process.stdout.write(`\n${formatReport(output, targets, missing)}\n`);
  for (const note of notes) process.stdout.write(`${note}\n`);
  const results = {
    generatedAt: new Date().toISOString(),
    quick,
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      loadAverageAtStart: round(loadAtStart),
      loadAverageAtEnd: os.loadavg().map((l) => round(l)),
      pinned: hasTaskset(),
    },
    settings,
    seed: Object.fromEntries(
      runs.map((r) => [
        r.database,
        {
          counts: r.manifest.counts,
          journalMode: r.manifest.journalMode,
          seedMs: r.manifest.seedMs,
        },
      ]),
    ),
    w1: Object.fromEntries(runs.map((r) => [r.database, r.output.w1])),
    http: output.http,
    labels: Object.fromEntries(
      runs.map((r) => [
        r.database,
        r.output.labels
          ? {
              w2Failures: r.output.labels.w2Failures,
              w3Failures: r.output.labels.w3Failures,
              w3Pool: r.output.labels.w3Pool,
              failureSamples: r.output.labels.failureSamples,
            }
          : null,
      ]),
    ),
    fanout: output.fanout,
    ratios: ratios(output),
    targets,
    missing,
    notes,
    errors: output.errors,
    durationS: round((Date.now() - started) / 1000, 1),
  };
  // Only a full run replaces the committed results; the others go to bench/out/.
  const partial = quick || profile || only !== null;
  const resultsPath = partial
    ? path.join(BENCH_DIR, 'out', 'results-partial.json')
    : path.join(BENCH_DIR, 'results.json');
  fs.mkdirSync(path.dirname(resultsPath), { recursive: true });
  fs.writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nwrote ${path.relative(process.cwd(), resultsPath)} in ${results.durationS} s`);
}

/** One report over both databases: HTTP rows carry their database; W4 runs on SQLite only. */
function mergeOutputs(outputs: ClientOutput[]): ClientOutput {
  return {
    w1: outputs[0].w1,
    http: outputs.flatMap((o) => o.http),
    labels: outputs[0].labels,
    fanout: outputs.flatMap((o) => o.fanout),
    errors: outputs.flatMap((o) => o.errors),
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
