// `slipway cron rm <app> <name>`: DELETE /api/apps/:app/schedules/:name.

import { appPath } from '../../client.js';
import { apiCommand } from '../../define.js';

export const cronRmCommand = apiCommand({
  path: 'cron rm',
  summary: 'remove a schedule',
  usage: 'usage: slipway cron rm <app> <name>\n\nDeletes the schedule. Runs it already queued are not affected.\n',
  args: [{ name: 'app' }, { name: 'name' }],
  async run({ args: { app, name }, io }, client) {
    await client.delete(appPath(app, `/schedules/${encodeURIComponent(name)}`));
    io.stdout.write(`removed schedule ${name} from ${app}\n`);
    return 0;
  },
});
