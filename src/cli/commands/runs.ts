// `slipway runs …`: the run commands (list, logs, steps, step-log, cancel, restart, promote, start); `slipway runs <app>` lists.

import type { Command } from '../command.js';
import { dispatch } from '../dispatch.js';
import { runsCancelCommand } from './runs/cancel.js';
import { runsListCommand } from './runs/list.js';
import { runsLogsCommand } from './runs/logs.js';
import { runsRestartCommand } from './runs/restart.js';
import { runsPromoteCommand } from './runs/promote.js';
import { runsStartCommand } from './runs/start.js';
import { runsStepLogCommand } from './runs/step-log.js';
import { runsStepsCommand } from './runs/steps.js';

const subcommands: readonly Command[] = [
  runsListCommand,
  runsLogsCommand,
  runsStepsCommand,
  runsStepLogCommand,
  runsCancelCommand,
  runsRestartCommand,
  runsPromoteCommand,
  runsStartCommand,
];

const USAGE = `usage: slipway runs <app>
       slipway runs <command> [options]

"slipway runs <app>" lists the app's runs: it is short for "slipway runs list <app>"
(use the long form for an app named like a command, e.g. "slipway runs list logs").

commands:
${synopses(subcommands)}
<id> is a run number as the list shows it: 12 or #12.
-f, --follow: logs streams the log until the run ends; restart and start follow the new run
like "slipway deploy" and exit 0 once it succeeded, or with the code of its failure.

Run "slipway runs help <command>" for a command's options.
`;

/**
 * Not a plain group (no `subcommands`): the dispatcher would reject `slipway runs hello` as an unknown
 * command, so this routes itself — a subcommand name or `help` goes to the group, anything else lists.
 * `slipway runs <command> --help` therefore prints this usage, which names every command's arguments.
 */
export const runsCommand: Command = {
  name: 'runs',
  summary: "list an app's runs; a run's log and steps; cancel, restart or start runs",
  usage: USAGE,
  run(args, io) {
    const [first] = args;
    if (first === undefined || first === 'help' || subcommands.some((c) => c.name === first)) {
      return dispatch('slipway runs', subcommands, args, io, USAGE);
    }
    return runsListCommand.run(args, io);
  },
};

/** One line per subcommand: the arguments from its usage line, then its summary (on a line of its own when long). */
function synopses(commands: readonly Command[]): string {
  const entries = commands.map((c) => ({
    synopsis: (c.usage.split('\n')[0] ?? c.name).replace(/^usage: slipway runs /, ''),
    summary: c.summary,
  }));
  const width = Math.max(...entries.map((e) => e.synopsis.length).filter((n) => n <= 36));
  return entries
    .map(({ synopsis, summary }) =>
      synopsis.length <= width ? `  ${synopsis.padEnd(width)}  ${summary}\n` : `  ${synopsis}\n  ${' '.repeat(width)}  ${summary}\n`,
    )
    .join('');
}
