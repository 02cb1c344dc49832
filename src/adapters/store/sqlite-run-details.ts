// SQLite store, what a run carries for pipelines besides the Run record: event, parameters, restart, plan, cancel.

import type { Updateable } from 'kysely';
import type { RunDetailsPatch, Store } from '../../core/ports/store.js';
import { notFound, toJsonText } from './checks.js';
import { toRunDetails } from './rows-pipelines.js';
import type { SqliteContext } from './sqlite-context.js';
import type { RunsTable } from './tables.js';

type RunDetailsPart = Pick<Store, 'getRunDetails' | 'updateRunDetails'>;

const COLUMNS = ['id', 'event', 'params', 'restart_of', 'workspace', 'plan', 'cancel_requested', 'cron_name', 'target', 'from_fork', 'source_branch', 'resumes'] as const;

export function sqliteRunDetails({ db }: SqliteContext): RunDetailsPart {
  return {
    async getRunDetails(id) {
      const row = await db.selectFrom('runs').select(COLUMNS).where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : toRunDetails(row);
    },

    async updateRunDetails(id, patch) {
      const set = detailChanges(patch);
      const query =
        Object.keys(set).length === 0
          ? db.selectFrom('runs').select(COLUMNS).where('id', '=', id)
          : db.updateTable('runs').set(set).where('id', '=', id).returning(COLUMNS);
      const row = await query.executeTakeFirst();
      if (row === undefined) throw notFound(`run ${id}`, 'runId');
      return toRunDetails(row);
    },
  };
}

function detailChanges(patch: RunDetailsPatch): Updateable<RunsTable> {
  return {
    ...(patch.workspace !== undefined && { workspace: patch.workspace }),
    ...(patch.plan !== undefined && { plan: patch.plan === null ? null : toJsonText(patch.plan, 'plan') }),
    ...(patch.cancelRequested !== undefined && { cancel_requested: patch.cancelRequested ? 1 : 0 }),
    ...(patch.resumes !== undefined && { resumes: patch.resumes }),
  };
}
