import pino from 'pino';
import type { DestinationStream, Logger as Pino } from 'pino';
import type { LogLevel } from './config';

export type LogFields = Record<string, unknown>;

/**
 * Paths pino blanks in every line (https://getpino.io/#/docs/redaction): credentials, tokens,
 * webhook secrets and signatures, wherever a caller puts them in a line's fields.
 */
export const REDACTED_PATHS = [
  'authorization',
  'token',
  'secret',
  'signature',
  'password',
  '*.authorization',
  '*.Authorization',
  '*.token',
  '*.secret',
  '*.signingSecret',
  '*.signature',
  '*.password',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["countersign-signature"]',
  'res.headers["set-cookie"]',
];

/**
 * Structured JSON logger over pino: one line per entry (stdout unless a destination is given,
 * e.g. a stream a test reads), secrets redacted. Keeps the project's `(message, fields)` call
 * shape; `pino` is the underlying logger for pino-http.
 */
export class Logger {
  readonly pino: Pino;

  constructor(level: LogLevel, base: LogFields = {}, destination?: DestinationStream | Pino) {
    if (destination && 'child' in destination) {
      this.pino = destination.child(base);
      return;
    }
    const options: pino.LoggerOptions = {
      level,
      base,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    };
    this.pino = destination ? pino(options, destination) : pino(options);
  }

  child(fields: LogFields): Logger {
    return new Logger(this.pino.level as LogLevel, fields, this.pino);
  }

  debug(msg: string, fields?: LogFields): void {
    this.pino.debug(fields ?? {}, msg);
  }
  info(msg: string, fields?: LogFields): void {
    this.pino.info(fields ?? {}, msg);
  }
  warn(msg: string, fields?: LogFields): void {
    this.pino.warn(fields ?? {}, msg);
  }
  error(msg: string, fields?: LogFields): void {
    this.pino.error(fields ?? {}, msg);
  }
}
