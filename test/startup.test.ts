import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCountersign } from '../src/bootstrap';
import { loadConfig } from '../src/config/config';
import { startTestServer } from './support/test-server';

describe('starting the server', () => {
  it('fails with the reason, instead of hanging, when its port is taken', async () => {
    const running = await startTestServer();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-port-'));
    try {
      const config = loadConfig({
        NODE_ENV: 'test',
        PORT: String(running.app.port),
        DATABASE_URL: `sqlite:${path.join(dir, 'second.sqlite')}`,
        OUTBOX_WORKER: 'off',
      });
      // A short explicit deadline turns the old hang into a failure with a message.
      const deadline = new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error('start neither failed nor succeeded in 5 s')),
          5000,
        ).unref(),
      );
      await expect(Promise.race([startCountersign(config), deadline])).rejects.toThrow(
        /EADDRINUSE/,
      );
    } finally {
      await running.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
