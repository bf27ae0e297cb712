import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCountersign } from '../src/bootstrap';
import { loadConfig } from '../src/config/config';
import { ConfigError } from '../src/config/env';
import { startTestServer } from './support/test-server';

/** One rule for every setting: switches, whole numbers, and a start that stops on anything else. */

const base = { NODE_ENV: 'test', COUNTERSIGN_DEV: 'on' };
const ROOT = path.join(__dirname, '..');

/** The error loadConfig throws for `env`, so a test can check its class and its words. */
function refusal(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('switches', () => {
  it.each(['off', 'false', '0', 'OFF', 'False', ' off '])(
    '%j turns OUTBOX_WORKER and MIGRATE_ON_START off: no worker, no migrations',
    (value) => {
      const config = loadConfig({ ...base, OUTBOX_WORKER: value, MIGRATE_ON_START: value });
      expect(config.runOutboxWorker).toBe(false);
      expect(config.migrateOnStart).toBe(false);
    },
  );

  it.each(['on', 'true', '1', 'ON', 'True'])('%j turns them on', (value) => {
    const config = loadConfig({ ...base, OUTBOX_WORKER: value, MIGRATE_ON_START: value });
    expect(config.runOutboxWorker).toBe(true);
    expect(config.migrateOnStart).toBe(true);
  });

  it('are on when unset or blank', () => {
    for (const env of [base, { ...base, OUTBOX_WORKER: '', MIGRATE_ON_START: ' ' }]) {
      expect(loadConfig(env)).toMatchObject({ runOutboxWorker: true, migrateOnStart: true });
    }
  });

  it.each([
    ['OUTBOX_WORKER', 'yes'],
    ['MIGRATE_ON_START', 'maybe'],
    ['RATE_LIMITS', 'enabled'],
    ['GRAPHQL_INTROSPECTION', 'no'],
    ['CARRIER_RECONCILER', 'sometimes'],
  ])('refuses %s=%j, naming the variable and the accepted words', (name, value) => {
    const error = refusal({ [name]: value });
    expect(error.variable).toBe(name);
    expect(error.message).toBe(`${name} must be on, true, 1 or off, false, 0 (got "${value}")`);
  });

  it('run the carrier reconciler every minute unless told otherwise', () => {
    expect(loadConfig(base)).toMatchObject({
      runCarrierReconciler: true,
      carrierReconcileMs: 60_000,
    });
    expect(
      loadConfig({ ...base, CARRIER_RECONCILER: 'off', CARRIER_RECONCILE_MS: '5000' }),
    ).toMatchObject({ runCarrierReconciler: false, carrierReconcileMs: 5000 });
  });

  it('read the same in the security settings as in the rest', () => {
    const config = loadConfig({ ...base, RATE_LIMITS: 'false', GRAPHQL_INTROSPECTION: '0' });
    expect(config.security.rateLimits.enabled).toBe(false);
    expect(config.security.introspection).toBe(false);
  });
});

describe('whole numbers', () => {
  it.each([
    ['GRAPHQL_MAX_COST', '5e4'],
    ['OUTBOX_POLL_MS', '1e3'],
    ['GRAPHQL_MAX_DEPTH', '1.5'],
    ['RATE_LIMIT_IP_PER_MINUTE', '0x10'],
    ['DATABASE_POOL_SIZE', '-1'],
    ['CARRIER_RECONCILE_MS', '1m'],
  ])('refuses %s=%j the same way, naming the variable', (name, value) => {
    const error = refusal({ [name]: value });
    expect(error.variable).toBe(name);
    expect(error.message).toMatch(new RegExp(`^${name} must be a whole number, .*\\(got "`));
  });

  it('takes decimal digits in the security settings as in the rest', () => {
    const config = loadConfig({ ...base, GRAPHQL_MAX_COST: '50000', OUTBOX_POLL_MS: '1000' });
    expect(config.security.limits.maxCost).toBe(50000);
    expect(config.outboxPollMs).toBe(1000);
  });
});

describe('other settings', () => {
  it('refuses an unknown LOG_LEVEL, listing the levels', () => {
    expect(refusal({ LOG_LEVEL: 'verbose' }).message).toBe(
      'LOG_LEVEL must be one of debug, info, warn, error, silent (got "verbose")',
    );
  });

  it('refuses a REDIS_URL that is not redis:// without echoing it (it may hold a password)', () => {
    const error = refusal({ REDIS_URL: 'http://user:secret@host' });
    expect(error.message).toBe('REDIS_URL must be a redis:// or rediss:// URL');
  });

  it.each([
    ['', false],
    ['off', false],
    ['true', true],
    ['1', 1],
    ['loopback, 10.0.0.0/8', 'loopback,10.0.0.0/8'],
  ])('reads TRUST_PROXY=%j as %j (digits are a hop count)', (value, expected) => {
    expect(loadConfig({ ...base, TRUST_PROXY: value }).security.trustProxy).toEqual(expected);
  });

  it('refuses a TRUST_PROXY that is no address', () => {
    expect(refusal({ TRUST_PROXY: 'yes' }).variable).toBe('TRUST_PROXY');
    expect(refusal({ TRUST_PROXY: '10.0.0.0/33' }).variable).toBe('TRUST_PROXY');
  });
});

describe('starting with the switches off', () => {
  it('MIGRATE_ON_START=false applies no migration: an empty database is refused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'countersign-config-'));
    try {
      const config = loadConfig({
        ...base,
        PORT: '0',
        DATABASE_URL: `sqlite:${path.join(dir, 'empty.sqlite')}`,
        OUTBOX_WORKER: 'false',
        MIGRATE_ON_START: 'false',
      });
      await expect(startCountersign(config)).rejects.toThrow(/lacks migrations/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('OUTBOX_WORKER=false starts no worker', async () => {
    const server = await startTestServer({ OUTBOX_WORKER: 'false' });
    try {
      expect(server.outbox).toBeNull();
    } finally {
      await server.stop();
    }
  });
});

describe('the development switch (COUNTERSIGN_DEV)', () => {
  const secrets = {
    CARRIER_SECRET_UPS: 'real-ups-secret',
    CARRIER_SECRET_USPS: 'real-usps-secret',
    LABEL_DOCUMENT_SECRET: 'real-label-document-secret',
  };
  const refusalOf = (env: NodeJS.ProcessEnv) => refusal({ NODE_ENV: undefined, ...env });

  it.each([{}, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }, { NODE_ENV: 'staging' }])(
    'is off unless set, whatever NODE_ENV says (%j): real webhook secrets are required',
    (env) => {
      const error = refusal({ COUNTERSIGN_DEV: undefined, NODE_ENV: undefined, ...env });
      expect(error.variable).toBe('CARRIER_SECRET_UPS');
      expect(error.message).toBe(
        'CARRIER_SECRET_UPS is required (COUNTERSIGN_DEV=on uses the dev secrets)',
      );
    },
  );

  it('off: names each missing secret, USPS as well as UPS', () => {
    const error = refusalOf({ COUNTERSIGN_DEV: 'off', CARRIER_SECRET_UPS: 'real-ups-secret' });
    expect(error.variable).toBe('CARRIER_SECRET_USPS');
  });

  it.each([
    ['CARRIER_SECRET_UPS', 'dev-ups-webhook-secret'],
    ['CARRIER_SECRET_USPS', 'dev-usps-webhook-secret'],
    ['CARRIER_SECRET_UPS_PREVIOUS', 'dev-ups-webhook-secret'],
    ['CARRIER_SECRET_USPS_PREVIOUS', 'dev-usps-webhook-secret'],
  ])('off: refuses %s set to the public dev secret', (name, value) => {
    const error = refusalOf({ COUNTERSIGN_DEV: 'off', ...secrets, [name]: value });
    expect(error.variable).toBe(name);
    expect(error.message).toBe(
      `${name} is the public dev secret; set a real one (or COUNTERSIGN_DEV=on)`,
    );
  });

  it('off: real secrets only, no IDE conveniences: introspection and limit details off', () => {
    const config = loadConfig({ ...secrets, CARRIER_SECRET_UPS_PREVIOUS: 'old-ups-secret' });
    expect(config).toMatchObject({
      devMode: false,
      nodeEnv: 'production',
      carrierSecrets: { UPS: ['real-ups-secret', 'old-ups-secret'], USPS: ['real-usps-secret'] },
    });
    expect(config.security.introspection).toBe(false);
    expect(config.security.limits.exposeLimits).toBe(false);
  });

  it('on: the dev secrets when none are set, introspection and limit details on', () => {
    const config = loadConfig({ COUNTERSIGN_DEV: 'on' });
    expect(config).toMatchObject({
      devMode: true,
      nodeEnv: 'development',
      carrierSecrets: { UPS: ['dev-ups-webhook-secret'], USPS: ['dev-usps-webhook-secret'] },
    });
    expect(config.security.introspection).toBe(true);
    expect(config.security.limits.exposeLimits).toBe(true);
    // Explicit secrets still win over the dev ones.
    expect(loadConfig({ COUNTERSIGN_DEV: 'on', ...secrets }).carrierSecrets.UPS).toEqual([
      'real-ups-secret',
    ]);
  });

  it('on is refused together with NODE_ENV=production', () => {
    const error = refusalOf({ COUNTERSIGN_DEV: 'on', NODE_ENV: 'production', ...secrets });
    expect(error.variable).toBe('COUNTERSIGN_DEV');
    expect(error.message).toBe('COUNTERSIGN_DEV=on is refused with NODE_ENV=production');
  });

  it('is read like every other switch', () => {
    expect(refusal({ COUNTERSIGN_DEV: 'yes' }).variable).toBe('COUNTERSIGN_DEV');
  });
});

describe('node dist/src/main.js with nothing set', () => {
  it('behaves as production: exits 1 with one line naming the missing webhook secret', () => {
    const register = path.join(ROOT, 'test/scaleout/child/ts-register.js');
    const result = spawnSync(process.execPath, ['-r', register, path.join(ROOT, 'src/main.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      // Every source file is transpiled on the way in: slow on a busy machine.
      timeout: 90_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'countersign: CARRIER_SECRET_UPS is required (COUNTERSIGN_DEV=on uses the dev secrets)\n',
    );
  }, 120_000);
});
