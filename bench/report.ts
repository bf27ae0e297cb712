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

const byName = (http: HttpResult[], name: string) => http.find((r) => r.name === name);
const fanoutOf = (cases: FanoutCase[], kind: FanoutCase['kind'], n: number) =>
  cases.find((c) => c.kind === kind && c.subscribers === n);

/** Same-run ratios the targets are stated in (product ÷ baseline unless named otherwise). */
export function ratios(out: ClientOutput) {
  const rps = (name: string) => byName(out.http, name)?.requestsPerSec ?? NaN;
  const cpu = (n: number) =>
    (fanoutOf(out.fanout, 'graphql-ws', n)?.serverCpuMsPerEvent ?? NaN) /
    (fanoutOf(out.fanout, 'raw-ws', n)?.serverCpuMsPerEvent ?? NaN);
  return {
    w1VsRawSdl: round(rps('W1-product') / rps('raw-graphql-js-sdl'), 3),
    w1VsRawTypeGraphql: round(rps('W1-product') / rps('raw-graphql-js-tg'), 3),
    rawTypeGraphqlVsRawSdl: round(rps('raw-graphql-js-tg') / rps('raw-graphql-js-sdl'), 3),
    w1VsBareStringify: round(rps('W1-product') / rps('bare-http-stringify'), 3),
    w1VsBareCached: round(rps('W1-product') / rps('bare-http-cached'), 3),
    w3VsW2: round(rps('W3-purchaseLabel') / rps('W2-createLabelQuote'), 3),
    fanoutCpu100: round(cpu(100), 2),
    fanoutCpu1000: round(cpu(1000), 2),
  };
}

export function evaluateTargets(
  out: ClientOutput,
  journalMode: string,
  missing: Record<string, string>,
): Target[] {
  const r = ratios(out);
  const { w1 } = out;
  const product1000 = fanoutOf(out.fanout, 'graphql-ws', 1000);
  const raw1000 = fanoutOf(out.fanout, 'raw-ws', 1000);
  const ok = (value: number, test: (v: number) => boolean) =>
    Number.isFinite(value) ? test(value) : null;
  return [
    {
      id: 'W1-sql',
      description: 'W1 SQL statements per request (token lookup included), first: 50 vs first: 10',
      target: '≤ 5, same at 10 and 50',
      value: `${w1.statementsFirst50} / ${w1.statementsFirst10}`,
      met: w1.statementsFirst50 <= 5 && w1.statementsFirst50 === w1.statementsFirst10,
    },
    {
      id: 'W1-json',
      description: 'product, raw SDL and raw type-graphql return the same W1 JSON',
      target: 'identical',
      value: w1.identicalJson ? 'identical' : `${w1.mismatches.length} mismatches`,
      met: w1.identicalJson,
    },
    {
      id: 'W1-throughput',
      description: 'W1 req/s ÷ raw graphql-js (SDL, same data layer)',
      target: '≥ 0.5',
      value: String(r.w1VsRawSdl),
      met: ok(r.w1VsRawSdl, (v) => v >= 0.5),
    },
    {
      id: 'W3-vs-W2',
      description: `W3 purchaseLabel req/s ÷ W2 createLabelQuote req/s (journal_mode=${journalMode})`,
      target: '≥ 0.5 with WAL',
      value: missing.W2 || missing.W3 ? 'not run' : String(r.w3VsW2),
      met: journalMode === 'wal' ? ok(r.w3VsW2, (v) => v >= 0.5) : false,
    },
    {
      id: 'W4-p99',
      description: 'W4 N=1000: p99 latency to the last subscriber (ms)',
      target: '≤ 100',
      // The baseline's own p99 beside it: when that is high too, the machine was busy.
      value: product1000
        ? `${product1000.lastSubscriberP99Ms} (plain ws ${raw1000?.lastSubscriberP99Ms ?? '?'})`
        : 'not run',
      met: product1000
        ? ok(product1000.lastSubscriberP99Ms, (v) => v <= 100) && product1000.missed === 0
        : null,
    },
    {
      id: 'W4-cpu',
      description: 'W4 N=1000: server CPU per event ÷ plain ws broadcast',
      target: '≤ 3',
      value: product1000 ? String(r.fanoutCpu1000) : 'not run',
      met: product1000 ? ok(r.fanoutCpu1000, (v) => v <= 3) : null,
    },
    {
      id: 'W4-memory',
      description: 'W4 N=1000: server RSS per connection (KB)',
      target: '≤ 50',
      value: product1000 ? String(product1000.rssPerConnectionKb) : 'not run',
      met: product1000 ? ok(product1000.rssPerConnectionKb, (v) => v <= 50) : null,
    },
  ];
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
        'req/s',
        'p50 ms',
        'p99 ms',
        'server CPU ms/req',
        'non-2xx',
        'errors',
      ],
      out.http.map((r) => [
        r.name,
        r.requestsPerSec,
        r.latencyP50Ms,
        r.latencyP99Ms,
        r.serverCpuMsPerRequest,
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
          'RSS KB/conn',
          'heap KB/conn',
          'loop p99 ms',
          'missed',
        ],
        out.fanout.map((c) => [
          c.kind,
          c.subscribers,
          c.lastSubscriberP50Ms,
          c.lastSubscriberP99Ms,
          c.serverCpuMsPerEvent,
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
