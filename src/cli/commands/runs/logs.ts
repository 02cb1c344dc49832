// `slipway runs logs <id> [-f]`: GET /api/runs/:id/logs, the run's build/pipeline/deploy log; -f streams it to the end.

import { runPath } from '../../client.js';
import { apiCommand } from '../../define.js';
import { runId } from './run-id.js';

export const runsLogsCommand = apiCommand({
  path: 'runs logs',
  summary: "show a run's log; -f streams it until the run ends",
  usage: `usage: slipway runs logs <id> [-f]

Prints the log of run <id> (its build, pipeline steps and deploy, as far as they got).

options:
  -f, --follow   keep printing as the log is written, until the run ends (Ctrl-C stops
                 following, not the run)
`,
  args: [{ name: 'id', parse: runId }],
  flags: { follow: { type: 'boolean', short: 'f' } },
  async run({ args: { id }, flags, io }, client) {
    await client.stream(runPath(id, flags.follow ? '/logs?follow=1' : '/logs'), io.stdout);
    return 0;
  },
});
