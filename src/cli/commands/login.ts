// `slipway login <url> --token T`: checks the token against the server, then saves both for later commands.

import type { AppSummary } from '../../core/api.js';
import { Secret } from '../../core/secret.js';
import { SlipwayClient } from '../client.js';
import { normalizeUrl, saveCliConfig } from '../config.js';
import { localCommand } from '../define.js';

/** Not an apiCommand: it checks the URL and token it is given, not the ones configured. */
export const loginCommand = localCommand({
  path: 'login',
  summary: 'save the server address and token for later commands',
  usage: `usage: slipway login <url> --token <token>

Checks the token against the server (GET /api/apps), then saves the address and token
to $XDG_CONFIG_HOME/slipway/cli.json (default ~/.config/slipway/cli.json), readable
by you only. SLIPWAY_URL and SLIPWAY_TOKEN, when set, take precedence over the file.

options:
  --token <token>   the API token "slipway up" printed (required)
`,
  args: [{ name: 'url', parse: normalizeUrl }],
  flags: { token: { type: 'string', required: true } },
  async run({ args: { url }, flags, io }) {
    const config = { url, token: new Secret(flags.token) };
    const { apps } = await new SlipwayClient(config).get<{ apps: AppSummary[] }>('/api/apps');
    const path = await saveCliConfig(io, config);
    io.stdout.write(`logged in to ${config.url} (${apps.length} app${apps.length === 1 ? '' : 's'}); saved to ${path}\n`);
    return 0;
  },
});
