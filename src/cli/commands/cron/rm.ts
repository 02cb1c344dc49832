// `slipway cron rm <app> <name>`: DELETE /api/apps/:app/schedules/:name.

import { appPath, connect } from '../../client.js';
import type { Command } from '../../command.js';
import { noMorePositionals, parseFlags, positional } from '../../flags.js';

const NAME = 'cron rm';

export const cronRmCommand: Command = {
  name: 'rm',
  summary: 'remove a schedule',
  usage: 'usage: slipway cron rm <app> <name>\n\nDeletes the schedule. Runs it already queued are not affected.\n',
  async run(args, io) {
    const { positionals } = parseFlags(NAME, args, {});
    noMorePositionals(NAME, positionals, 2);
    const app = positional(NAME, positionals, 0, 'app');
    const name = positional(NAME, positionals, 1, 'name');
    const client = await connect(io);
    await client.delete(appPath(app, `/schedules/${encodeURIComponent(name)}`));
    io.stdout.write(`removed schedule ${name} from ${app}\n`);
    return 0;
  },
};
