// `slipway cron add <app> <name> "<expr>" [--branch B]`: PUT /api/apps/:app/schedules, creating or replacing a schedule.

import type { ScheduleRequest, ScheduleResponse } from '../../../core/api.js';
import { parseBranch, parseScheduleName } from '../../../core/names.js';
import { appPath } from '../../client.js';
import { apiCommand } from '../../define.js';
import { when } from '../../format.js';

export const cronAddCommand = apiCommand({
  path: 'cron add',
  summary: 'add (or replace) a schedule',
  usage: `usage: slipway cron add <app> <name> "<expr>" [--branch <b>]

Runs the app's pipeline on the latest pushed commit of a branch whenever the cron expression
matches (in UTC), with the "cron" event: steps see DRONE_CRON / CI_PIPELINE_CRON=<name>, and
"when: { event: cron, cron: [<name>] }" picks the steps of this schedule. Adding a name that
exists replaces its expression and branch. Runs missed while Slipway was down run once.

<expr> is five fields, "minute hour day-of-month month day-of-week", each "*", a number,
a list (1,15), a range (1-5), a step (*/15, 0-30/10), or a name (jan-dec, sun-sat);
or one of @hourly, @daily, @weekly, @monthly, @yearly. Quote it for the shell:

  slipway cron add hello nightly "0 3 * * *"
  slipway cron add hello weekdays "*/30 9-17 * * mon-fri" --branch develop

options:
  --branch <b>   the branch to run (default: the app's deploy branch)
`,
  args: [{ name: 'app' }, { name: 'name', parse: parseScheduleName }, { name: 'expr' }],
  flags: { branch: { type: 'string', parse: parseBranch } },
  async run({ args: { app, name, expr }, flags, io }, client) {
    const request: ScheduleRequest = { name, expr, ...(flags.branch === undefined ? {} : { branch: flags.branch }) };
    const { schedule } = await client.json<ScheduleResponse>('PUT', appPath(app, '/schedules'), request);
    io.stdout.write(`schedule ${schedule.name} of ${app}: "${schedule.expr}" on ${schedule.branch}, next run ${when(schedule.nextAt)}\n`);
    return 0;
  },
});
