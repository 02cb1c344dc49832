// `slipway runs promote <id> <environment> [-f]`: POST /api/runs/:id/promote — the run's commit again as a deploy event.

import type { RunResponse } from '../../../core/api.js';
import { connect, runPath } from '../../client.js';
import type { Command } from '../../command.js';
import { noMorePositionals, parseFlags, positional } from '../../flags.js';
import { runIdArg } from './run-id.js';
import { reportStarted } from './started.js';

const NAME = 'runs promote';

export const runsPromoteCommand: Command = {
  name: 'promote',
  summary: "run a run's commit again as a deploy to a named environment",
  usage: `usage: slipway runs promote <id> <environment> [-f]

Queues a new run of the same commit as run <id>, with event "deploy" (Drone: promote,
Woodpecker: deployment) and <environment> as its target, so steps filtered with
\`when: { event: promote, target: production }\` (or \`environment:\`) run.

options:
  -f, --follow   follow the new run: its log live, then exit 0 once it succeeded, or the code of its failure
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(NAME, args, { follow: { type: 'boolean', short: 'f' } });
    noMorePositionals(NAME, positionals, 2);
    const id = runIdArg(NAME, positionals, 0);
    const environment = positional(NAME, positionals, 1, 'environment');
    const client = await connect(io);
    const { run } = await client.post<RunResponse>(runPath(id, '/promote'), { environment });
    return reportStarted(client, run, `promotion of run #${id} to ${environment}`, values.follow === true, io);
  },
};
