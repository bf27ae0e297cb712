import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { devToken } from '../seeds/dev-tokens';
import { Role } from '../src/entities/enums';
import { signatureHeader } from '../src/webhooks/signature';
import { W1_SELLER_DASHBOARD } from './operations';

/**
 * `npm run soak`: 60 s of sustained load on the seller dashboard query and carrier webhooks
 * together, against the product in a process of its own on a fresh SQLite file, from this
 * process over loopback. Reports errors (must be 0) and the server's memory after a full GC at
 * start, middle and end; memory is flat when the end is within 20% (+4 MB) of the middle. Exits
 * 1 on any error or growth. `--seconds=N` shortens the run (to try it; the target is 60).
 */

const SECONDS = Number(/--seconds=(\d+)/.exec(process.argv.join(' '))?.[1] ?? 60);
const SECRET = 'soak-usps-secret';
const SELLERS = [1, 2, 3].map((n) => devToken(Role.SELLER, n));
const SHIPMENTS = 20;
/** Requests a second of each kind: steady load with headroom, not a saturation test (bench). */
const RATE = { dashboard: 25, webhooks: 25 };
const FLAT_RATIO = 1.2;
const FLAT_SLACK_BYTES = 4 * 1024 * 1024;

interface Memory {
  rss: number;
  heapUsed: number;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function startServer(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(path.join(__dirname, 'soak-server.js'), [], {
    execArgv: ['--expose-gc'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: `sqlite:${path.join(dir, 'soak.sqlite')}`,
      LOG_LEVEL: 'warn',
      // The load generator is one client on loopback; the limits would refuse it by design.
      RATE_LIMITS: 'off',
      WS_LIMITS: 'off',
      CARRIER_SECRET_UPS: 'soak-ups-secret',
      CARRIER_SECRET_USPS: SECRET,
      LABEL_DOCUMENT_SECRET: 'soak-label-document-secret',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`soak server exited (${code})`)));
    child.on('message', (message: { url?: string }) => {
      if (message.url) resolve({ child, url: message.url });
    });
  });
}

/** autocannon's `overallRate` (requests a second over all connections; bench's typings lack it). */
const withRate = (rate: number, options: autocannon.Options) =>
  ({ ...options, overallRate: rate }) as autocannon.Options;

function memoryOf(child: ChildProcess): Promise<Memory> {
  return new Promise((resolve) => {
    const listen = (message: { memory?: Memory }) => {
      if (!message.memory) return;
      child.off('message', listen);
      resolve(message.memory);
    };
    child.on('message', listen);
    child.send('memory');
  });
}

