import { loadConfig } from '../src/config/config';

/** The numeric settings of src/config/config.ts: a typo stops the start with the variable's name. */

const base = { NODE_ENV: 'test', COUNTERSIGN_DEV: 'on' };

describe('numeric settings', () => {
  it('takes OUTBOX_POLL_MS as a whole number of milliseconds, 500 when unset', () => {
    expect(loadConfig({ ...base, OUTBOX_POLL_MS: '250' }).outboxPollMs).toBe(250);
    expect(loadConfig(base).outboxPollMs).toBe(500);
    expect(loadConfig({ ...base, OUTBOX_POLL_MS: '' }).outboxPollMs).toBe(500);
  });

  it.each(['abc', '0', '-5', '1.5', '1e3', '12ms', 'Infinity', '2147483648'])(
    'refuses OUTBOX_POLL_MS=%j instead of polling every millisecond',
    (value) => {
      expect(() => loadConfig({ ...base, OUTBOX_POLL_MS: value })).toThrow(
        `OUTBOX_POLL_MS must be a whole number, 1 to 2147483647 (got "${value}")`,
      );
    },
  );

  it.each([
    ['DATABASE_POOL_SIZE', 'ten', 'at least 1'],
    ['DATABASE_POOL_SIZE', '0', 'at least 1'],
    ['DATABASE_POOL_SIZE', '99999999999999999999', 'at least 1'],
    ['PORT', 'http', '0 to 65535'],
    ['PORT', '70000', '0 to 65535'],
  ])('refuses %s=%j, naming the range (%s)', (name, value, range) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(
      `${name} must be a whole number, ${range} (got "${value}")`,
    );
  });

  it('accepts the boundaries', () => {
    expect(loadConfig({ ...base, PORT: '0', DATABASE_POOL_SIZE: '1' })).toMatchObject({
      port: 0,
      databasePoolSize: 1,
    });
    expect(loadConfig({ ...base, PORT: '65535' }).port).toBe(65535);
  });
});
