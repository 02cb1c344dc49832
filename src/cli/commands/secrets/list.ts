// `slipway secrets list <app>`: GET /api/apps/:app/secrets, names and when each was set (values never leave the server).

import type { SecretName } from '../../../core/ports/store.js';
import { appPath } from '../../client.js';
import { apiCommand } from '../../define.js';
import { table, when } from '../../format.js';

/** GET /api/apps/:app/secrets. */
export interface SecretsResponse {
  secrets: SecretName[];
}

export const secretsListCommand = apiCommand({
  path: 'secrets list',
  summary: "list an app's secret names (never their values)",
  usage: "usage: slipway secrets list <app>\n\nLists the names of the app's secrets and when each was last set. Values are never shown.\n",
  args: [{ name: 'app' }],
  async run({ args: { app }, io }, client) {
    const { secrets } = await client.get<SecretsResponse>(appPath(app, '/secrets'));
    if (secrets.length === 0) {
      io.stdout.write(`${app} has no secrets; add one with "slipway secrets set ${app} <NAME>"\n`);
      return 0;
    }
    io.stdout.write(table(['SECRET', 'UPDATED'], secrets.map((s) => [s.name, when(s.updatedAt)])));
    return 0;
  },
});
