// `slipway apps set <name> --flag value …`: PATCH /api/apps/<name> with only the settings given.

import type { AppSummary, UpdateAppRequest } from '../../../core/api.js';
import { SlipwayError } from '../../../core/errors.js';
import { connect } from '../../client.js';
import type { Command } from '../../command.js';
import { noMorePositionals, parseFlags, positional } from '../../flags.js';
import { fields } from '../../format.js';
import { APP_SETTING_FLAGS, appSettingsFrom } from './settings-flags.js';

const NAME = 'apps set';

export const appsSetCommand: Command = {
  name: 'set',
  summary: 'change an app\'s domain, port, replicas, deploy branch or run concurrency',
  usage: `usage: slipway apps set <name> [--domain <host>] [--port <n>] [--replicas <n>] [--branch <b>] [--concurrency <n>]

Changes only the settings given. Port and replicas apply from the next deploy; the domain is routed at once.

options:
  --domain <host>    public host name
  --port <n>         port the app listens on inside its container
  --replicas <n>     number of copies to run
  --branch <b>       pushes to this branch deploy
  --concurrency <n>  runs of this app at a time, 1–16; deploys still go one at a time, and an older run never
                     replaces a newer run's release or stack (its deploy step is skipped as superseded)
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(NAME, args, APP_SETTING_FLAGS);
    noMorePositionals(NAME, positionals, 1);
    const name = positional(NAME, positionals, 0, 'name');
    const request: UpdateAppRequest = appSettingsFrom(values);
    if (Object.keys(request).length === 0) {
      throw new SlipwayError('invalid_input', 'apps set needs at least one setting to change', {
        hint: 'e.g. `slipway apps set web --concurrency 2`; see `slipway apps set --help`',
      });
    }
    const client = await connect(io);
    const app = await client.patch<AppSummary>(`/api/apps/${encodeURIComponent(name)}`, request);
    io.stdout.write(`updated app ${app.name}\n\n`);
    io.stdout.write(fields([
      ['url', app.url], ['port', String(app.port)], ['replicas', String(app.replicas)], ['branch', app.branch], ['concurrency', String(app.concurrency)],
    ]));
    return 0;
  },
};
