// `slipway logs <app> [-f] [--build] [--tail N]`: the running app's output, or the latest run's build/deploy log.

import type { RunsResponse } from '../../core/api.js';
import { SlipwayError } from '../../core/errors.js';
import { appPath, runPath, type SlipwayClient } from '../client.js';
import type { CliIO } from '../command.js';
import { apiCommand } from '../define.js';
import { wholeNumber } from '../flags.js';

export const logsCommand = apiCommand({
  path: 'logs',
  summary: "show an app's output, or its latest build/deploy log",
  usage: `usage: slipway logs <app> [-f] [--tail <n>] [--build]

Shows the stdout/stderr of the app's running containers.

options:
  -f, --follow   keep printing new lines as they come (Ctrl-C to stop)
  --tail <n>     start with the last <n> lines
  --build        show the build/deploy log of the app's latest run instead
`,
  args: [{ name: 'app' }],
  flags: {
    follow: { type: 'boolean', short: 'f' },
    build: { type: 'boolean' },
    tail: { type: 'string', parse: (v: string) => wholeNumber(v, 'tail') },
  },
  check({ flags }) {
    if (flags.build && flags.tail !== undefined) {
      throw new SlipwayError('invalid_input', '--tail applies to app logs, not to --build', {
        field: 'tail',
        hint: 'leave out --tail to see the whole build/deploy log',
      });
    }
  },
  async run({ args: { app }, flags: { follow, build, tail }, io }, client) {
    if (build) return buildLog(client, app, follow, io);
    const query = new URLSearchParams();
    if (follow) query.set('follow', '1');
    if (tail !== undefined) query.set('tail', String(tail));
    const suffix = query.size === 0 ? '' : `?${query.toString()}`;
    await client.stream(appPath(app, `/logs${suffix}`), io.stdout);
    return 0;
  },
});

async function buildLog(client: SlipwayClient, app: string, follow: boolean, io: CliIO): Promise<number> {
  const { runs } = await client.get<RunsResponse>(appPath(app, '/runs'));
  const latest = runs[0];
  if (latest === undefined) {
    throw new SlipwayError('not_found', `${app} has no runs yet`, {
      hint: `deploy with "git push slipway" or "slipway deploy --app ${app}"`,
    });
  }
  io.stderr.write(`run #${latest.id} (${latest.source}, ${latest.status})\n`);
  await client.stream(runPath(latest.id, follow ? '/logs?follow=1' : '/logs'), io.stdout);
  return 0;
}
