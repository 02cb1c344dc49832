// SQLite store, an app's cron schedules: upsert, list, delete, the due ones, and recording a firing.

import type { Selectable } from 'kysely';
import type { Schedule, Store } from '../../core/ports/store.js';
import { checkScheduleName, notFound, scheduleNotFound } from './checks.js';
import { isForeignKeyViolation, type SqliteContext } from './sqlite-context.js';
import type { SchedulesTable } from './tables.js';

type Schedules = Pick<Store, 'upsertSchedule' | 'listSchedules' | 'deleteSchedule' | 'dueSchedules' | 'markScheduleFired'>;

export function sqliteSchedules({ db, now }: SqliteContext): Schedules {
  return {
    async upsertSchedule(s) {
      checkScheduleName(s.name);
      try {
        const row = await db
          .insertInto('schedules')
          .values({ app: s.app, name: s.name, expr: s.expr, branch: s.branch, next_at: s.nextAt, last_run_id: null, created_at: now() })
          .onConflict((oc) => oc.columns(['app', 'name']).doUpdateSet({ expr: s.expr, branch: s.branch, next_at: s.nextAt }))
          .returningAll()
          .executeTakeFirstOrThrow();
        return toSchedule(row);
      } catch (err) {
        if (isForeignKeyViolation(err)) throw notFound(`app ${JSON.stringify(s.app)}`, 'app');
        throw err;
      }
    },

    async listSchedules(app) {
      const rows = await db.selectFrom('schedules').selectAll().where('app', '=', app).orderBy('name').execute();
      return rows.map(toSchedule);
    },

    async deleteSchedule(app, name) {
      const result = await db.deleteFrom('schedules').where('app', '=', app).where('name', '=', name).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw scheduleNotFound(app, name);
    },

    async dueSchedules(at) {
      const rows = await db.selectFrom('schedules').selectAll().where('next_at', '<=', at).orderBy('next_at').orderBy('app').orderBy('name').execute();
      return rows.map(toSchedule);
    },

    async markScheduleFired(app, name, runId, nextAt) {
      let row;
      try {
        row = await db
          .updateTable('schedules')
          .set({ next_at: nextAt, ...(runId !== null && { last_run_id: runId }) })
          .where('app', '=', app)
          .where('name', '=', name)
          .returningAll()
          .executeTakeFirst();
      } catch (err) {
        if (isForeignKeyViolation(err)) throw notFound(`run ${String(runId)}`, 'runId');
        throw err;
      }
      if (row === undefined) throw scheduleNotFound(app, name);
      return toSchedule(row);
    },
  };
}

function toSchedule(row: Selectable<SchedulesTable>): Schedule {
  return {
    app: row.app,
    name: row.name,
    expr: row.expr,
    branch: row.branch,
    nextAt: row.next_at,
    lastRunId: row.last_run_id,
    createdAt: row.created_at,
  };
}
