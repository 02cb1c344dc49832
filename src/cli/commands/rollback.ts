// `slipway rollback <app> [release]`: puts an earlier release back and follows the run like deploy.

import type { RollbackRequest, RunResponse } from '../../core/api.js';
import { appPath } from '../client.js';
import { apiCommand } from '../define.js';
import { wholeNumber } from '../flags.js';
import { followRun } from '../follow-run.js';

export const rollbackCommand = apiCommand({
  path: 'rollback',
  summary: 'put an earlier release back live',
  usage: `usage: slipway rollback <app> [release]

Redeploys exactly the image and settings of an earlier release (default: the one before
the live release), health-gated like a deploy, and follows it live.
See the release numbers with "slipway releases <app>".
`,
  args: [{ name: 'app' }, { name: 'release', optional: true, parse: (v) => wholeNumber(v.replace(/^#/, ''), 'release') }],
  async run({ args: { app, release }, io }, client) {
    const request: RollbackRequest = release === undefined ? {} : { release };
    const { run } = await client.post<RunResponse>(appPath(app, '/rollback'), request);
    return followRun(client, run, io);
  },
});
