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
      const match = /serving (http:\/\/\S+\/graphql)/.exec(output);
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
