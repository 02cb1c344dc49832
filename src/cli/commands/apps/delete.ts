// `slipway apps delete <name>`: DELETE /api/apps/:app (the service and route go; the history stays).

import { appPath, connect } from '../../client.js';
import type { Command } from '../../command.js';
import { noMorePositionals, parseFlags, positional } from '../../flags.js';

const NAME = 'apps delete';

export const appsDeleteCommand: Command = {
  name: 'delete',
  summary: 'stop an app and remove its route (history is kept)',
  usage: 'usage: slipway apps delete <name>\n\nStops the app\'s service and removes its route. Runs and releases are kept.\n',
  async run(args, io) {
    const { positionals } = parseFlags(NAME, args, {});
    noMorePositionals(NAME, positionals, 1);
    const name = positional(NAME, positionals, 0, 'name');
    const client = await connect(io);
    await client.delete(appPath(name));
    io.stdout.write(`deleted app ${name}: service stopped and route removed; its runs and releases are kept\n`);
    return 0;
  },
};
