import { createTestStores } from '../support/test-stores';
import type { TestStores } from '../support/test-stores';
import { startInstance } from './helpers';

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
