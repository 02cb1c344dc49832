// `slipway cron run <app> <name> [-f]`: POST /api/apps/:app/schedules/:name/run, the schedule's cron run right now.

import type { RunResponse } from '../../../core/api.js';
import { appPath } from '../../client.js';
import { apiCommand } from '../../define.js';
import { reportStarted } from '../runs/started.js';

export const cronRunCommand = apiCommand({
  path: 'cron run',
  summary: 'run a schedule now',
  usage: `usage: slipway cron run <app> <name> [-f]

Queues the schedule's run now, exactly as the schedule would (event cron, DRONE_CRON=<name>).
Its next scheduled time is unchanged.

options:
  -f, --follow   follow the run: its log live, then exit 0 once it succeeded, or the code of its failure
`,
  args: [{ name: 'app' }, { name: 'name' }],
  flags: { follow: { type: 'boolean', short: 'f' } },
  async run({ args: { app, name }, flags, io }, client) {
    const { run } = await client.post<RunResponse>(appPath(app, `/schedules/${encodeURIComponent(name)}/run`));
    return reportStarted(client, run, `cron run of schedule ${name}`, flags.follow, io);
  },
});
