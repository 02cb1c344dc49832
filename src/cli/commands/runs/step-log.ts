// `slipway runs step-log <id> <pipeline> <step> [-f]`: GET /api/runs/:id/steps/:pipeline/:step/logs, one step's log;
// -f follows it live until the step ends.

import { connect, runPath } from '../../client.js';
import type { CliOutput, Command } from '../../command.js';
import { noMorePositionals, parseFlags, positional } from '../../flags.js';
import { runIdArg } from './run-id.js';

const NAME = 'runs step-log';

export const runsStepLogCommand: Command = {
  name: 'step-log',
  summary: "show one pipeline step's log; -f follows it live",
  usage: `usage: slipway runs step-log <id> <pipeline> <step> [-f]

Prints the output of one step of run <id>. "slipway runs steps <id>" lists the
pipelines and steps.

options:
  -f, --follow   keep printing the step's output as it comes, until the step ends
                 (or the run ends without running it)
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(NAME, args, { follow: { type: 'boolean', short: 'f' } });
    noMorePositionals(NAME, positionals, 3);
    const id = runIdArg(NAME, positionals, 0);
    const pipeline = positional(NAME, positionals, 1, 'pipeline');
    const step = positional(NAME, positionals, 2, 'step');
    const client = await connect(io);
    const out = new Counting(io.stdout);
    const path = `/steps/${encodeURIComponent(pipeline)}/${encodeURIComponent(step)}/logs${values.follow === true ? '?follow=1' : ''}`;
    await client.stream(runPath(id, path), out);
    if (out.written === 0) {
      io.stderr.write(`step ${step} of pipeline ${pipeline} in run #${id} has no log (see the steps with "slipway runs steps ${id}")\n`);
    }
    return 0;
  },
};

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
