// `slipway login <url> --token T`: checks the token against the server, then saves both for later commands.

import type { AppSummary } from '../../core/api.js';
import { Secret } from '../../core/secret.js';
import { SlipwayClient } from '../client.js';
import type { Command } from '../command.js';
import { normalizeUrl, saveCliConfig } from '../config.js';
import { noMorePositionals, parseFlags, positional, requiredFlag } from '../flags.js';

const NAME = 'login';

export const loginCommand: Command = {
  name: 'login',
  summary: 'save the server address and token for later commands',
  usage: `usage: slipway login <url> --token <token>

Checks the token against the server (GET /api/apps), then saves the address and token
to $XDG_CONFIG_HOME/slipway/cli.json (default ~/.config/slipway/cli.json), readable
by you only. SLIPWAY_URL and SLIPWAY_TOKEN, when set, take precedence over the file.

options:
  --token <token>   the API token "slipway up" printed (required)
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(NAME, args, { token: { type: 'string' } });
    noMorePositionals(NAME, positionals, 1);
    const config = {
      url: normalizeUrl(positional(NAME, positionals, 0, 'url')),
      token: new Secret(requiredFlag(NAME, values.token, 'token')),
    };
    const { apps } = await new SlipwayClient(config).get<{ apps: AppSummary[] }>('/api/apps');
    const path = await saveCliConfig(io, config);
    io.stdout.write(`logged in to ${config.url} (${apps.length} app${apps.length === 1 ? '' : 's'}); saved to ${path}\n`);
    return 0;
  },
};
