// `slipway stacks rollback <name> [N] --app A`: deploys release N's stored plan again as a new release; follows it.

import type { RunResponse, StackRollbackRequest } from '../../../core/api.js';
import { apiCommand } from '../../define.js';
import { wholeNumber } from '../../flags.js';
import { followStackRun } from './follow.js';
import { APP_OPTION, appFlag, parseStackName, stackPath } from './paths.js';

export const stacksRollbackCommand = apiCommand({
  path: 'stacks rollback',
  summary: 'put an earlier release of a stack back',
  usage: `usage: slipway stacks rollback <name> [release] --app <app>\n\nDeploys exactly what an earlier release deployed (default: the one before the live release;\nany depth), health-gated like a deploy, as a new release; queued behind the app's other runs\nand followed live. A release that failed never ran and cannot be put back.\n\noptions:\n${APP_OPTION}`,
  args: [{ name: 'name', parse: parseStackName }, { name: 'release', optional: true, parse: (v) => wholeNumber(v.replace(/^#/, ''), 'release') }],
  flags: { app: appFlag },
  async run({ args: { name, release }, flags, io }, client) {
    const request: StackRollbackRequest = release === undefined ? {} : { release };
    const { run } = await client.post<RunResponse>(stackPath(flags.app, name, '/rollback'), request);
    return followStackRun(client, run, name, io);
  },
});
