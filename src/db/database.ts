import type { DataSource, EntityManager } from 'typeorm';
import { databaseKind } from './data-source';
import type { DatabaseKind } from './data-source';
import { Mutex } from './mutex';

/** A unit of work: the transaction's manager, plus work to do only once it has committed. */
export interface Tx {
  manager: EntityManager;
  afterCommit(fn: () => void | Promise<void>): void;
}

/**
 * The application's handle on the database. Every mutation runs in one `transaction`; events
 * registered with `afterCommit` run only when it commits, and are dropped on rollback.
 */
export class Database {
  readonly kind: DatabaseKind;
  /**
   * TypeORM's sqlite driver shares one connection, so overlapping transactions would nest as
   * savepoints of each other. SQLite has one writer anyway: queue write transactions here.
   */
  private readonly writeLock: Mutex | null;

  /**
   * @param reader On a SQLite file, a second connection that `manager` reads through outside
   *   transactions (createSqliteReader): TypeORM's sqlite driver has one connection, so a read on
   *   it could see another request's uncommitted writes. The file is in WAL mode, so the reader
   *   sees committed data only and is not blocked by the writer. Null on PostgreSQL (its pool
   *   isolates reads) and on in-memory SQLite, where reads share the writer's connection.
   */
  constructor(
    readonly dataSource: DataSource,
    private readonly onAfterCommitError: (error: unknown) => void = () => {},
    private readonly reader: DataSource | null = null,
  ) {
    this.kind = databaseKind(
      dataSource.options.type === 'postgres' ? 'postgres://' : String(dataSource.options.database),
    );
    this.writeLock = this.kind === 'sqlite' ? new Mutex() : null;
  }

  /** For reads outside a transaction; writes go through `transaction`. */
  get manager(): EntityManager {
    return (this.reader ?? this.dataSource).manager;
  }

  async close(): Promise<void> {
    if (this.reader?.isInitialized) await this.reader.destroy();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const hooks: Array<() => void | Promise<void>> = [];
    const run = () =>
      this.dataSource.transaction((manager) => fn({ manager, afterCommit: (h) => hooks.push(h) }));
    const result = this.writeLock ? await this.writeLock.run(run) : await run();
    for (const hook of hooks) {
      // The data is committed; a failing listener must not turn the mutation into an error.
      try {
        await hook();
      } catch (error) {
        this.onAfterCommitError(error);
      }
    }
    return result;
  }
}
