// `slipway stacks lint -c compose.yml --app A`: the server reads the files as a deploy would; nothing changes.

import type { StackLintRequest, StackLintResponse } from '../../../core/api.js';
import { appPath } from '../../client.js';
import { apiCommand } from '../../define.js';
import { table } from '../../format.js';
import { APP_OPTION, appFlag } from './paths.js';
import { readComposeFiles } from './read-files.js';

export const stacksLintCommand = apiCommand({
  path: 'stacks lint',
  summary: 'check compose files as a deploy would, changing nothing',
  usage: `usage: slipway stacks lint -c compose.yml [-c override.yml] --app <app>

Reads the files (and the .env beside the first) the way "stacks deploy" does and prints the
services it would deploy, or every problem with its line and column.

options:
  -c, --compose-file <file>   a compose file (repeat to merge several, in order)
${APP_OPTION}`,
  args: [],
  flags: { 'compose-file': { type: 'string', short: 'c', multiple: true }, app: appFlag },
  async run({ flags, io }, client) {
    const request: StackLintRequest = { files: await readComposeFiles(io.cwd, flags['compose-file']) };
    const { services } = await client.post<StackLintResponse>(appPath(flags.app, '/stacks/lint'), request);
    io.stdout.write(table(['SERVICE', 'IMAGE', 'REPLICAS'], services.map((s) => [s.name, s.image, String(s.replicas)])));
    io.stdout.write('ok\n');
    return 0;
  },
});
