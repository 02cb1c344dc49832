// `slipway apps set <name> --flag value …`: PATCH /api/apps/<name> with only the settings given.

import type { AppSummary, UpdateAppRequest } from '../../../core/api.js';
import { SlipwayError } from '../../../core/errors.js';
import { apiCommand } from '../../define.js';
import { fields } from '../../format.js';
import { APP_SETTING_FLAGS, appSettingsFrom } from './settings-flags.js';

export const appsSetCommand = apiCommand({
  path: 'apps set',
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
  args: [{ name: 'name' }],
  flags: APP_SETTING_FLAGS,
  check({ flags }) {
    if (Object.keys(appSettingsFrom(flags)).length === 0) {
      throw new SlipwayError('invalid_input', 'apps set needs at least one setting to change', {
        hint: 'e.g. `slipway apps set web --concurrency 2`; see `slipway apps set --help`',
      });
    }
  },
  async run({ args: { name }, flags, io }, client) {
    const request: UpdateAppRequest = appSettingsFrom(flags);
    const app = await client.patch<AppSummary>(`/api/apps/${encodeURIComponent(name)}`, request);
    io.stdout.write(`updated app ${app.name}\n\n`);
    io.stdout.write(fields([
      ['url', app.url], ['port', String(app.port)], ['replicas', String(app.replicas)], ['branch', app.branch], ['concurrency', String(app.concurrency)],
    ]));
    return 0;
  },
});
