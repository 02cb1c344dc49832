// `slipway runs promote <id> <environment> [-f]`: POST /api/runs/:id/promote — the run's commit again as a deploy event.

import type { RunResponse } from '../../../core/api.js';
import { runPath } from '../../client.js';
import { apiCommand } from '../../define.js';
import { runId } from './run-id.js';
import { reportStarted } from './started.js';

export const runsPromoteCommand = apiCommand({
  path: 'runs promote',
  summary: "run a run's commit again as a deploy to a named environment",
  usage: `usage: slipway runs promote <id> <environment> [-f]

Queues a new run of the same commit as run <id>, with event "deploy" (Drone: promote,
Woodpecker: deployment) and <environment> as its target, so steps filtered with
\`when: { event: promote, target: production }\` (or \`environment:\`) run.

options:
  -f, --follow   follow the new run: its log live, then exit 0 once it succeeded, or the code of its failure
`,
  args: [{ name: 'id', parse: runId }, { name: 'environment' }],
  flags: { follow: { type: 'boolean', short: 'f' } },
  async run({ args: { id, environment }, flags, io }, client) {
    const { run } = await client.post<RunResponse>(runPath(id, '/promote'), { environment });
    return reportStarted(client, run, `promotion of run #${id} to ${environment}`, flags.follow, io);
  },
});
