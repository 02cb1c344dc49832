// `slipway stacks ls --app A`: the app's stacks with their live release and running services.

import type { StacksResponse } from '../../../core/api.js';
import { appPath } from '../../client.js';
import { apiCommand } from '../../define.js';
import { table } from '../../format.js';
import { APP_OPTION, appFlag } from './paths.js';

export const stacksLsCommand = apiCommand({
  path: 'stacks ls',
  summary: "list an app's stacks",
  usage: `usage: slipway stacks ls --app <app>\n\nLists the stacks of the app: live release, number of releases, services running.\n\noptions:\n${APP_OPTION}`,
  args: [],
  flags: { app: appFlag },
  async run({ flags, io }, client) {
    const { stacks } = await client.get<StacksResponse>(appPath(flags.app, '/stacks'));
    if (stacks.length === 0) {
      io.stdout.write(`${flags.app} has no stacks; deploy one with "slipway stacks deploy <name> -c compose.yml --app ${flags.app}"\n`);
      return 0;
    }
    io.stdout.write(table(['STACK', 'LIVE', 'RELEASES', 'SERVICES'], stacks.map((s) => [s.name, s.liveRelease === null ? '-' : `#${s.liveRelease}`, String(s.releases), String(s.services)])));
    return 0;
  },
});
