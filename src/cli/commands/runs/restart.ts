// `slipway runs restart <id> [-f]`: POST /api/runs/:id/restart — a failed pipeline run again from its failed step.

import type { RunResponse } from '../../../core/api.js';
import { runPath } from '../../client.js';
import { apiCommand } from '../../define.js';
import { runId } from './run-id.js';
import { reportStarted } from './started.js';

export const runsRestartCommand = apiCommand({
  path: 'runs restart',
  summary: 'restart a failed pipeline run from its failed step',
  usage: `usage: slipway runs restart <id> [-f]

Queues a new run of the same commit that reuses the workspace of failed run <id>:
the steps that succeeded are skipped, the pipeline goes on from the step that failed.
Only a failed pipeline run whose workspace was kept can be restarted (else exit 5).

options:
  -f, --follow   follow the new run like "slipway deploy": its log live, then exit 0 once it
                 succeeded, or the code of its failure (6 build failed, 9 cancelled, …)
`,
  args: [{ name: 'id', parse: runId }],
  flags: { follow: { type: 'boolean', short: 'f' } },
  async run({ args: { id }, flags, io }, client) {
    const { run } = await client.post<RunResponse>(runPath(id, '/restart'));
    return reportStarted(client, run, `restart of run #${id} from its failed step`, flags.follow, io);
  },
});
