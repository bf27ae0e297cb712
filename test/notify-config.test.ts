import { loadConfig } from '../src/config/config';
import { ConfigError } from '../src/config/env';
import { Logger } from '../src/config/logger';
import type { Database } from '../src/db/database';
import { configuredAdapters } from '../src/notifications/configured-adapters';

/** The notification channels' settings: each refusal names its variable. */

const base = { NODE_ENV: 'test', COUNTERSIGN_DEV: 'on' };
const SMTP = { SMTP_HOST: 'smtp.example.net', SMTP_FROM: 'Countersign <n@example.com>' };

function refused(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.variable;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('notification channel settings', () => {
  it('without SMTP_HOST or NOTIFY_HTTP_URL every channel is only recorded', () => {
    expect(loadConfig(base).notify).toEqual({ smtp: undefined, http: undefined });
  });

  it('reads SMTP settings, with the port following SMTP_SECURE', () => {
    expect(loadConfig({ ...base, ...SMTP }).notify.smtp).toEqual({
      host: 'smtp.example.net',
      port: 587,
      secure: false,
      auth: undefined,
      from: 'Countersign <n@example.com>',
      timeoutMs: 10_000,
    });
    const tls = loadConfig({
      ...base,
      ...SMTP,
      SMTP_SECURE: 'on',
      SMTP_USER: 'mailer',
      SMTP_PASSWORD: 's3cret',
      SMTP_TIMEOUT_MS: '5000',
    }).notify.smtp;
    expect(tls).toMatchObject({
      port: 465,
      secure: true,
      auth: { user: 'mailer', pass: 's3cret' },
      timeoutMs: 5000,
    });
  });

  it.each([
    [{ SMTP_HOST: 'smtp.example.net' }, 'SMTP_FROM'],
    [{ ...SMTP, SMTP_USER: 'mailer' }, 'SMTP_PASSWORD'],
    [{ ...SMTP, SMTP_PASSWORD: 'x' }, 'SMTP_USER'],
    [{ ...SMTP, SMTP_PORT: '70000' }, 'SMTP_PORT'],
    [{ ...SMTP, SMTP_SECURE: 'maybe' }, 'SMTP_SECURE'],
    // Beyond the outbox's claim on a row, another worker could send the notice meanwhile.
    [{ ...SMTP, SMTP_TIMEOUT_MS: '60000' }, 'SMTP_TIMEOUT_MS'],
    [{ NOTIFY_HTTP_URL: 'https://sms.example.net/send' }, 'NOTIFY_HTTP_SECRET'],
    [{ NOTIFY_HTTP_URL: 'ftp://sms.example.net', NOTIFY_HTTP_SECRET: 'k' }, 'NOTIFY_HTTP_URL'],
  ])('%j is refused, naming %s', (env, variable) => {
    expect(refused(env)).toBe(variable);
  });

  it('reads the HTTP endpoint settings', () => {
    const env = { NOTIFY_HTTP_URL: 'https://sms.example.net/send', NOTIFY_HTTP_SECRET: 'k' };
    expect(loadConfig({ ...base, ...env }).notify.http).toEqual({
      url: 'https://sms.example.net/send',
      secret: 'k',
      timeoutMs: 10_000,
    });
  });
});

describe('start-up', () => {
  it.each([
    [{}, 'recorded only (SMTP_HOST unset)', 'recorded only (NOTIFY_HTTP_URL unset)'],
    [
      { ...SMTP, SMTP_SECURE: 'on', NOTIFY_HTTP_URL: 'https://sms.example.net/send?k=1' },
      'smtp smtp.example.net:465 (tls)',
      'http https://sms.example.net',
    ],
  ])('says in one log line where each channel goes (%j)', (env, email, smsPush) => {
    const logger = new Logger('silent');
    const info = jest.spyOn(logger, 'info');
    const config = loadConfig({ ...base, NOTIFY_HTTP_SECRET: 'k', ...env });
    configuredAdapters(config.notify, {} as Database, logger);
    expect(info.mock.calls).toEqual([['notification channels', { email, smsPush }]]);
  });
});
