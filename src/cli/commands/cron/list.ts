// `slipway cron list <app>`: GET /api/apps/:app/schedules, each schedule with its branch, next time and last run.

import type { SchedulesResponse } from '../../../core/api.js';
import { appPath, connect } from '../../client.js';
import type { Command } from '../../command.js';
import { noMorePositionals, parseFlags, positional } from '../../flags.js';
import { table, when } from '../../format.js';

const NAME = 'cron list';

export const cronListCommand: Command = {
  name: 'list',
  summary: "list an app's schedules",
  usage: "usage: slipway cron list <app>\n\nLists the app's schedules: expression, branch, next run (UTC) and the last run each queued.\n",
  async run(args, io) {
    const { positionals } = parseFlags(NAME, args, {});
    noMorePositionals(NAME, positionals, 1);
    const app = positional(NAME, positionals, 0, 'app');
    const client = await connect(io);
    const { schedules } = await client.get<SchedulesResponse>(appPath(app, '/schedules'));
    if (schedules.length === 0) {
      io.stdout.write(`${app} has no schedules; add one with "slipway cron add ${app} nightly \\"0 3 * * *\\""\n`);
      return 0;
    }
    const rows = schedules.map((s) => [s.name, s.expr, s.branch, when(s.nextAt), s.lastRunId === null ? '-' : `#${s.lastRunId}`]);
    io.stdout.write(table(['NAME', 'SCHEDULE', 'BRANCH', 'NEXT', 'LAST RUN'], rows));
    return 0;
  },
};
