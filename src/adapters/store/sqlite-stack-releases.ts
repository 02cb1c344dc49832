// SQLite store, stack releases (issue 13): per-(app, stack) numbering, the deployed plan and compose texts as JSON.

import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import { STACK_RELEASE_STATUSES, type StackRelease, type StackReleaseStore } from '../../core/ports/stack-releases.js';
import { notFound, toJsonText } from './checks.js';
import { oneOf, parseJsonColumn } from './rows.js';
import { isForeignKeyViolation, type SqliteContext } from './sqlite-context.js';

/** Migration 0011; declared here rather than in tables.ts so this part of the store stays in one file. */
export interface StackReleasesTable {
  id: number;
  app: string;
  stack: string;
  number: number;
  plan: string;
  sources: string;
  run_id: number | null;
  user_name: string | null;
  rollback_of: number | null;
  status: string;
  error: string | null;
  created_at: string;
  deployed_at: string | null;
}

const sourcesSchema = z.array(z.object({ path: z.string(), text: z.string() }));

export function sqliteStackReleases(ctx: SqliteContext): StackReleaseStore {
  const db = ctx.db.withTables<{ stack_releases: StackReleasesTable }>();
  const { now } = ctx;
  return {
    async createStackRelease(r) {
      const plan = toJsonText(r.plan, 'plan');
      const sources = toJsonText(r.sources.map((s) => ({ path: s.path, text: s.text })), 'sources');
      // INSERT … SELECT max+1 in one statement, as releases do: SQLite holds the write lock from before the read.
      const insert = db
        .insertInto('stack_releases')
        .columns(['app', 'stack', 'number', 'plan', 'sources', 'run_id', 'user_name', 'rollback_of', 'status', 'created_at'])
        .expression((eb) =>
          eb
            .selectFrom('stack_releases')
            .where('app', '=', r.app)
            .where('stack', '=', r.stack)
            .select((e) => [
              e.val(r.app).as('app'),
              e.val(r.stack).as('stack'),
              sql<number>`coalesce(max(${e.ref('number')}), 0) + 1`.as('number'),
              e.val(plan).as('plan'),
              e.val(sources).as('sources'),
              e.val(r.runId).as('run_id'),
              e.val(r.user).as('user_name'),
              e.val(r.rollbackOf).as('rollback_of'),
              e.val('deploying').as('status'),
              e.val(now()).as('created_at'),
            ]),
        )
        .returningAll();
      try {
        return toStackRelease(await insert.executeTakeFirstOrThrow());
      } catch (err) {
        if (isForeignKeyViolation(err)) throw notFound(`app ${JSON.stringify(r.app)}`, 'app');
        throw err;
      }
    },

    async listStackReleases(app, stack) {
      const rows = await db.selectFrom('stack_releases').selectAll().where('app', '=', app).where('stack', '=', stack).orderBy('number', 'desc').execute();
      return rows.map(toStackRelease);
    },

    async getStackRelease(app, stack, number) {
      const row = await db.selectFrom('stack_releases').selectAll().where('app', '=', app).where('stack', '=', stack).where('number', '=', number).executeTakeFirst();
      return row === undefined ? null : toStackRelease(row);
    },

    async setStackReleaseStatus(id, status, error = null) {
      const row = await db
        .updateTable('stack_releases')
        .set((eb) => ({ status, error, deployed_at: status === 'live' ? now() : eb.ref('deployed_at') }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw notFound(`stack release ${id}`, 'id');
      return toStackRelease(row);
    },

    async listStackNames(app) {
      const rows = await db.selectFrom('stack_releases').select('stack').distinct().where('app', '=', app).orderBy('stack').execute();
      return rows.map((r) => r.stack);
    },

    async deleteStackReleases(app, stack) {
      const result = await db.deleteFrom('stack_releases').where('app', '=', app).where('stack', '=', stack).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

function toStackRelease(row: Selectable<StackReleasesTable>): StackRelease {
  const cell = (column: string) => ({ table: 'stack_releases', id: row.id, column });
  return {
    id: row.id,
    app: row.app,
    stack: row.stack,
    number: row.number,
    plan: parseJsonColumn(cell('plan'), row.plan),
    sources: parseJsonColumn(cell('sources'), row.sources, sourcesSchema),
    runId: row.run_id,
    user: row.user_name,
    rollbackOf: row.rollback_of,
    status: oneOf(cell('status'), row.status, STACK_RELEASE_STATUSES),
    error: row.error,
    createdAt: row.created_at,
    deployedAt: row.deployed_at,
  };
}
