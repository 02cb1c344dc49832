// `slipway stacks deploy <name> -c compose.yml [-c override.yml] --app A`: sends the files' texts, follows the run.

import type { RunResponse, StackDeployRequest } from '../../../core/api.js';
import { apiCommand } from '../../define.js';
import { followStackRun } from './follow.js';
import { APP_OPTION, appFlag, parseStackName, stackPath } from './paths.js';
import { readComposeFiles } from './read-files.js';

export const stacksDeployCommand = apiCommand({
  path: 'stacks deploy',
  summary: 'deploy a compose stack as a new release',
  usage: `usage: slipway stacks deploy <name> -c compose.yml [-c override.yml] --app <app>

Deploys the compose file(s) as the stack <name> of the app, like "docker stack deploy
--prune", health-gated: a service that does not become healthy puts the stack back. The
files are checked first (nothing changes when one is invalid); the deploy is then queued
behind the app's other runs and followed live. The .env beside the first file, if any,
gives the variables of \${VAR} in the files. Every deploy is a numbered release.

options:
  -c, --compose-file <file>   a compose file (repeat to merge several, in order)
  --redeploy-on <app>         deploy the stack again whenever <app> releases, with its new image in
                              the services that run its image (only those roll); repeatable
${APP_OPTION}`,
  args: [{ name: 'name', parse: parseStackName }],
  flags: { 'compose-file': { type: 'string', short: 'c', multiple: true }, 'redeploy-on': { type: 'string', multiple: true }, app: appFlag },
  async run({ args: { name }, flags, io }, client) {
    const redeployOn = flags['redeploy-on'] ?? [];
    const request: StackDeployRequest = { files: await readComposeFiles(io.cwd, flags['compose-file']), ...(redeployOn.length > 0 ? { redeployOn } : {}) };
    const { run } = await client.post<RunResponse>(stackPath(flags.app, name, '/deploy'), request);
    return followStackRun(client, run, name, io);
  },
});
