import { ConfigError, envInt, envString, envSwitch, envUrl } from './env';
import type { Env } from './env';

/** The outbox holds a claim for 30 s: a send must give up well before another worker may retry. */
const MAX_SEND_TIMEOUT_MS = 20_000;

/** E-mail over SMTP (SMTP_HOST set); unset: e-mails are only recorded. */
export interface SmtpSettings {
  host: string;
  /** SMTP_PORT: default 465 with SMTP_SECURE, else 587. */
  port: number;
  /** SMTP_SECURE: TLS from the first byte (port 465); off: STARTTLS when the server offers it. */
  secure: boolean;
  /** SMTP_USER / SMTP_PASSWORD, both or neither. */
  auth: { user: string; pass: string } | undefined;
  /** SMTP_FROM: the From header, e.g. `Countersign <notices@example.com>`. */
  from: string;
  /** SMTP_TIMEOUT_MS: how long the server may stay silent (connect, greeting, each reply). */
  timeoutMs: number;
}

/** SMS and push through one HTTP endpoint (NOTIFY_HTTP_URL set); unset: they are only recorded. */
export interface NotifyHttpSettings {
  url: string;
  /** NOTIFY_HTTP_SECRET: HMAC key of the Countersign-Signature header. */
  secret: string;
  /** NOTIFY_HTTP_TIMEOUT_MS: the whole request. */
  timeoutMs: number;
}

export interface NotifyConfig {
  smtp: SmtpSettings | undefined;
  http: NotifyHttpSettings | undefined;
}

function smtpSettings(env: Env): SmtpSettings | undefined {
  const host = envString(env, 'SMTP_HOST')?.trim();
  if (host === undefined) return undefined;
  const secure = envSwitch(env, 'SMTP_SECURE', false);
  const user = envString(env, 'SMTP_USER');
  const pass = envString(env, 'SMTP_PASSWORD');
  if ((user === undefined) !== (pass === undefined)) {
    const missing = user === undefined ? 'SMTP_USER' : 'SMTP_PASSWORD';
    throw new ConfigError(missing, `${missing} is required with SMTP_USER/SMTP_PASSWORD`);
  }
  const from = envString(env, 'SMTP_FROM')?.trim();
  if (from === undefined)
    throw new ConfigError('SMTP_FROM', 'SMTP_FROM is required with SMTP_HOST');
  return {
    host,
    port: envInt(env, 'SMTP_PORT', secure ? 465 : 587, { max: 65535 }),
    secure,
    auth: user !== undefined && pass !== undefined ? { user, pass } : undefined,
    from,
    timeoutMs: envInt(env, 'SMTP_TIMEOUT_MS', 10_000, { min: 100, max: MAX_SEND_TIMEOUT_MS }),
  };
}

function httpSettings(env: Env): NotifyHttpSettings | undefined {
  const url = envUrl(env, 'NOTIFY_HTTP_URL', ['http:', 'https:']);
  if (url === undefined) return undefined;
  const secret = envString(env, 'NOTIFY_HTTP_SECRET');
  if (secret === undefined) {
    throw new ConfigError(
      'NOTIFY_HTTP_SECRET',
      'NOTIFY_HTTP_SECRET is required with NOTIFY_HTTP_URL',
    );
  }
  const timeoutMs = envInt(env, 'NOTIFY_HTTP_TIMEOUT_MS', 10_000, {
    min: 100,
    max: MAX_SEND_TIMEOUT_MS,
  });
  return { url, secret, timeoutMs };
}

export function loadNotifyConfig(env: Env): NotifyConfig {
  return { smtp: smtpSettings(env), http: httpSettings(env) };
}
