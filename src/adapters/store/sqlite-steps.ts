// SQLite store, the steps of a run and their logs.

import type { Updateable } from 'kysely';
import { PRUNED_LOG_NOTE, type RunStepPatch, type Store } from '../../core/ports/store.js';
import { checkUniqueSteps, notFound, stepNotFound } from './checks.js';
import { toRunStep } from './rows-pipelines.js';
import { isForeignKeyViolation, type SqliteContext } from './sqlite-context.js';
import { isPruned } from './sqlite-runs.js';
import type { RunStepsTable } from './tables.js';

type Steps = Pick<Store, 'saveRunSteps' | 'updateRunStep' | 'listRunSteps' | 'appendStepLog' | 'readStepLog'>;

export function sqliteSteps({ db }: SqliteContext): Steps {
  async function stepExists(runId: number, pipeline: string, name: string): Promise<boolean> {
    const row = await db
      .selectFrom('run_steps')
      .select('id')
      .where('run_id', '=', runId)
      .where('pipeline', '=', pipeline)
      .where('name', '=', name)
      .executeTakeFirst();
    return row !== undefined;
  }

  return {
    async saveRunSteps(runId, steps) {
      checkUniqueSteps(steps);
      try {
        await db.transaction().execute(async (trx) => {
          // step_logs go with their rows (ON DELETE CASCADE).
          await trx.deleteFrom('run_steps').where('run_id', '=', runId).execute();
          if (steps.length === 0) {
            // No insert to trip the foreign key: check the run by hand, as the fake does.
            const run = await trx.selectFrom('runs').select('id').where('id', '=', runId).executeTakeFirst();
            if (run === undefined) throw notFound(`run ${runId}`, 'runId');
            return;
          }
          await trx
            .insertInto('run_steps')
            .values(
              steps.map((step, position) => ({
                run_id: runId,
                pipeline: step.pipeline,
                name: step.name,
                position,
                status: step.status,
                exit_code: null,
                skip_reason: step.skipReason,
                error: null,
                started_at: null,
                finished_at: null,
              })),
            )
            .execute();
        });
      } catch (err) {
        if (isForeignKeyViolation(err)) throw notFound(`run ${runId}`, 'runId');
        throw err;
      }
    },

    async updateRunStep(runId, pipeline, name, patch) {
      const set = stepChanges(patch);
      const step = { run_id: runId, pipeline, name };
      const row =
        Object.keys(set).length === 0
          ? await db.selectFrom('run_steps').selectAll().where((eb) => eb.and(step)).executeTakeFirst()
          : await db.updateTable('run_steps').set(set).where((eb) => eb.and(step)).returningAll().executeTakeFirst();
      if (row === undefined) throw stepNotFound(runId, pipeline, name);
      return toRunStep(row);
    },

    async listRunSteps(runId) {
      const rows = await db.selectFrom('run_steps').selectAll().where('run_id', '=', runId).orderBy('position').execute();
      return rows.map(toRunStep);
    },

    async appendStepLog(runId, pipeline, step, text) {
      // INSERT … SELECT: finding the step and appending are one statement, so a step replaced meanwhile cannot
      // receive a chunk meant for its predecessor.
      const result = await db
        .insertInto('step_logs')
        .columns(['step_id', 'text'])
        .expression((eb) =>
          eb
            .selectFrom('run_steps')
            .select((e) => ['id', e.val(text).as('text')])
            .where('run_id', '=', runId)
            .where('pipeline', '=', pipeline)
            .where('name', '=', step),
        )
        .executeTakeFirst();
      if (result.numInsertedOrUpdatedRows === 0n) throw stepNotFound(runId, pipeline, step);
    },

    async readStepLog(runId, pipeline, step) {
      const rows = await db
        .selectFrom('step_logs')
        .innerJoin('run_steps', 'run_steps.id', 'step_logs.step_id')
        .select('step_logs.text')
        .where('run_steps.run_id', '=', runId)
        .where('run_steps.pipeline', '=', pipeline)
        .where('run_steps.name', '=', step)
        .orderBy('step_logs.seq')
        .execute();
      if (rows.length === 0 && (await isPruned(db, runId)) && (await stepExists(runId, pipeline, step))) return PRUNED_LOG_NOTE;
      return rows.map((r) => r.text).join('');
    },
  };
}

/** Only the fields the patch names; `null` clears, `undefined` leaves it. */
function stepChanges(patch: RunStepPatch): Updateable<RunStepsTable> {
  return {
    ...(patch.status !== undefined && { status: patch.status }),
    ...(patch.exitCode !== undefined && { exit_code: patch.exitCode }),
    ...(patch.skipReason !== undefined && { skip_reason: patch.skipReason }),
    ...(patch.error !== undefined && { error: patch.error }),
    ...(patch.startedAt !== undefined && { started_at: patch.startedAt }),
    ...(patch.finishedAt !== undefined && { finished_at: patch.finishedAt }),
  };
}
