// `slipway stacks diff <name> A B --app A`: what changed between two releases, service by service.

import type { StackDiffResponse } from '../../../core/api.js';
import { apiCommand } from '../../define.js';
import { wholeNumber } from '../../flags.js';
import { APP_OPTION, appFlag, parseStackName, stackPath } from './paths.js';

const release = (field: string) => (v: string) => wholeNumber(v.replace(/^#/, ''), field);
const MARK = { added: '+', removed: '-', changed: '~', unchanged: '=' } as const;

export const stacksDiffCommand = apiCommand({
  path: 'stacks diff',
  summary: 'show what changed between two releases of a stack',
  usage: `usage: slipway stacks diff <name> <from> <to> --app <app>\n\nPer service: added (+), removed (-), changed (~: image, replicas, env keys, …) or unchanged (=).\nEnvironment values are never shown, only which keys changed.\n\noptions:\n${APP_OPTION}`,
  args: [{ name: 'name', parse: parseStackName }, { name: 'from', parse: release('from') }, { name: 'to', parse: release('to') }],
  flags: { app: appFlag },
  async run({ args: { name, from, to }, flags, io }, client) {
    const diff = await client.get<StackDiffResponse>(stackPath(flags.app, name, `/diff?from=${from}&to=${to}`));
    io.stdout.write(`stack ${name}: release #${diff.from} → #${diff.to}\n`);
    for (const s of diff.services) {
      io.stdout.write(`${MARK[s.change]} ${s.service}${s.change === 'unchanged' ? ' (unchanged)' : ''}\n`);
      for (const d of s.details) io.stdout.write(`    ${d}\n`);
    }
    return 0;
  },
});
