// Opens the SQLite file behind the Store port: pragmas, migrations, and the parts that answer each method.

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteAdapter, SqliteDialect, type DialectAdapter } from 'kysely';
import { SlipwayError } from '../../core/errors.js';
import type { Store } from '../../core/ports/store.js';
import { migrateToLatest } from './migrations.js';
import { sqliteAppConfig } from './sqlite-app-config.js';
import { sqliteAppRepos } from './sqlite-app-repos.js';
import { sqliteApps } from './sqlite-apps.js';
import type { SqliteContext } from './sqlite-context.js';
import { sqliteRecords } from './sqlite-records.js';
import { sqliteReleases } from './sqlite-releases.js';
import { sqliteRunDetails } from './sqlite-run-details.js';
import { sqliteRuns } from './sqlite-runs.js';
import { sqliteSchedules } from './sqlite-schedules.js';
import { sqliteSecrets } from './sqlite-secrets.js';
import { sqliteStackReleases } from './sqlite-stack-releases.js';
import { sqliteSteps } from './sqlite-steps.js';
import { sqliteUsers } from './sqlite-users.js';
import type { Database } from './tables.js';

export interface StoreOptions {
  /** The clock for created/used-at timestamps; tests pin it. */
  readonly now?: () => Date;
}

/** How long a write waits for another connection's lock (a backup, the sqlite3 shell) before failing. */
const BUSY_TIMEOUT_MS = 5000;

// SQLite does run DDL inside transactions; Kysely's adapter says no to be safe across versions. Saying yes
// makes the Migrator wrap each run in one transaction, so a crash mid-migration leaves the old schema intact.
class TransactionalDdlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class Dialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlAdapter();
  }
}

export async function openSqliteStore(file: string, options: StoreOptions = {}): Promise<Store> {
  const raw = await openFile(file);
  const db = new Kysely<Database>({ dialect: new Dialect({ database: raw }) });
  try {
    await migrateToLatest(db, file);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const clock = options.now ?? (() => new Date());
  const ctx: SqliteContext = { db, now: () => clock().toISOString() };
  let closed = false;
  return {
    ...sqliteApps(ctx),
    ...sqliteRuns(ctx),
    ...sqliteReleases(ctx),
    ...sqliteRecords(ctx),
    ...sqliteRunDetails(ctx),
    ...sqliteSteps(ctx),
    ...sqliteSecrets(ctx),
    ...sqliteSchedules(ctx),
    ...sqliteAppRepos(ctx),
    ...sqliteStackReleases(ctx),
    ...sqliteUsers(ctx),
    ...sqliteAppConfig(ctx),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

async function openFile(file: string): Promise<BetterSqlite3.Database> {
  let raw: BetterSqlite3.Database | undefined;
  try {
    if (file !== ':memory:') await mkdir(dirname(file), { recursive: true });
    raw = new BetterSqlite3(file);
    // WAL: readers never block the writer; NORMAL sync is durable across app crashes in WAL mode.
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return raw;
  } catch (err) {
    raw?.close();
    const reason = err instanceof Error ? err.message : String(err);
    throw new SlipwayError('internal', `cannot open database ${file}: ${reason}`, {
      field: file,
      hint: 'check that the path is writable and is a Slipway SQLite database (or does not exist yet)',
      cause: err,
    });
  }
}
