// `slipway config apply <app>`: rolls the stored config out now (after changes staged with --no-deploy).

import type { ConfigChangeResponse } from '../../../core/api-config.js';
import { appPath } from '../../client.js';
import { apiCommand } from '../../define.js';
import { reportChange } from './outcome.js';

export const configApplyCommand = apiCommand({
  path: 'config apply',
  summary: "roll the app's stored config out now",
  usage: 'usage: slipway config apply <app>\n\nRolls the live image out again with the stored config (after "--no-deploy" changes), health-gated.\n',
  args: [{ name: 'app' }],
  async run({ args: { app }, io }, client) {
    const res = await client.post<ConfigChangeResponse>(appPath(app, '/config/apply'));
    return reportChange(client, app, res, `applying the config of ${app}`, io);
  },
});
