// `slipway runs cancel <id>`: POST /api/runs/:id/cancel — a queued run is dropped, a running one stopped.

import type { RunResponse } from '../../../core/api.js';
import { connect, runPath } from '../../client.js';
import type { Command } from '../../command.js';
import { noMorePositionals, parseFlags } from '../../flags.js';
import { runIdArg } from './run-id.js';

const NAME = 'runs cancel';

export const runsCancelCommand: Command = {
  name: 'cancel',
  summary: 'cancel a queued or running run',
  usage: `usage: slipway runs cancel <id>

Cancels run <id>: a queued run never starts; a running run has its current step stopped
and ends cancelled. A run that has already finished cannot be cancelled (exit 5).
`,
  async run(args, io) {
    const { positionals } = parseFlags(NAME, args, {});
    noMorePositionals(NAME, positionals, 1);
    const id = runIdArg(NAME, positionals, 0);
    const client = await connect(io);
    const { run } = await client.post<RunResponse>(runPath(id, '/cancel'));
    if (run.status === 'cancelled') {
      io.stdout.write(`cancelled run #${run.id} of ${run.app} before it started\n`);
    } else {
      io.stdout.write(`cancelling run #${run.id} of ${run.app}: its current step is being stopped\n`);
      io.stdout.write(`see where it ended with "slipway runs steps ${run.id}"\n`);
    }
    return 0;
  },
};
