import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL side of the bench: a database of its own per run (created from the URL given
 * with --pg=… or TEST_DATABASE_URL, dropped at the end), and every connection the bench server
 * opens tagged with one application_name, so the backends' CPU can be added to the server's.
 */

export interface BenchPgDatabase {
  /** The bench database, with `application_name` set: give it to the server and baselines. */
  url: string;
  applicationName: string;
  drop(): Promise<void>;
}

export async function createBenchPgDatabase(baseUrl: string): Promise<BenchPgDatabase> {
  const suffix = randomBytes(4).toString('hex');
  const name = `countersign_bench_${suffix}`;
  const applicationName = `countersign-bench-${suffix}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  url.searchParams.set('application_name', applicationName);
  return {
    url: url.toString(),
    applicationName,
    drop: async () => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Process ids of the PostgreSQL backends serving connections named `applicationName`. */
export async function backendPids(pool: pg.Pool, applicationName: string): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
    [applicationName],
  );
  return rows.map((r) => r.pid);
}
