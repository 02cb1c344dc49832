// `slipway runs steps <id>`: GET /api/runs/:id/steps as a table, and why a queued run has not started.

import type { RunStep } from '../../../core/ports/store.js';
import { runPath } from '../../client.js';
import { apiCommand } from '../../define.js';
import { paint, statusColour, table } from '../../format.js';
import { runId } from './run-id.js';

/** GET /api/runs/:id/steps. */
export interface StepsResponse {
  steps: RunStep[];
  /** Why a queued run has not started; null once it runs. */
  waitingFor: string | null;
}

export const runsStepsCommand = apiCommand({
  path: 'runs steps',
  summary: "show a pipeline run's steps: status, exit code, duration",
  usage: `usage: slipway runs steps <id>

Lists the steps of run <id> in pipeline order: status, exit code, duration, and why a step
was skipped or failed. For a queued run, says what it is waiting for.
See one step's output with "slipway runs step-log <id> <pipeline> <step>".
`,
  args: [{ name: 'id', parse: runId }],
  async run({ args: { id }, io }, client) {
    const { steps, waitingFor } = await client.get<StepsResponse>(runPath(id, '/steps'));
    if (steps.length === 0) {
      io.stdout.write(
        waitingFor === null
          ? `run #${id} has no pipeline steps; see its log with "slipway runs logs ${id}"\n`
          : `run #${id} has no steps yet\n`,
      );
    } else {
      const rows = steps.map((s) => [
        s.pipeline,
        s.name,
        paint(io, io.stdout, statusColour(s.status), s.status),
        s.exitCode === null ? '-' : String(s.exitCode),
        duration(s),
        s.error ?? s.skipReason ?? '',
      ]);
      io.stdout.write(table(['PIPELINE', 'STEP', 'STATUS', 'EXIT', 'DURATION', 'NOTE'], rows));
      const failed = steps.find((s) => s.status === 'failed');
      if (failed !== undefined) {
        io.stdout.write(`\nsee the failed step's log with "slipway runs step-log ${id} ${failed.pipeline} ${failed.name}"\n`);
      }
    }
    if (waitingFor !== null) io.stdout.write(`${paint(io, io.stdout, 'yellow', 'queued')}: ${waitingFor}\n`);
    return 0;
  },
});

/** How long a finished step took: `<1s`, `42s`, `3m07s`, `1h05m`; `-` until it has finished. */
export function duration(step: Pick<RunStep, 'startedAt' | 'finishedAt'>): string {
  if (step.startedAt === null || step.finishedAt === null) return '-';
  const ms = Date.parse(step.finishedAt) - Date.parse(step.startedAt);
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return '<1s';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