async function gql(url: string, token: string, query: string, variables: object = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown }; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (body.errors || !body.data) throw new Error(`setup failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** USPS labels bought through the API, for the carrier events to land on. */
async function buyLabels(url: string): Promise<string[]> {
  const token = SELLERS[0];
  const terms = await gql(url, token, '{ signatureTerms { version } }');
  await gql(
    url,
    token,
    'mutation($v: String!) { acceptSignatureTerms(input: { version: $v }) { userErrors { code } } }',
    { v: terms.signatureTerms.version },
  );
  const page = await gql(
    url,
    token,
    '{ orders(first: 100, filter: { status: AWAITING_SHIPMENT }) { edges { node { id } } } }',
  );
  const tracking: string[] = [];
  for (const edge of page.orders.edges.slice(0, SHIPMENTS)) {
    const quoted = await gql(
      url,
      token,
      'mutation($id: ID!) { createLabelQuote(input: { orderId: $id }) { quote { id rates { id carrier eligible } } } }',
      { id: edge.node.id },
    );
    const quote = quoted.createLabelQuote.quote;
    const rate = quote.rates.find(
      (r: { carrier: string; eligible: boolean }) => r.carrier === 'USPS' && r.eligible,
    );
    const bought = await gql(
      url,
      token,
      `mutation($q: ID!, $r: String!, $k: String!) { purchaseLabel(input: {
        quoteId: $q, rateId: $r, signatureOption: SIGNATURE_REQUIRED, idempotencyKey: $k }) {
        label { trackingNumber } userErrors { code } } }`,
      { q: quote.id, r: rate.id, k: `soak-${edge.node.id}` },
    );
    tracking.push(bought.purchaseLabel.label.trackingNumber);
  }
  return tracking;
}

/** GraphQL answers with errors count as errors even with status 200. */
function countGraphQLErrors(counter: { errors: number }) {
  return (_status: number, body: string) => {
    if (body.includes('"errors"')) counter.errors += 1;
  };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-soak-'));
  const { child, url } = await startServer(dir);
  const base = url.replace(/\/graphql$/, '');
  let failed = false;
  try {
    const tracking = await buyLabels(url);
    log(`soak: ${SECONDS} s on ${url}: seller dashboard (orders first 50) + USPS webhooks`);
    const graphqlErrors = { errors: 0 };
    let sequence = 0;
    const samples: Array<[string, Memory]> = [['start', await memoryOf(child)]];

    const dashboard = autocannon(
      withRate(RATE.dashboard, {
        url,
        method: 'POST',
        connections: 4,
        duration: SECONDS,
        timeout: 10,
        requests: SELLERS.map((token) => ({
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: W1_SELLER_DASHBOARD, variables: { first: 50 } }),
          onResponse: countGraphQLErrors(graphqlErrors),
        })),
      }),
    );
    const webhooks = autocannon(
      withRate(RATE.webhooks, {
        url: `${base}/webhooks/carriers/USPS`,
        method: 'POST',
        connections: 4,
        duration: SECONDS,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => {
              sequence += 1;
              // Every tenth event is a redelivery of the previous one: deduplicated, still a 200.
              const id = sequence % 10 === 0 ? sequence - 1 : sequence;
              const body = JSON.stringify({
                eventId: `soak-${id}`,
                trackingNumber: tracking[id % tracking.length],
                status: 'IN_TRANSIT',
                location: 'Memphis, TN',
                occurredAt: new Date(Date.now() - 60_000).toISOString(),
              });
              return {
                ...request,
                body,
                headers: {
                  'content-type': 'application/json',
                  'countersign-signature': signatureHeader(SECRET, body),
                },
              };
            },
          },
        ],
      }),
    );
    const middle = setTimeout(
      () => {
        void memoryOf(child).then((m) => samples.push(['middle', m]));
      },
      (SECONDS * 1000) / 2,
    );
    const [d, w] = await Promise.all([dashboard, webhooks]);
    clearTimeout(middle);
    samples.push(['end', await memoryOf(child)]);

    const errors = {
      dashboard: d.errors + d.timeouts + d.non2xx + graphqlErrors.errors,
      webhooks: w.errors + w.timeouts + w.non2xx,
    };
    log(
      `  dashboard  ${d.requests.total} requests, ${Math.round(d.requests.average)}/s, p99 ${d.latency.p99} ms, errors ${errors.dashboard}`,
    );
    log(
      `  webhooks   ${w.requests.total} requests, ${Math.round(w.requests.average)}/s, p99 ${w.latency.p99} ms, errors ${errors.webhooks}`,
    );
    for (const [when, m] of samples)
      log(`  memory ${when.padEnd(6)} rss ${mb(m.rss)}, heap ${mb(m.heapUsed)}`);
    const mid = samples.find(([when]) => when === 'middle')?.[1];
    const end = samples[samples.length - 1][1];
    const flat = !!mid && end.heapUsed <= mid.heapUsed * FLAT_RATIO + FLAT_SLACK_BYTES;
    log(
      `  errors ${errors.dashboard + errors.webhooks}; heap ${flat ? 'flat' : 'GREW'} (end vs middle)`,
    );
    failed = errors.dashboard + errors.webhooks > 0 || !flat;
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
