// `slipway runs step-log <id> <pipeline> <step> [-f]`: GET /api/runs/:id/steps/:pipeline/:step/logs, one step's log;
// -f follows it live until the step ends.

import { runPath } from '../../client.js';
import type { CliOutput } from '../../command.js';
import { apiCommand } from '../../define.js';
import { runId } from './run-id.js';

export const runsStepLogCommand = apiCommand({
  path: 'runs step-log',
  summary: "show one pipeline step's log; -f follows it live",
  usage: `usage: slipway runs step-log <id> <pipeline> <step> [-f]

Prints the output of one step of run <id>. "slipway runs steps <id>" lists the
pipelines and steps.

options:
  -f, --follow   keep printing the step's output as it comes, until the step ends
                 (or the run ends without running it)
`,
  args: [{ name: 'id', parse: runId }, { name: 'pipeline' }, { name: 'step' }],
  flags: { follow: { type: 'boolean', short: 'f' } },
  async run({ args: { id, pipeline, step }, flags, io }, client) {
    const out = new Counting(io.stdout);
    const path = `/steps/${encodeURIComponent(pipeline)}/${encodeURIComponent(step)}/logs${flags.follow ? '?follow=1' : ''}`;
    await client.stream(runPath(id, path), out);
    if (out.written === 0) {
      io.stderr.write(`step ${step} of pipeline ${pipeline} in run #${id} has no log (see the steps with "slipway runs steps ${id}")\n`);
    }
    return 0;
  },
});

/** Passes writes through and counts the characters, so an empty log can be told apart from a quiet one. */
class Counting implements CliOutput {
  written = 0;
  constructor(private readonly out: CliOutput) {}
  get isTTY(): boolean | undefined {
    return this.out.isTTY;
  }
  write(text: string): unknown {
    this.written += text.length;
    return this.out.write(text);
  }
}
