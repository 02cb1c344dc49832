// `slipway cron list <app>`: GET /api/apps/:app/schedules, each schedule with its branch, next time and last run.

import type { SchedulesResponse } from '../../../core/api.js';
import { appPath } from '../../client.js';
import { apiCommand } from '../../define.js';
import { table, when } from '../../format.js';

export const cronListCommand = apiCommand({
  path: 'cron list',
  summary: "list an app's schedules",
  usage: "usage: slipway cron list <app>\n\nLists the app's schedules: expression, branch, next run (UTC) and the last run each queued.\n",
  args: [{ name: 'app' }],
  async run({ args: { app }, io }, client) {
    const { schedules } = await client.get<SchedulesResponse>(appPath(app, '/schedules'));
    if (schedules.length === 0) {
      io.stdout.write(`${app} has no schedules; add one with "slipway cron add ${app} nightly \\"0 3 * * *\\""\n`);
      return 0;
    }
    const rows = schedules.map((s) => [s.name, s.expr, s.branch, when(s.nextAt), s.lastRunId === null ? '-' : `#${s.lastRunId}`]);
    io.stdout.write(table(['NAME', 'SCHEDULE', 'BRANCH', 'NEXT', 'LAST RUN'], rows));
    return 0;
  },
});
