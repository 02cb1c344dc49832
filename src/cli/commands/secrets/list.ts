// `slipway secrets list <app>`: GET /api/apps/:app/secrets, names and when each was set (values never leave the server).

import type { SecretName } from '../../../core/ports/store.js';
import { appPath, connect } from '../../client.js';
import type { Command } from '../../command.js';
import { noMorePositionals, parseFlags, positional } from '../../flags.js';
import { table, when } from '../../format.js';

const NAME = 'secrets list';

/** GET /api/apps/:app/secrets. */
export interface SecretsResponse {
  secrets: SecretName[];
}

export const secretsListCommand: Command = {
  name: 'list',
  summary: "list an app's secret names (never their values)",
  usage: "usage: slipway secrets list <app>\n\nLists the names of the app's secrets and when each was last set. Values are never shown.\n",
  async run(args, io) {
    const { positionals } = parseFlags(NAME, args, {});
    noMorePositionals(NAME, positionals, 1);
    const app = positional(NAME, positionals, 0, 'app');
    const client = await connect(io);
    const { secrets } = await client.get<SecretsResponse>(appPath(app, '/secrets'));
    if (secrets.length === 0) {
      io.stdout.write(`${app} has no secrets; add one with "slipway secrets set ${app} <NAME>"\n`);
      return 0;
    }
    io.stdout.write(table(['SECRET', 'UPDATED'], secrets.map((s) => [s.name, when(s.updatedAt)])));
    return 0;
  },
};
