// `slipway logs <app> [-f] [--build] [--tail N]`: the running app's output, or the latest run's build/deploy log.

import type { RunsResponse } from '../../core/api.js';
import { SlipwayError } from '../../core/errors.js';
import { appPath, connect, runPath, type SlipwayClient } from '../client.js';
import type { CliIO, Command } from '../command.js';
import { noMorePositionals, parseFlags, positional, wholeNumber } from '../flags.js';

const NAME = 'logs';

export const logsCommand: Command = {
  name: 'logs',
  summary: "show an app's output, or its latest build/deploy log",
  usage: `usage: slipway logs <app> [-f] [--tail <n>] [--build]

Shows the stdout/stderr of the app's running containers.

options:
  -f, --follow   keep printing new lines as they come (Ctrl-C to stop)
  --tail <n>     start with the last <n> lines
  --build        show the build/deploy log of the app's latest run instead
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(NAME, args, {
      follow: { type: 'boolean', short: 'f' },
      build: { type: 'boolean' },
      tail: { type: 'string' },
    });
    noMorePositionals(NAME, positionals, 1);
    const app = positional(NAME, positionals, 0, 'app');
    const follow = values.follow === true;
    const client = await connect(io);
    if (values.build === true) {
      if (values.tail !== undefined) {
        throw new SlipwayError('invalid_input', '--tail applies to app logs, not to --build', {
          field: 'tail',
          hint: 'leave out --tail to see the whole build/deploy log',
        });
      }
      return buildLog(client, app, follow, io);
    }
    const query = new URLSearchParams();
    if (follow) query.set('follow', '1');
    if (values.tail !== undefined) query.set('tail', String(wholeNumber(values.tail, 'tail')));
    const suffix = query.size === 0 ? '' : `?${query.toString()}`;
    await client.stream(appPath(app, `/logs${suffix}`), io.stdout);
    return 0;
  },
};

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
