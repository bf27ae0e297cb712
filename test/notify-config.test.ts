import { loadConfig } from '../src/config/config';
import { ConfigError } from '../src/config/env';

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
