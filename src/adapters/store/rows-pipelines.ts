// Row → domain mapping for the pipeline parts of the SQLite store: run details and run steps.

import { z } from 'zod';
import type { RunEvent } from '../../core/plan.js';
import type { RunDetails, RunStep, StepStatus } from '../../core/ports/store.js';
import type { Selectable } from 'kysely';
import { corrupt, oneOf, parseJsonColumn, type Cell } from './rows.js';
import type { RunsTable, RunStepsTable } from './tables.js';

export const RUN_EVENTS: readonly RunEvent[] = ['push', 'tag', 'pull_request', 'cron', 'manual', 'deploy', 'rollback'];
const STEP_STATUSES: readonly StepStatus[] = ['pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled'];

const paramsSchema = z.record(z.string(), z.string());

/** The columns of a runs row that make up RunDetails. */
export type RunDetailsRow = Pick<Selectable<RunsTable>, 'id' | 'event' | 'params' | 'restart_of' | 'workspace' | 'plan' | 'cancel_requested' | 'cron_name' | 'target' | 'from_fork' | 'source_branch' | 'resumes'>;

export function toRunDetails(row: RunDetailsRow): RunDetails {
  const cell = (column: string): Cell => ({ table: 'runs', id: row.id, column });
  if (row.cancel_requested !== 0 && row.cancel_requested !== 1) {
    throw corrupt(cell('cancel_requested'), `unexpected value ${String(row.cancel_requested)}`);
  }
  if (row.from_fork !== 0 && row.from_fork !== 1) throw corrupt(cell('from_fork'), `unexpected value ${String(row.from_fork)}`);
  return {
    event: oneOf(cell('event'), row.event, RUN_EVENTS),
    params: row.params === null ? {} : parseJsonColumn(cell('params'), row.params, paramsSchema),
    restartOf: row.restart_of,
    workspace: row.workspace,
    plan: row.plan === null ? null : parseJsonColumn(cell('plan'), row.plan),
    cancelRequested: row.cancel_requested === 1,
    cronName: row.cron_name,
    target: row.target,
    fromFork: row.from_fork === 1,
    sourceBranch: row.source_branch,
    resumes: row.resumes,
  };
}

export function toRunStep(row: Selectable<RunStepsTable>): RunStep {
  return {
    runId: row.run_id,
    pipeline: row.pipeline,
    name: row.name,
    position: row.position,
    status: oneOf({ table: 'run_steps', id: row.id, column: 'status' }, row.status, STEP_STATUSES),
    skipReason: row.skip_reason,
    exitCode: row.exit_code,
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
