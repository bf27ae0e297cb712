import { QueryFailedError } from 'typeorm';

/** The driver's own error (sqlite3 or pg), which TypeORM keeps on `driverError`. */
function driverErrorOf(error: unknown): { code?: unknown; message?: unknown } | null {
  if (error instanceof QueryFailedError)
    return error.driverError as { code?: unknown; message?: unknown };
  if (error && typeof error === 'object') return error as { code?: unknown; message?: unknown };
  return null;
}

/**
 * Whether a write failed on a UNIQUE constraint, on either database. Concurrent duplicates
 * (idempotency keys, dedupe keys, carrier event ids) are told apart from real failures this way:
 * PostgreSQL reports SQLSTATE 23505; sqlite3 reports SQLITE_CONSTRAINT for every constraint kind
 * (NOT NULL and foreign keys too), so its message decides.
 */
export function isUniqueViolation(error: unknown): boolean {
  const driver = driverErrorOf(error);
  if (!driver) return false;
  if (driver.code === '23505') return true;
  return (
    driver.code === 'SQLITE_CONSTRAINT' &&
    typeof driver.message === 'string' &&
    driver.message.includes('UNIQUE constraint failed')
  );
}
