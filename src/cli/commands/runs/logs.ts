// `slipway runs logs <id> [-f]`: GET /api/runs/:id/logs, the run's build/pipeline/deploy log; -f streams it to the end.

import { connect, runPath } from '../../client.js';
import type { Command } from '../../command.js';
import { noMorePositionals, parseFlags } from '../../flags.js';
import { runIdArg } from './run-id.js';

const NAME = 'runs logs';

export const runsLogsCommand: Command = {
  name: 'logs',
  summary: "show a run's log; -f streams it until the run ends",
  usage: `usage: slipway runs logs <id> [-f]

Prints the log of run <id> (its build, pipeline steps and deploy, as far as they got).

options:
  -f, --follow   keep printing as the log is written, until the run ends (Ctrl-C stops
                 following, not the run)
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(NAME, args, { follow: { type: 'boolean', short: 'f' } });
    noMorePositionals(NAME, positionals, 1);
    const id = runIdArg(NAME, positionals, 0);
    const client = await connect(io);
    await client.stream(runPath(id, values.follow === true ? '/logs?follow=1' : '/logs'), io.stdout);
    return 0;
  },
};
