import type { ValueTransformer } from 'typeorm';

/**
 * Times are stored as ISO-8601 UTC strings: the same column type and ordering on SQLite and
 * PostgreSQL, and lexicographic order equals time order.
 */
export const isoDate: ValueTransformer = {
  to: (value: Date | null | undefined) => (value ? value.toISOString() : value),
  from: (value: string | null) => (value ? new Date(value) : null),
};

export const TIMESTAMP = { type: 'varchar', length: 30, transformer: isoDate } as const;
