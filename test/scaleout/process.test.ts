import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createTestStores } from '../support/test-stores';
import type { TestStores } from '../support/test-stores';
import { waitFor } from './helpers';

const ROOT = path.join(__dirname, '../..');

/** `npm start`'s entry point (src/main.ts) in a process of its own, on the test's own stores. */
function startInstance(stores: TestStores, env: Record<string, string> = {}) {
  // main.ts takes no schema option; PostgreSQL takes the search_path from the URL as well.
  const url = new URL(stores.env.DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${stores.schema}`);
  const child = spawn(
    process.execPath,
    ['-r', path.join(__dirname, 'child/ts-register.js'), path.join(ROOT, 'src/main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        // Not "test": Apollo would then leave the termination signals alone anyway.
        NODE_ENV: 'development',
        COUNTERSIGN_DEV: 'on',
        LOG_LEVEL: 'warn',
        PORT: '0',
        DATABASE_URL: url.toString(),
        REDIS_URL: stores.env.REDIS_URL ?? '',
        REDIS_CHANNEL_PREFIX: stores.redisChannelPrefix ?? '',
        ...env,
      },
    },
  ) as ChildProcessWithoutNullStreams;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url$ = waitFor(
    'the instance to serve',
    () => {
      if (child.exitCode !== null) throw new Error(`the instance exited:\n${output}`);
      return /serving (http:\/\/\S+\/graphql)/.exec(output)?.[1];
    },
    60_000,
  );
  return { child, exit, served: url$, output: () => output };
}

describe('an instance run as `npm start`', () => {
  let stores: TestStores;
  let instance: ReturnType<typeof startInstance> | undefined;
  beforeAll(async () => {
    stores = await createTestStores();
  });
  afterAll(async () => {
    if (instance && instance.child.exitCode === null) instance.child.kill('SIGKILL');
    await stores?.release();
  });

  it('migrates and seeds its database, reports ready, and stops cleanly on SIGTERM', async () => {
    instance = startInstance(stores);
    const graphqlUrl = await instance.served;
    const ready = await fetch(new URL('/readyz', graphqlUrl));
    expect(ready.status).toBe(200);
    const viewer = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(viewer.status).toBe(200);

    instance.child.kill('SIGTERM');
    // Exit code 0: the shutdown finished by itself (main.ts forces exit code 1 after 10 s).
    expect(await instance.exit).toEqual({ code: 0, signal: null });
    expect(instance.output()).not.toMatch(/"level":"error"/);
  });
});
