// `slipway apps create <name> --domain D`: POST /api/apps, then how to push to it.

import type { AppSummary, CreateAppRequest } from '../../../core/api.js';
import { apiCommand } from '../../define.js';
import { fields } from '../../format.js';
import { APP_SETTING_FLAGS, appSettingsFrom } from './settings-flags.js';

export const appsCreateCommand = apiCommand({
  path: 'apps create',
  summary: 'create an app and print its git remote',
  usage: `usage: slipway apps create <name> --domain <host> [--port <n>] [--replicas <n>] [--branch <b>] [--concurrency <n>]

Creates an app served at https://<host>.

options:
  --domain <host>   public host name, e.g. hello.example.com (required)
  --port <n>        port the app listens on inside its container (default 3000)
  --replicas <n>    number of copies to run (default 1)
  --branch <b>      pushes to this branch deploy (default main)
  --concurrency <n> runs of this app at a time (default 1); deploys still go one by one, newest wins
`,
  args: [{ name: 'name' }],
  flags: { ...APP_SETTING_FLAGS, domain: { type: 'string', required: true } },
  async run({ args, flags, io }, client) {
    const request: CreateAppRequest = { name: args.name, domain: flags.domain, ...appSettingsFrom(flags) };
    const app = await client.post<AppSummary>('/api/apps', request);
    io.stdout.write(`created app ${app.name}\n\n`);
    io.stdout.write(fields([['url', app.url], ['port', String(app.port)], ['replicas', String(app.replicas)], ['branch', app.branch]]));
    io.stdout.write(`\nto deploy with git, add the remote and push ${app.branch}:\n`);
    io.stdout.write(`  git remote add slipway ${app.gitUrl}\n  git push slipway ${app.branch}\n`);
    io.stdout.write(`or upload this directory: slipway deploy --app ${app.name}\n`);
    return 0;
  },
});
