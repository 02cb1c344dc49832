// `slipway apps delete <name>`: DELETE /api/apps/:app (the service and route go; the history stays).

import { appPath } from '../../client.js';
import { apiCommand } from '../../define.js';

export const appsDeleteCommand = apiCommand({
  path: 'apps delete',
  summary: 'stop an app and remove its route (history is kept)',
  usage: 'usage: slipway apps delete <name>\n\nStops the app\'s service and removes its route. Runs and releases are kept.\n',
  args: [{ name: 'name' }],
  async run({ args: { name }, io }, client) {
    await client.delete(appPath(name));
    io.stdout.write(`deleted app ${name}: service stopped and route removed; its runs and releases are kept\n`);
    return 0;
  },
});
