import 'reflect-metadata';
import { startCountersign } from '../src/bootstrap';
import { seedIfEmpty } from '../src/cli/seed-if-empty';
import { loadConfig } from '../src/config/config';

/**
 * The soak's server: the product as `npm start` runs it, in a process of its own (run with
 * --expose-gc) so its memory is not mixed with the load generator's. Over IPC it says where it
 * serves, and answers `memory` with a reading taken after a full GC.
 */

type Gc = () => void;

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, PORT: '0' });
  const countersign = await startCountersign(config, {
    beforeListen: ({ db }) => db.transaction((tx) => seedIfEmpty(tx.manager)).then(() => {}),
  });
  process.on('message', (message: unknown) => {
    if (message === 'memory') {
      (globalThis as { gc?: Gc }).gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      process.send?.({ memory: { rss, heapUsed } });
    } else if (message === 'stop') {
      void countersign.stop().then(() => process.exit(0));
    }
  });
  process.send?.({ url: countersign.url });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `soak server failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
