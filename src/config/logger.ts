import type { LogLevel } from './config';
import { LOG_LEVELS } from './config';

export type LogFields = Record<string, unknown>;

/** Structured JSON logger: one line per entry on stdout. */
export class Logger {
  constructor(
    private readonly level: LogLevel,
    private readonly base: LogFields = {},
  ) {}

  child(fields: LogFields): Logger {
    return new Logger(this.level, { ...this.base, ...fields });
  }

  debug(msg: string, fields?: LogFields): void {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.write('error', msg, fields);
  }

  private write(level: LogLevel, msg: string, fields?: LogFields): void {
    if (LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(this.level)) return;
    const line = JSON.stringify({
      time: new Date().toISOString(),
      level,
      msg,
      ...this.base,
      ...fields,
    });
    process.stdout.write(line + '\n');
  }
}
