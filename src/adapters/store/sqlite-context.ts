// What every part of the SQLite store shares: the Kysely handle, the clock, and how driver errors read.

import type { Kysely } from 'kysely';
import type { Database } from './tables.js';

export interface SqliteContext {
  readonly db: Kysely<Database>;
  /** ISO timestamp for created/used-at columns; injectable so tests can pin time. */
  now(): string;
}

/** better-sqlite3 reports a broken REFERENCES (e.g. a run id that does not exist) with this code. */
export function isForeignKeyViolation(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
