import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startCountersign } from '../src/bootstrap';
import { startSeeded } from '../src/cli/seed-if-empty';
import { loadConfig } from '../src/config/config';
import { Role } from '../src/entities/enums';
import { devToken } from '../seeds/dev-tokens';
import { startTestServer } from './support/test-server';

describe('starting the server', () => {
  it('fails with the reason, instead of hanging, when its port is taken', async () => {
    const running = await startTestServer();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-port-'));
    try {
      const config = loadConfig({
        NODE_ENV: 'test',
        COUNTERSIGN_DEV: 'on',
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

/** A port nothing listens on right now (the OS picks it; closed again before use). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('npm start (COUNTERSIGN_DEV=on) with seeding', () => {
  it('seeds before it listens: the dev token works on the first request after /healthz', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-seed-first-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      COUNTERSIGN_DEV: 'on',
      LOG_LEVEL: 'silent',
      PORT: String(port),
      DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`,
      OUTBOX_WORKER: 'off',
      RATE_LIMITS: 'off',
    });
    const starting = startSeeded(config);
    let started: Awaited<typeof starting> | undefined;
    try {
      // Poll /healthz while the start runs, as a load balancer or a script would.
      let polls = 0;
      for (;;) {
        polls += 1;
        const healthy = await fetch(`${base}/healthz`).then(
          (res) => res.ok,
          () => false,
        );
        if (healthy) break;
        if (polls > 6000) throw new Error('/healthz never answered');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const viewer = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${devToken(Role.ADMIN)}`,
        },
        body: JSON.stringify({ query: '{ viewer { role } }' }),
      });
      expect(await viewer.json()).toEqual({
        data: { viewer: { role: 'ADMIN' } },
        extensions: { cost: expect.any(Object) },
      });
      // The poll saw the port closed at least once: it watched the start, not a finished one.
      expect(polls).toBeGreaterThan(1);
      started = await starting;
      expect(started.seeded.seeded).toBe(true);
    } finally {
      started ??= await starting.catch(() => undefined);
      await started?.countersign.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
