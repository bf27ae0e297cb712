import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * Counts SQL statements sent to the database. Tests and benchmarks read it to prove that list
 * queries stay batched (no N+1); it costs one increment per statement.
 */
export class SqlCounter implements TypeOrmLogger {
  count = 0;
  /** Statements since construction, when `record` is on (tests only). */
  readonly recorded: string[] = [];
  record = false;

  logQuery(query: string): void {
    this.count += 1;
    if (this.record) this.recorded.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}

  /** Runs `fn` and returns how many statements it sent. */
  async measure<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
    const before = this.count;
    const result = await fn();
    return { result, statements: this.count - before };
  }
}
