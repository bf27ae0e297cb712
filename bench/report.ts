import type { ClientOutput } from './client';
import type { FanoutCase } from './client-fanout';
import type { HttpResult } from './http-load';
import { round } from './proc';

export interface Target {
  id: string;
  description: string;
  target: string;
  value: string;
  met: boolean | null;
}

type Database = 'sqlite' | 'postgres';
const byName = (http: HttpResult[], name: string, database: Database = 'sqlite') =>
  http.find((r) => r.name === name && (r.database ?? 'sqlite') === database);
const fanoutOf = (cases: FanoutCase[], kind: FanoutCase['kind'], n: number, spread = false) =>
  cases.find((c) => c.kind === kind && c.subscribers === n && !!c.spread === spread);

/** Same-run ratios the targets are stated in (product ÷ baseline unless named otherwise). */
export function ratios(out: ClientOutput) {
  const rps = (name: string, db: Database = 'sqlite') =>
    byName(out.http, name, db)?.requestsPerSec ?? NaN;
  const cpuReq = (name: string, db: Database) =>
    byName(out.http, name, db)?.serverCpuMsPerRequest ?? NaN;
  const cpu = (n: number) =>
    (fanoutOf(out.fanout, 'graphql-ws', n)?.serverCpuMsPerEvent ?? NaN) /
    (fanoutOf(out.fanout, 'raw-ws', n)?.serverCpuMsPerEvent ?? NaN);
  const sizes = [...new Set(out.fanout.map((c) => c.subscribers))];
  return {
    w1VsRawSdl: round(rps('W1-product') / rps('raw-graphql-js-sdl'), 3),
    w1VsRawTypeGraphql: round(rps('W1-product') / rps('raw-graphql-js-tg'), 3),
    rawTypeGraphqlVsRawSdl: round(rps('raw-graphql-js-tg') / rps('raw-graphql-js-sdl'), 3),
    w1VsBareStringify: round(rps('W1-product') / rps('bare-http-stringify'), 3),
    w1VsBareCached: round(rps('W1-product') / rps('bare-http-cached'), 3),
    /** CPU per request, W1 ÷ the one-statement floor on the same database. */
    w1CpuVsFloorSqlite: round(cpuReq('W1-product', 'sqlite') / cpuReq('W1-floor', 'sqlite'), 2),
    w1CpuVsFloorPostgres: round(
      cpuReq('W1-product', 'postgres') / cpuReq('W1-floor', 'postgres'),
      2,
    ),
    /** CPU per request, W1 ÷ PostGraphile on the same PostgreSQL data. */
    w1CpuVsPostgraphile: round(
      cpuReq('W1-product', 'postgres') / cpuReq('W1-postgraphile', 'postgres'),
      2,
    ),
    postgraphileCpuVsFloor: round(
      cpuReq('W1-postgraphile', 'postgres') / cpuReq('W1-floor', 'postgres'),
      2,
    ),
    w3VsW2: round(rps('W3-purchaseLabel') / rps('W2-createLabelQuote'), 3),
    w3VsW2Postgres: round(
      rps('W3-purchaseLabel', 'postgres') / rps('W2-createLabelQuote', 'postgres'),
      3,
    ),
    ...Object.fromEntries(sizes.map((n) => [`fanoutCpu${n}`, round(cpu(n), 2)])),
  };
}

