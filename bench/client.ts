import fs from 'node:fs';
import type { BenchManifest } from './seed';
import { runHttp, runHttpRounds } from './http-load';
import type { HttpResult, LoadSettings } from './http-load';
import { W1_SELLER_DASHBOARD } from './operations';
import { runFanout } from './client-fanout';
import type { FanoutCase } from './client-fanout';
import { runLabelWorkloads } from './client-labels';
import type { LabelResults } from './client-labels';
import { post, stats } from './requests';
import { PEER_QUERY } from './peer-query';
import { peerDiffers } from './peer-check';

/** What bench/run hands the load generator (as a JSON file). */
export interface ClientInput {
  manifest: BenchManifest;
  /** The database this server runs on: PostgreSQL runs W1 (with floor and peer), W2 and W3. */
  database: 'sqlite' | 'postgres';
  ports: {
    product: number;
    baselines: number;
    broadcast: number;
    /** PostGraphile over the same data (PostgreSQL only). */
    peer: number | null;
    pid: number;
  };
  settings: LoadSettings & {
    fanoutSizes: number[];
    fanoutEvents: number;
    /** W4 spread: this many subscribers over the spread sellers (0: not run). */
    spreadSubscribers: number;
    /** W1's compared phases run in this many turns of `roundS` seconds (`runHttpRounds`). */
    rounds: number;
    roundS: number;
  };
  carrierSecrets: { UPS: string; USPS: string };
  /** Workloads whose API is not in the schema yet, with what is missing. */
  missing: Record<string, string>;
  /** Run only these phases (W1, W2W3, W4); null runs everything. */
  only: string[] | null;
  /** Ask the server for a CPU profile of every measured phase. */
  profile: boolean;
}

export interface W1Check {
  /** Statements for one W1 request on the product (token lookup included). */
  statementsFirst50: number;
  statementsFirst10: number;
  /** The same request through the raw graphql-js baseline (same data layer). */
  rawStatementsFirst50: number;
  ordersOnPage: number;
  responseBytes: number;
  /** Product, floor, raw SDL and raw type-graphql answers are the same JSON, for every seller. */
  identicalJson: boolean;
  mismatches: string[];
}

export interface ClientOutput {
  w1: W1Check;
  http: HttpResult[];
  labels: LabelResults | null;
  fanout: FanoutCase[];
  errors: string[];
}

/** Counts the statements one request sends (nothing else runs against the server meanwhile). */
async function statementsOf(baseUrl: string, send: () => Promise<unknown>): Promise<number> {
  const before = (await stats(baseUrl)).sqlStatements;
  await send();
  return (await stats(baseUrl)).sqlStatements - before;
}

async function checkW1(input: ClientInput): Promise<W1Check> {
  const product = `http://127.0.0.1:${input.ports.product}/graphql`;
  const baselines = `http://127.0.0.1:${input.ports.baselines}`;
  const w1 = (first: number) => ({ query: W1_SELLER_DASHBOARD, variables: { first } });
  const mismatches: string[] = [];
  let reference = '';
  const sqlite = input.database === 'sqlite';
  for (const seller of input.manifest.dashboardSellers) {
    const mine = await post(product, w1(50), seller.token);
    const parsed = JSON.parse(mine) as { errors?: unknown; data?: unknown };
    if (parsed.errors || !parsed.data) {
      mismatches.push(`seller ${seller.id}: product answered ${mine.slice(0, 300)}`);
    }
    // Compare the data as JSON values: key order is fixed by the query, so this is byte-level in
    // practice. Only the product reports extensions.cost, which the baselines do not compute.
    const same = async (name: string, path: string) => {
      const theirs = await post(`${baselines}${path}`, w1(50), seller.token);
      const answer = JSON.parse(theirs) as { errors?: unknown; data?: unknown };
      if (answer.errors || JSON.stringify(answer.data) !== JSON.stringify(parsed.data)) {
        mismatches.push(`seller ${seller.id}: ${name} differs: ${theirs.slice(0, 300)}`);
      }
    };
    await same('floor', '/floor');
    if (sqlite) {
      await same('raw SDL', '/raw/sdl');
      await same('raw type-graphql', '/raw/tg');
    }
    if (input.ports.peer) {
      const peer = await post(
        `http://127.0.0.1:${input.ports.peer}/graphql`,
        { query: PEER_QUERY, variables: { first: 50 } },
        seller.token,
      );
      const problem = peerDiffers(parsed, peer);
      if (problem) mismatches.push(`seller ${seller.id}: PostGraphile ${problem}`);
    }
    reference ||= mine;
  }
  // The bare baselines serve the first seller's dashboard as it is.
  await fetch(`${baselines}/bare`, { method: 'PUT', body: reference });
  const token = input.manifest.dashboardSellers[0].token;
  const page = JSON.parse(reference) as { data?: { orders?: { edges?: unknown[] } } };
  return {
    statementsFirst50: await statementsOf(baselines, () => post(product, w1(50), token)),
    statementsFirst10: await statementsOf(baselines, () => post(product, w1(10), token)),
    rawStatementsFirst50: sqlite
      ? await statementsOf(baselines, () => post(`${baselines}/raw/sdl`, w1(50), token))
      : NaN,
    ordersOnPage: page.data?.orders?.edges?.length ?? 0,
    responseBytes: Buffer.byteLength(reference),
    identicalJson: mismatches.length === 0,
    mismatches,
  };
}

