// `slipway stacks rm <name> --app A`: removes the stack's services, its network and its releases.

import { apiCommand } from '../../define.js';
import { APP_OPTION, appFlag, parseStackName, stackPath } from './paths.js';

export const stacksRmCommand = apiCommand({
  path: 'stacks rm',
  summary: 'remove a stack (services, network, releases)',
  usage: `usage: slipway stacks rm <name> --app <app>\n\nRemoves the stack's services and its network, and forgets its releases. Waits for a deploy of\nthe app in progress. Named volumes are kept.\n\noptions:\n${APP_OPTION}`,
  args: [{ name: 'name', parse: parseStackName }],
  flags: { app: appFlag },
  async run({ args: { name }, flags, io }, client) {
    await client.delete(stackPath(flags.app, name));
    io.stdout.write(`removed stack ${name} of ${flags.app}\n`);
    return 0;
  },
});
