import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** Compiles the project into a directory of its own under dist/ (ignored, beside node_modules). */
export function compile(): { mainJs: string; remove(): void } {
  const outDir = path.join(ROOT, 'dist', `fault-${process.pid}`);
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir],
    { cwd: ROOT, stdio: 'inherit' },
  );
  return {
    mainJs: path.join(outDir, 'src', 'main.js'),
    remove: () => fs.rmSync(outDir, { recursive: true, force: true }),
  };
}

export interface ChildServer {
  process: ChildProcess;
  url: string;
  wsUrl: string;
  /** How the process ended: its exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/**
 * Starts `node dist/…/src/main.js` on a random port (loopback only) and resolves once it has
 * migrated, seeded and printed where it serves.
 */
export async function startChild(
  mainJs: string,
  env: Record<string, string>,
): Promise<ChildServer> {
  const child = spawn(process.execPath, [mainJs], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      // `npm start`'s dev conveniences: the fault tests drive the seeded data with the dev tokens.
      COUNTERSIGN_DEV: 'on',
      PORT: '0',
      LOG_LEVEL: 'warn',
      // Only the limits' own tests throttle; these loads are as fast as they can be.
      RATE_LIMITS: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start in 60 s:\n${output}`)), 60_000);
    const look = () => {
      // `npm start` prints where it serves; without the dev switch only the log line says (info).
      const match =
        /serving (http:\/\/\S+\/graphql)/.exec(output) ??
        /"url":"(http:\/\/[^"]+\/graphql)"[^\n]*"msg":"server listening"/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', look);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', look);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before serving:\n${output}`));
    });
  });
  return {
    process: child,
    url: url.replace('localhost', '127.0.0.1'),
    wsUrl: url.replace('localhost', '127.0.0.1').replace(/^http/, 'ws'),
    exited,
    output: () => output,
  };
}

/**
 * Writes, beside the compiled main.js, an entry that serves like `npm start` but through a
 * sandbox carrier that keeps a ledger outside the process (CARRIER_LEDGER, one line per sale and
 * void), the way a real carrier's books outlive our process. With HANG_AFTER_FIRST_SALE set, the
 * carrier's first answer for a reference whose key starts with `hang-` never arrives: the label is
 * sold (in the ledger), the line `SOLD-AND-HANGING <number>` is printed, and the purchase waits,
 * so a test can SIGKILL the server after the sale and before the commit.
 */
export function writeLedgerMain(mainJs: string): string {
  const outDir = path.dirname(path.dirname(mainJs));
  const file = path.join(outDir, 'ledger-main.js');
  fs.writeFileSync(
    file,
    `'use strict';
require('reflect-metadata');
const fs = require('node:fs');
const { loadConfig } = require('./src/config/config');
const { startSeeded } = require('./src/cli/seed-if-empty');
const { SandboxGateway } = require('./src/carriers/sandbox.gateway');

const ledger = process.env.CARRIER_LEDGER;
const hang = process.env.HANG_AFTER_FIRST_SALE === 'on';
const lines = () => (fs.existsSync(ledger) ? fs.readFileSync(ledger, 'utf8').split('\\n') : []);

class LedgerGateway extends SandboxGateway {
  async purchase(request) {
    const soldBefore = lines().some((l) => l.startsWith('SOLD ' + request.reference + ' '));
    const sold = await super.purchase(request);
    fs.appendFileSync(ledger, 'SOLD ' + request.reference + ' ' + sold.trackingNumber + '\\n');
    if (hang && !soldBefore && /^\\d+:hang-/.test(request.reference)) {
      process.stdout.write('SOLD-AND-HANGING ' + sold.trackingNumber + '\\n');
      return new Promise(() => {});
    }
    return sold;
  }
  async void(request) {
    fs.appendFileSync(ledger, 'VOID ' + request.trackingNumber + '\\n');
  }
}

startSeeded(loadConfig(), { collaborators: { carriers: new LedgerGateway() } })
  .then(({ countersign }) => {
    process.stdout.write('serving ' + countersign.url + '\\n');
    process.on('SIGTERM', () => {
      countersign.stop().then(() => process.exit(0), () => process.exit(1));
    });
  })
  .catch((error) => {
    process.stderr.write('failed to start: ' + (error && error.stack) + '\\n');
    process.exit(1);
  });
`,
  );
  return file;
}

/** The carrier ledger written by writeLedgerMain's server: what was sold, what was voided. */
export function readLedger(file: string): { sold: Map<string, string>; voided: Set<string> } {
  const sold = new Map<string, string>();
  const voided = new Set<string>();
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  for (const line of text.split('\n')) {
    const [what, a, b] = line.split(' ');
    if (what === 'SOLD') sold.set(a, b);
    if (what === 'VOID') voided.add(a);
  }
  return { sold, voided };
}
