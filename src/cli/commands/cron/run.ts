// `slipway cron run <app> <name> [-f]`: POST /api/apps/:app/schedules/:name/run, the schedule's cron run right now.

import type { RunResponse } from '../../../core/api.js';
import { appPath, connect } from '../../client.js';
import type { Command } from '../../command.js';
import { noMorePositionals, parseFlags, positional } from '../../flags.js';
import { reportStarted } from '../runs/started.js';

const NAME = 'cron run';

export const cronRunCommand: Command = {
  name: 'run',
  summary: 'run a schedule now',
  usage: `usage: slipway cron run <app> <name> [-f]

Queues the schedule's run now, exactly as the schedule would (event cron, DRONE_CRON=<name>).
Its next scheduled time is unchanged.

options:
  -f, --follow   follow the run: its log live, then exit 0 once it succeeded, or the code of its failure
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(NAME, args, { follow: { type: 'boolean', short: 'f' } });
    noMorePositionals(NAME, positionals, 2);
    const app = positional(NAME, positionals, 0, 'app');
    const name = positional(NAME, positionals, 1, 'name');
    const client = await connect(io);
    const { run } = await client.post<RunResponse>(appPath(app, `/schedules/${encodeURIComponent(name)}/run`));
    return reportStarted(client, run, `cron run of schedule ${name}`, values.follow === true, io);
  },
};
