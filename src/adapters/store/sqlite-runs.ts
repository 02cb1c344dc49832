// SQLite store, runs and their logs, including the queue's claim.

import { sql, type Kysely, type Updateable } from 'kysely';
import { PRUNED_LOG_NOTE, type NewRun, type RunPatch, type Store } from '../../core/ports/store.js';
import type { Run } from '../../core/types.js';
import { checkLimit, defaultEvent, notFound, queueFull, toJsonText } from './checks.js';
import { toRun } from './rows.js';
import { isForeignKeyViolation, type SqliteContext } from './sqlite-context.js';
import type { Database, RunsTable } from './tables.js';

type Runs = Pick<
  Store,
  'createRun' | 'getRun' | 'listRuns' | 'updateRun' | 'runsWithStatus' | 'claimNextRuns' | 'cancelQueuedRun' | 'appendRunLog' | 'readRunLog' | 'pruneRunLogs'
>;

export function sqliteRuns({ db, now }: SqliteContext): Runs {
  async function insertRun(ex: Kysely<Database>, run: NewRun): Promise<Run> {
    const insert = ex
      .insertInto('runs')
      .values({
        app: run.app,
        source: run.source,
        ref: run.ref,
        commit_sha: run.commit,
        status: 'queued',
        phase: 'queued',
        target_release: run.targetRelease ?? null,
        release_id: null,
        error: null,
        created_at: now(),
        started_at: null,
        finished_at: null,
        event: run.event ?? defaultEvent(run.source),
        params: run.params === undefined ? null : toJsonText(run.params, 'params'),
        restart_of: run.restartOf ?? null,
        workspace: null,
        plan: null,
        cancel_requested: 0,
        cron_name: run.cronName ?? null,
        target: run.target ?? null,
        from_fork: run.fromFork === true ? 1 : 0,
        source_branch: run.sourceBranch ?? null,
        resumes: 0,
        logs_pruned: 0,
      })
      .returningAll();
    try {
      return toRun(await insert.executeTakeFirstOrThrow());
    } catch (err) {
      // restart_of is the only reference a new run can break (release_id starts NULL).
      if (isForeignKeyViolation(err)) throw notFound(`run ${String(run.restartOf)}`, 'restartOf');
      throw err;
    }
  }

  return {
    async createRun(run, cap) {
      if (cap === undefined) return insertRun(db, run);
      // One transaction holds Kysely's only connection: no other write can queue a run between count and insert.
      return db.transaction().execute(async (trx) => {
        const counts = await trx
          .selectFrom('runs')
          .select((eb) => [
            eb.fn.countAll<number>().as('all'),
            eb.fn.sum<number>(eb.case().when('app', '=', run.app).then(1).else(0).end()).as('app'),
          ])
          .where('status', '=', 'queued')
          .executeTakeFirstOrThrow();
        const refused = queueFull(run.app, cap, Number(counts.app ?? 0), Number(counts.all));
        if (refused !== null) throw refused;
        return insertRun(trx, run);
      });
    },

    async getRun(id) {
      const row = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : toRun(row);
    },

    async listRuns(app, limit) {
      const rows = await db.selectFrom('runs').selectAll().where('app', '=', app).orderBy('id', 'desc').limit(checkLimit(limit)).execute();
      return rows.map(toRun);
    },

    async updateRun(id, patch) {
      const set = runChanges(patch);
      const query =
        Object.keys(set).length === 0
          ? db.selectFrom('runs').selectAll().where('id', '=', id)
          : db.updateTable('runs').set(set).where('id', '=', id).returningAll();
      let row;
      try {
        row = await query.executeTakeFirst();
      } catch (err) {
        if (isForeignKeyViolation(err)) throw notFound(`release id ${String(patch.releaseId)}`, 'releaseId');
        throw err;
      }
      if (row === undefined) throw notFound(`run ${id}`, 'runId');
      return toRun(row);
    },

    async runsWithStatus(status) {
      const rows = await db.selectFrom('runs').selectAll().where('status', '=', status).orderBy('id', 'asc').execute();
      return rows.map(toRun);
    },

    async claimNextRuns(startedAt, limit) {
      if (limit !== undefined && limit <= 0) return [];
      // One UPDATE statement: SQLite takes the write lock before it reads, so the choice of runs and the
      // marking are one atomic step even against another process using the same file.
      // Each queued run's rank among its app's queued runs (1 = next) plus the app's running runs must stay within the
      // app's concurrency. Ranks first, then ids: every app's next run takes a free slot before any app's second.
      const rows = await db
        .updateTable('runs')
        .set({ status: 'running', started_at: startedAt })
        .where('id', 'in', (eb) =>
          eb
            .selectFrom((inner) =>
              inner
                .selectFrom('runs as q')
                .leftJoin('apps', 'apps.name', 'q.app')
                .select((e) => [
                  'q.id as id',
                  sql<number>`row_number() over (partition by q.app order by q.id)`.as('rank'),
                  e.fn.coalesce('apps.concurrency', sql<number>`1`).as('cap'),
                  e.selectFrom('runs as r').select((c) => c.fn.countAll<number>().as('n')).whereRef('r.app', '=', 'q.app').where('r.status', '=', 'running').as('busy'),
                ])
                .where('q.status', '=', 'queued')
                .as('ranked'),
            )
            .select('ranked.id')
            .where((e) => e(e('ranked.rank', '+', e.ref('ranked.busy')), '<=', e.ref('ranked.cap')))
            .orderBy('ranked.rank')
            .orderBy('ranked.id')
            // -1 is SQLite's "no limit".
            .limit(limit ?? -1),
        )
        .returningAll()
        .execute();
      return rows.map(toRun).sort((a, b) => a.id - b.id);
    },

    async cancelQueuedRun(id, error, finishedAt) {
      const row = await db
        .updateTable('runs')
        .set({ status: 'cancelled', phase: 'done', error: toJsonText(error, 'error'), finished_at: finishedAt })
        .where('id', '=', id)
        .where('status', '=', 'queued')
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? null : toRun(row);
    },

    async appendRunLog(runId, text) {
      try {
        await db.insertInto('run_logs').values({ run_id: runId, text }).execute();
      } catch (err) {
        if (isForeignKeyViolation(err)) throw notFound(`run ${runId}`, 'runId');
        throw err;
      }
    },

    async readRunLog(runId) {
      if (await isPruned(db, runId)) return PRUNED_LOG_NOTE;
      const rows = await db.selectFrom('run_logs').select('text').where('run_id', '=', runId).orderBy('seq').execute();
      return rows.map((r) => r.text).join('');
    },

    async pruneRunLogs(app, keep, finishedBefore) {
      checkLimit(keep);
      return db.transaction().execute(async (trx) => {
        const newest = trx.selectFrom('runs').select('id').where('app', '=', app).orderBy('id', 'desc').limit(keep);
        const rows = await trx
          .selectFrom('runs')
          .select('id')
          .where('app', '=', app)
          .where('logs_pruned', '=', 0)
          .where('finished_at', 'is not', null)
          .where((eb) =>
            finishedBefore === undefined
              ? eb('id', 'not in', newest)
              : eb.or([eb('id', 'not in', newest), eb('finished_at', '<', finishedBefore)]),
          )
          .execute();
        const ids = rows.map((r) => r.id);
        if (ids.length === 0) return 0;
        await trx.deleteFrom('run_logs').where('run_id', 'in', ids).execute();
        await trx
          .deleteFrom('step_logs')
          .where('step_id', 'in', trx.selectFrom('run_steps').select('id').where('run_id', 'in', ids))
          .execute();
        await trx.updateTable('runs').set({ logs_pruned: 1 }).where('id', 'in', ids).execute();
        return ids.length;
      });
    },
  };
}

/** Whether pruneRunLogs deleted the run's logs. */
export async function isPruned(db: Kysely<Database>, runId: number): Promise<boolean> {
  const row = await db.selectFrom('runs').select('logs_pruned').where('id', '=', runId).executeTakeFirst();
  return row?.logs_pruned === 1;
}

/** Only the fields the patch names; `null` is a value (clears), `undefined` means "leave it". */
function runChanges(patch: RunPatch): Updateable<RunsTable> {
  return {
    ...(patch.status !== undefined && { status: patch.status }),
    ...(patch.phase !== undefined && { phase: patch.phase }),
    ...(patch.releaseId !== undefined && { release_id: patch.releaseId }),
    ...(patch.error !== undefined && { error: patch.error === null ? null : toJsonText(patch.error, 'error') }),
    ...(patch.startedAt !== undefined && { started_at: patch.startedAt }),
    ...(patch.finishedAt !== undefined && { finished_at: patch.finishedAt }),
  };
}
