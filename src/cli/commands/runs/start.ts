// `slipway runs start <app> [--branch B] [--param K=V …] [-f]`: POST /api/apps/:app/runs, a manual run of a branch head.

import type { RunResponse } from '../../../core/api.js';
import { SlipwayError } from '../../../core/errors.js';
import { isEnvName, parseBranch } from '../../../core/names.js';
import { appPath } from '../../client.js';
import { apiCommand } from '../../define.js';
import { reportStarted } from './started.js';

/** The body of POST /api/apps/:app/runs. */
export interface ManualRunRequest {
  branch?: string;
  params?: Record<string, string>;
}

export const runsStartCommand = apiCommand({
  path: 'runs start',
  summary: 'start a run of the head of a branch by hand',
  usage: `usage: slipway runs start <app> [--branch <b>] [--param <NAME=value>]… [-f]

Queues a run of the latest pushed commit of a branch with the "manual" event
(CI_PIPELINE_EVENT=manual). Parameters reach every step as environment variables.

options:
  --branch <b>            the branch to run (default: the app's deploy branch)
  --param <NAME=value>    a parameter for the pipelines; repeat for more
  -f, --follow            follow the run like "slipway deploy": its log live, then exit 0 once
                          it succeeded, or the code of its failure
`,
  args: [{ name: 'app' }],
  flags: {
    branch: { type: 'string', parse: parseBranch },
    param: { type: 'string', multiple: true, parse: parseParams },
    follow: { type: 'boolean', short: 'f' },
  },
  async run({ args: { app }, flags, io }, client) {
    const request: ManualRunRequest = {
      ...(flags.branch === undefined ? {} : { branch: flags.branch }),
      ...(flags.param === undefined ? {} : { params: flags.param }),
    };
    const { run } = await client.post<RunResponse>(appPath(app, '/runs'), request);
    const branch = run.ref?.replace(/^refs\/heads\//, '') ?? flags.branch ?? 'the deploy branch';
    return reportStarted(client, run, `manual run of ${branch}`, flags.follow, io);
  },
});

/** `NAME=value` pairs (the value may contain "=" or be empty) as a record; a name given twice is an error. */
export function parseParams(pairs: readonly string[]): Record<string, string> {
  const params = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (eq < 0 || !isEnvName(name)) {
      throw new SlipwayError('invalid_input', `invalid --param ${JSON.stringify(pair)}`, {
        field: 'param',
        hint: 'give NAME=value; NAME is letters, digits and _, not starting with a digit (e.g. --param TARGET=staging)',
      });
    }
    if (params.has(name)) {
      throw new SlipwayError('invalid_input', `--param ${name} is given twice`, { field: 'param', hint: 'give each parameter once' });
    }
    params.set(name, pair.slice(eq + 1));
  }
  // fromEntries defines own keys, so even a parameter named __proto__ stays a parameter.
  return Object.fromEntries(params);
}