export function evaluateTargets(
  out: ClientOutput,
  runs: ClientOutput[],
  journalMode: string,
  missing: Record<string, string>,
): Target[] {
  const r = ratios(out);
  const ok = (value: number, test: (v: number) => boolean) =>
    Number.isFinite(value) ? test(value) : null;
  const largest = Math.max(0, ...out.fanout.map((c) => c.subscribers));
  const product = fanoutOf(out.fanout, 'graphql-ws', largest);
  const raw = fanoutOf(out.fanout, 'raw-ws', largest);
  const floor = fanoutOf(out.fanout, 'tcp-floor', largest);
  const spread = fanoutOf(out.fanout, 'graphql-ws', largest, true);
  const cpuFanout = (product?.serverCpuMsPerEvent ?? NaN) / (raw?.serverCpuMsPerEvent ?? NaN);
  const labelled = runs.map((run) => ({ db: run.http[0]?.database ?? 'sqlite', run }));
  const pgRan = labelled.some((l) => l.db === 'postgres');
  const targets: Target[] = [];
  for (const { db, run } of labelled) {
    targets.push(
      {
        id: `W1-sql-${db}`,
        description: `W1 SQL statements per request on ${db} (token lookup included), first: 50 vs 10`,
        target: '≤ 5, same at 10 and 50',
        value: `${run.w1.statementsFirst50} / ${run.w1.statementsFirst10}`,
        met: run.w1.statementsFirst50 <= 5 && run.w1.statementsFirst50 === run.w1.statementsFirst10,
      },
      {
        id: `W1-json-${db}`,
        description: `W1 on ${db}: product, floor${db === 'sqlite' ? ', raw SDL, raw type-graphql' : ', PostGraphile (same orders and values)'} agree`,
        target: 'identical',
        value: run.w1.identicalJson ? 'identical' : `${run.w1.mismatches.length} mismatches`,
        met: run.w1.identicalJson,
      },
    );
  }
  const floorSqlite = r.w1CpuVsFloorSqlite;
  const floorPg = r.w1CpuVsFloorPostgres;
  targets.push(
    {
      id: 'W1-vs-postgraphile',
      description:
        'W1 server CPU per request ÷ PostGraphile v4, same PostgreSQL data (backends included)',
      target: '≤ 0.8',
      value: pgRan ? String(r.w1CpuVsPostgraphile) : 'not run (no PostgreSQL)',
      met: ok(r.w1CpuVsPostgraphile, (v) => v <= 0.8),
    },
    {
      id: 'W1-vs-floor-sqlite',
      description: 'W1 server CPU per request ÷ the one-statement floor, SQLite',
      target: '≤ 3',
      value: String(floorSqlite),
      met: ok(floorSqlite, (v) => v <= 3),
    },
    {
      id: 'W1-vs-floor-postgres',
      description:
        'W1 server CPU per request ÷ the one-statement floor, PostgreSQL (backends included)',
      target: '≤ 3',
      value: pgRan ? String(floorPg) : 'not run (no PostgreSQL)',
      met: ok(floorPg, (v) => v <= 3),
    },
    {
      id: 'W1-throughput',
      description: 'W1 req/s ÷ raw graphql-js (SDL, same data layer), SQLite',
      target: '≥ 0.5',
      value: String(r.w1VsRawSdl),
      met: ok(r.w1VsRawSdl, (v) => v >= 0.5),
    },
    {
      id: 'W3-vs-W2-sqlite',
      description: `W3 purchaseLabel req/s ÷ W2 createLabelQuote req/s, SQLite (journal_mode=${journalMode})`,
      target: '≥ 0.5 with WAL',
      value: missing.W2 || missing.W3 ? 'not run' : String(r.w3VsW2),
      met: journalMode === 'wal' ? ok(r.w3VsW2, (v) => v >= 0.5) : false,
    },
    {
      id: 'W3-vs-W2-postgres',
      description: 'W3 purchaseLabel req/s ÷ W2 createLabelQuote req/s, PostgreSQL',
      target: '≥ 0.5',
      value: pgRan ? String(r.w3VsW2Postgres) : 'not run (no PostgreSQL)',
      met: ok(r.w3VsW2Postgres, (v) => v >= 0.5),
    },
    {
      id: 'W4-p99',
      description: `W4 N=${largest}: p99 latency to the last subscriber (ms)`,
      target: '≤ 250',
      // The baselines' own p99 beside it: plain ws, and the kernel's floor for N socket writes.
      value: product
        ? `${product.lastSubscriberP99Ms} (plain ws ${raw?.lastSubscriberP99Ms ?? '?'}, ` +
          `TCP write floor ${floor?.lastSubscriberP99Ms ?? '?'})`
        : 'not run',
      met: product
        ? ok(product.lastSubscriberP99Ms, (v) => v <= 250) && product.missed === 0
        : null,
    },
    {
      id: 'W4-cpu',
      description: `W4 N=${largest}: server CPU per event ÷ plain ws broadcast`,
      target: '≤ 3',
      value: product ? String(round(cpuFanout, 2)) : 'not run',
      met: product ? ok(cpuFanout, (v) => v <= 3) : null,
    },
    {
      id: 'W4-memory',
      description: `W4 N=${largest}: server RSS per connection (KB)`,
      target: '≤ 20',
      value: product ? String(product.rssPerConnectionKb) : 'not run',
      met: product ? ok(product.rssPerConnectionKb, (v) => v <= 20) : null,
    },
    {
      id: 'W4-spread',
      description: `W4 N=${largest} over 100 sellers: p99 to the event's subscribers (ms) and missed`,
      target: '≤ 250, none missed',
      value: spread ? `${spread.lastSubscriberP99Ms}, ${spread.missed} missed` : 'not run',
      met: spread ? ok(spread.lastSubscriberP99Ms, (v) => v <= 250) && spread.missed === 0 : null,
    },
  );
  return targets;
}

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [
    line(cells[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}

export function formatReport(
  out: ClientOutput,
  targets: Target[],
  missing: Record<string, string>,
): string {
  const parts: string[] = [];
  parts.push(
    table(
      [
        'HTTP workload (c=10, no pipelining)',
        'database',
        'req/s',
        'p50 ms',
        'p99 ms',
        'server CPU ms/req',
        'by round',
        'non-2xx',
        'errors',
      ],
      out.http.map((r) => [
        r.name,
        r.database ?? 'sqlite',
        r.requestsPerSec,
        r.latencyP50Ms,
        r.latencyP99Ms,
        r.serverCpuMsPerRequest,
        r.cpuMsPerRequestRounds?.map((ms) => ms.toFixed(1)).join(' / ') ?? '',
        r.non2xx,
        r.errors,
      ]),
    ),
  );
  if (out.fanout.length > 0) {
    parts.push(
      table(
        [
          'W4 fan-out',
          'N',
          'p50 ms',
          'p99 ms',
          'CPU ms/event',
          'client CPU ms',
          'RSS KB/conn',
          'heap KB/conn',
          'loop p99 ms',
          'missed',
        ],
        out.fanout.map((c) => [
          c.spread ? `${c.kind} (100 sellers)` : c.kind,
          c.subscribers,
          c.lastSubscriberP50Ms,
          c.lastSubscriberP99Ms,
          c.serverCpuMsPerEvent,
          c.clientCpuMsPerEvent,
          c.rssPerConnectionKb,
          c.heapPerConnectionKb,
          c.eventLoopDelayP99Ms ?? '',
          c.missed,
        ]),
      ),
    );
  }
  parts.push(
    table(
      ['Target', 'value', 'target', 'met'],
      targets.map((t) => [
        `${t.id}: ${t.description}`,
        t.value,
        t.target,
        t.met === null ? 'n/a' : t.met ? 'yes' : 'NO',
      ]),
    ),
  );
  const notes = Object.entries(missing).map(([w, why]) => `not run: ${w}: ${why}`);
  if (out.labels && (out.labels.w2Failures > 0 || out.labels.w3Failures > 0)) {
    notes.push(
      `W2 answers without a quote: ${out.labels.w2Failures}; W3 answers without a label: ${out.labels.w3Failures}`,
      ...out.labels.failureSamples.map((s) => `  ${s}`),
    );
  }
  notes.push(...out.w1.mismatches.map((m) => `W1 mismatch: ${m}`), ...out.errors);
  if (notes.length > 0) parts.push(notes.join('\n'));
  return parts.join('\n\n');
}
