// The schema's history: an append-only list of named migrations, applied in order by Kysely's Migrator.

import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { SlipwayError } from '../../core/errors.js';

interface NamedMigration {
  /** Zero-padded so that Kysely's alphabetical order is the list order. */
  readonly name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

// Append new migrations at the end; never edit or reorder one that has shipped.
const MIGRATIONS: readonly NamedMigration[] = [
  {
    name: '0001_initial',
    async up(db) {
      await db.schema
        .createTable('apps')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('domain', 'text', (c) => c.notNull())
        .addColumn('port', 'integer', (c) => c.notNull())
        .addColumn('replicas', 'integer', (c) => c.notNull())
        .addColumn('branch', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('tokens')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .execute();

      // runs and releases carry the app name, not a foreign key: deleteApp keeps their history.
      await db.schema
        .createTable('runs')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('app', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('ref', 'text')
        .addColumn('commit_sha', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('target_release', 'integer')
        .addColumn('release_id', 'integer', (c) => c.references('releases.id'))
        .addColumn('error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema.createIndex('runs_app_id').on('runs').columns(['app', 'id']).execute();
      await db.schema.createIndex('runs_status_id').on('runs').columns(['status', 'id']).execute();

      await db.schema
        .createTable('run_logs')
        .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('run_id', 'integer', (c) => c.notNull().references('runs.id'))
        .addColumn('text', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('run_logs_run_seq').on('run_logs').columns(['run_id', 'seq']).execute();

      await db.schema
        .createTable('releases')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('app', 'text', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('image', 'text', (c) => c.notNull())
        .addColumn('commit_sha', 'text', (c) => c.notNull())
        .addColumn('run_id', 'integer', (c) => c.references('runs.id'))
        .addColumn('spec', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('rollback_of', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('deployed_at', 'text')
        .addUniqueConstraint('releases_app_number', ['app', 'number'])
        .execute();
      // The database itself refuses a second live release of one app.
      await db.schema
        .createIndex('releases_one_live')
        .on('releases')
        .column('app')
        .unique()
        .where(sql.ref('status'), '=', 'live')
        .execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('events')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('app', 'text')
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  {
    name: '0002_pipelines',
    async up(db) {
      // SQLite adds one column per ALTER TABLE. Existing runs read as pushes (rollbacks as rollbacks), not cancelled.
      const addToRuns = [
        db.schema.alterTable('runs').addColumn('event', 'text', (c) => c.notNull().defaultTo('push')),
        db.schema.alterTable('runs').addColumn('params', 'text'),
        db.schema.alterTable('runs').addColumn('restart_of', 'integer', (c) => c.references('runs.id')),
        db.schema.alterTable('runs').addColumn('workspace', 'text'),
        db.schema.alterTable('runs').addColumn('plan', 'text'),
        db.schema.alterTable('runs').addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0)),
      ];
      for (const statement of addToRuns) await statement.execute();
      await sql`UPDATE runs SET event = 'rollback' WHERE source = 'rollback'`.execute(db);

      // Secrets belong to the app (unlike runs, kept for the audit trail): a new app of the same name starts without them.
      await db.schema
        .createTable('secrets')
        .addColumn('app', 'text', (c) => c.notNull().references('apps.name').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sealed', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('secrets_pk', ['app', 'name'])
        .execute();

      await db.schema
        .createTable('run_steps')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('run_id', 'integer', (c) => c.notNull().references('runs.id'))
        .addColumn('pipeline', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('exit_code', 'integer')
        .addColumn('skip_reason', 'text')
        .addColumn('error', 'text')
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addUniqueConstraint('run_steps_run_pipeline_name', ['run_id', 'pipeline', 'name'])
        .execute();

      // Logs hang off the step row, so replacing a run's steps takes their logs with them.
      await db.schema
        .createTable('step_logs')
        .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('step_id', 'integer', (c) => c.notNull().references('run_steps.id').onDelete('cascade'))
        .addColumn('text', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('step_logs_step_seq').on('step_logs').columns(['step_id', 'seq']).execute();
    },
  },
  {
    name: '0003_schedules',
    async up(db) {
      // Existing runs were not started by a schedule.
      await db.schema.alterTable('runs').addColumn('cron_name', 'text').execute();

      // Like secrets, schedules go with their app.
      await db.schema
        .createTable('schedules')
        .addColumn('app', 'text', (c) => c.notNull().references('apps.name').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('expr', 'text', (c) => c.notNull())
        .addColumn('branch', 'text', (c) => c.notNull())
        .addColumn('next_at', 'text', (c) => c.notNull())
        .addColumn('last_run_id', 'integer', (c) => c.references('runs.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('schedules_pk', ['app', 'name'])
        .execute();
      await db.schema.createIndex('schedules_next_at').on('schedules').column('next_at').execute();
    },
  },
  {
    name: '0004_deploy_targets',
    async up(db) {
      // The environment a promote run deploys to; earlier runs had none.
      await db.schema.alterTable('runs').addColumn('target', 'text').execute();
    },
  },
  {
    name: '0005_forges',
    async up(db) {
      // Runs before this came from Slipway's own remote, uploads and schedules: none from a fork.
      await db.schema.alterTable('runs').addColumn('from_fork', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('runs').addColumn('source_branch', 'text').execute();
      await db.schema
        .createTable('app_repos')
        .addColumn('app', 'text', (c) => c.primaryKey().references('apps.name').onDelete('cascade'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('webhook_secret', 'text', (c) => c.notNull())
        .addColumn('token', 'text')
        .addColumn('forge', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  {
    name: '0006_app_concurrency',
    async up(db) {
      await db.schema.alterTable('apps').addColumn('concurrency', 'integer', (c) => c.notNull().defaultTo(1)).execute();
    },
  },
  {
    // A run resumed after a stop, that was running again at the next stop, is failed instead (run/queue.ts).
    name: '0007_run_resumes',
    async up(db) {
      await db.schema.alterTable('runs').addColumn('resumes', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
  },
  {
    // One app per domain, enforced by the store itself so two concurrent creates cannot both take it (issue 12).
    // A database that already holds a duplicate (possible before through that race) is refused, not repaired:
    // which app keeps a public domain is the operator's choice, and guessing would silently move traffic.
    name: '0008_app_domain_unique',
    async up(db) {
      const dupes = await sql<{ domain: string; names: string }>`
        SELECT domain, group_concat(name, ', ') AS names FROM apps GROUP BY domain HAVING count(*) > 1 ORDER BY domain
      `.execute(db);
      if (dupes.rows.length > 0) {
        const list = dupes.rows.map((r) => `${r.domain} (apps ${r.names})`).join('; ');
        throw new SlipwayError('conflict', `several apps share a domain: ${list}`, {
          field: 'domain',
          hint:
            'give all but one of them another domain, e.g. with the sqlite3 shell: ' +
            `UPDATE apps SET domain = 'other.example.com' WHERE name = '<app>'; then start Slipway again`,
        });
      }
      await db.schema.createIndex('apps_domain_unique').on('apps').column('domain').unique().execute();
    },
  },
  {
    // Old runs' logs are deleted (pruneRunLogs); the flag lets a read say so instead of answering an empty log.
    name: '0009_run_logs_pruned',
    async up(db) {
      await db.schema.alterTable('runs').addColumn('logs_pruned', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
  },
  {
    // Users, roles and scoped tokens (issue 12). Tokens made before roles existed were all-powerful: they become owner
    // tokens on all apps, so nobody is locked out by the upgrade. Events learn who made a change and from where.
    name: '0010_users_roles',
    async up(db) {
      await db.schema.alterTable('tokens').addColumn('kind', 'text', (c) => c.notNull().defaultTo('api')).execute();
      await db.schema.alterTable('tokens').addColumn('grants', 'text', (c) => c.notNull().defaultTo('[{"role":"owner","app":"*"}]')).execute();
      await db.schema.alterTable('tokens').addColumn('user', 'text').execute();
      await db.schema.alterTable('tokens').addColumn('expires_at', 'text').execute();
      await db.schema.alterTable('tokens').addColumn('revoked_at', 'text').execute();
      await db.schema
        .createTable('users')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('password', 'text', (c) => c.notNull())
        .addColumn('totp', 'text')
        .addColumn('grants', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.alterTable('events').addColumn('actor', 'text').execute();
      await db.schema.alterTable('events').addColumn('source', 'text').execute();
      await db.schema.createIndex('events_app').on('events').columns(['app', 'id']).execute();
    },
  },
  {
    // Issue 13: every stack deploy is a numbered release of the whole stack; it goes with its app.
    name: '0011_stack_releases',
    async up(db) {
      await db.schema
        .createTable('stack_releases')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('app', 'text', (c) => c.notNull().references('apps.name').onDelete('cascade'))
        .addColumn('stack', 'text', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('plan', 'text', (c) => c.notNull())
        .addColumn('sources', 'text', (c) => c.notNull())
        .addColumn('run_id', 'integer')
        .addColumn('user_name', 'text')
        .addColumn('rollback_of', 'integer')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('deployed_at', 'text')
        .addUniqueConstraint('stack_releases_app_stack_number', ['app', 'stack', 'number'])
        .execute();
    },
  },
  {
    // An app's runtime config (issue 14): sealed values that go with the app, like secrets; and the config each
    // release ran with, kept with the release (never deleted) so a rollback puts it back.
    name: '0012_app_config',
    async up(db) {
      await db.schema
        .createTable('app_config')
        .addColumn('app', 'text', (c) => c.notNull().references('apps.name').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sealed', 'text', (c) => c.notNull())
        .addColumn('secret', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('app_config_pk', ['app', 'name'])
        .execute();
      await db.schema
        .createTable('release_config')
        .addColumn('release_id', 'integer', (c) => c.primaryKey().references('releases.id'))
        .addColumn('config', 'text', (c) => c.notNull())
        .execute();
    },
  },
];

const provider: MigrationProvider = {
  async getMigrations() {
    const record: Record<string, Migration> = {};
    let previous = '';
    for (const m of MIGRATIONS) {
      if (m.name <= previous) throw new SlipwayError('internal', `migration ${m.name} is out of order after ${previous}`);
      record[m.name] = { up: (db) => m.up(db) };
      previous = m.name;
    }
    return record;
  },
};

/** Applies every migration not yet applied; a no-op on an up-to-date database. */
export async function migrateToLatest<DB>(db: Kysely<DB>, file: string): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error !== undefined) {
    // A migration that refuses on purpose (it says what to do) is passed on as it is.
    if (error instanceof SlipwayError && error.kind !== 'internal') throw error;
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new SlipwayError('internal', `database migration ${failed} failed on ${file}`, {
      field: file,
      hint: 'the database may be from a newer Slipway or damaged; restore a backup or upgrade Slipway',
      cause: error,
    });
  }
}
