// `slipway rollback <app> [release]`: puts an earlier release back and follows the run like deploy.

import type { RollbackRequest, RunResponse } from '../../core/api.js';
import { appPath, connect } from '../client.js';
import type { Command } from '../command.js';
import { noMorePositionals, parseFlags, positional, wholeNumber } from '../flags.js';
import { followRun } from '../follow-run.js';

const NAME = 'rollback';

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'put an earlier release back live',
  usage: `usage: slipway rollback <app> [release]

Redeploys exactly the image and settings of an earlier release (default: the one before
the live release), health-gated like a deploy, and follows it live.
See the release numbers with "slipway releases <app>".
`,
  async run(args, io) {
    const { positionals } = parseFlags(NAME, args, {});
    noMorePositionals(NAME, positionals, 2);
    const app = positional(NAME, positionals, 0, 'app');
    const target = positionals[1];
    const request: RollbackRequest = target === undefined ? {} : { release: wholeNumber(target.replace(/^#/, ''), 'release') };
    const client = await connect(io);
    const { run } = await client.post<RunResponse>(appPath(app, '/rollback'), request);
    return followRun(client, run, io);
  },
};