async function main(): Promise<void> {
  const [inputPath, outputPath] = process.argv.slice(2);
  const input = JSON.parse(fs.readFileSync(inputPath, 'utf8')) as ClientInput;
  const { ports } = input;
  const baselinesUrl = `http://127.0.0.1:${ports.baselines}`;
  const settings = {
    ...input.settings,
    profileUrl: input.profile ? baselinesUrl : undefined,
    backendsUrl: input.database === 'postgres' ? baselinesUrl : undefined,
  };
  const product = `http://127.0.0.1:${ports.product}/graphql`;
  const baselines = `http://127.0.0.1:${ports.baselines}`;
  const tokens = input.manifest.dashboardSellers.map((s) => s.token);
  const errors: string[] = [];
  const started = performance.now();
  // Seconds since the load generator started: where the run's five minutes go.
  const log = (line: string) => {
    const at = ((performance.now() - started) / 1000).toFixed(0).padStart(3);
    process.stderr.write(`  [${at} s] ${line}\n`);
  };

  log('W1: checking that product and baselines answer the same JSON, counting SQL');
  const w1 = await checkW1(input);
  const w1Body = JSON.stringify({ query: W1_SELLER_DASHBOARD, variables: { first: 50 } });
  const http: HttpResult[] = [];
  const peerBody = JSON.stringify({ query: PEER_QUERY, variables: { first: 50 } });
  const phases = [
    { name: 'bare-http-cached', url: `${baselines}/bare/cached`, method: 'GET' as const },
    { name: 'bare-http-stringify', url: `${baselines}/bare/stringify`, method: 'GET' as const },
    { name: 'raw-graphql-js-sdl', url: `${baselines}/raw/sdl`, body: w1Body, tokens },
    { name: 'raw-graphql-js-tg', url: `${baselines}/raw/tg`, body: w1Body, tokens },
    { name: 'W1-floor', url: `${baselines}/floor`, body: w1Body, tokens },
    ...(ports.peer
      ? [
          {
            name: 'W1-postgraphile',
            url: `http://127.0.0.1:${ports.peer}/graphql`,
            body: peerBody,
            tokens,
          },
        ]
      : []),
    { name: 'W1-product', url: product, body: w1Body, tokens },
  ].filter((p) => input.database === 'sqlite' || !/^(bare|raw)-/.test(p.name));
  const wanted = (phase: string) => !input.only || input.only.includes(phase);
  if (wanted('W1')) {
    // The bare baselines feed no ratio: one run each. The rest are compared, so taken in turns.
    for (const phase of phases.filter((p) => p.name.startsWith('bare-'))) {
      log(`HTTP ${phase.name} (${input.database})`);
      http.push({ ...(await runHttp(phase, settings)), database: input.database });
    }
    const compared = phases.filter((p) => !p.name.startsWith('bare-'));
    const { rounds, roundS } = input.settings;
    const results = await runHttpRounds(compared, settings, rounds, roundS, (phase, round) =>
      log(`HTTP ${phase.name} (${input.database}), round ${round + 1} of ${rounds}`),
    );
    http.push(...results.map((r) => ({ ...r, database: input.database })));
  }

  let labels: LabelResults | null = null;
  if (!input.missing.W2 && !input.missing.W3 && wanted('W2W3')) {
    try {
      labels = await runLabelWorkloads({ ...input, settings }, product, log);
      labels.w2.database = labels.w3.database = input.database;
      http.push(labels.w2, labels.w3);
    } catch (error) {
      errors.push(`W2/W3 failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }

  let fanout: FanoutCase[] = [];
  if (!input.missing.W4 && wanted('W4') && input.database === 'sqlite') {
    try {
      fanout = await runFanout(input, log);
    } catch (error) {
      errors.push(`W4 failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }

  const output: ClientOutput = { w1, http, labels, fanout, errors };
  fs.writeFileSync(outputPath, JSON.stringify(output, null, 2));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench client failed: ${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
