// `slipway runs cancel <id>`: POST /api/runs/:id/cancel — a queued run is dropped, a running one stopped.

import type { RunResponse } from '../../../core/api.js';
import { runPath } from '../../client.js';
import { apiCommand } from '../../define.js';
import { runId } from './run-id.js';

export const runsCancelCommand = apiCommand({
  path: 'runs cancel',
  summary: 'cancel a queued or running run',
  usage: `usage: slipway runs cancel <id>

Cancels run <id>: a queued run never starts; a running run has its current step stopped
and ends cancelled. A run that has already finished cannot be cancelled (exit 5).
`,
  args: [{ name: 'id', parse: runId }],
  async run({ args: { id }, io }, client) {
    const { run } = await client.post<RunResponse>(runPath(id, '/cancel'));
    if (run.status === 'cancelled') {
      io.stdout.write(`cancelled run #${run.id} of ${run.app} before it started\n`);
    } else {
      io.stdout.write(`cancelling run #${run.id} of ${run.app}: its current step is being stopped\n`);
      io.stdout.write(`see where it ended with "slipway runs steps ${run.id}"\n`);
    }
    return 0;
  },
});
