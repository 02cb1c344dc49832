// `slipway stacks releases <name> --app A`: the stack's releases, newest first (what rollback can put back).

import type { StackReleasesResponse } from '../../../core/api.js';
import { apiCommand } from '../../define.js';
import { paint, statusColour, table, when } from '../../format.js';
import { APP_OPTION, appFlag, parseStackName, stackPath } from './paths.js';

export const stacksReleasesCommand = apiCommand({
  path: 'stacks releases',
  summary: "list a stack's releases",
  usage: `usage: slipway stacks releases <name> --app <app>\n\nThe stack's releases, newest first: number, status, run, who, created, files; a failed one with\nits error. Put one back with "slipway stacks rollback <name> <number> --app <app>".\n\noptions:\n${APP_OPTION}`,
  args: [{ name: 'name', parse: parseStackName }],
  flags: { app: appFlag },
  async run({ args: { name }, flags, io }, client) {
    const { releases } = await client.get<StackReleasesResponse>(stackPath(flags.app, name, '/releases'));
    const rows = releases.map((r) => [
      `#${r.number}`,
      paint(io, io.stdout, statusColour(r.status), r.status) + (r.rollbackOf === null ? '' : ` (rollback to #${r.rollbackOf})`),
      r.runId === null ? '-' : `#${r.runId}`,
      r.user ?? '-',
      when(r.createdAt),
      r.files.join(', '),
    ]);
    io.stdout.write(table(['RELEASE', 'STATUS', 'RUN', 'BY', 'CREATED', 'FILES'], rows));
    for (const r of releases.filter((x) => x.error !== null)) io.stdout.write(`#${r.number}: ${r.error}\n`);
    return 0;
  },
});
