// `slipway login <url> --token T | --user U`: checks a token, or signs in with a password (and TOTP code) for a
// session, then saves the server and the token for later commands.

import type { Me, SignInRequest, SignInResponse } from '../../core/api-access.js';
import { describeGrants } from '../../core/access.js';
import { SlipwayError } from '../../core/errors.js';
import { Secret } from '../../core/secret.js';
import { SlipwayClient } from '../client.js';
import type { Command } from '../command.js';
import { normalizeUrl, saveCliConfig } from '../config.js';
import { localCommand } from '../define.js';
import { readPassword, readStdinSecret, type ReadSecret } from './users/secret-input.js';

export function loginCommandWith(read: ReadSecret): Command {
  return localCommand({
    path: 'login',
    summary: 'save the server address and a token (or sign in as a user) for later commands',
    usage: `usage: slipway login <url> --token <token>
       slipway login <url> --user <name> [--totp <code>]

Checks the token against the server (GET /api/me), or signs in with the user's password (asked
for, hidden, or read from stdin) and the TOTP code if the user has one, which gives a session
for 30 days. Saves the address and token to $XDG_CONFIG_HOME/slipway/cli.json (default
~/.config/slipway/cli.json), readable by you only. SLIPWAY_URL and SLIPWAY_TOKEN, when set,
take precedence over the file.

options:
  --token <token>   an API token ("slipway up" printed the first; "slipway tokens create" makes more)
  --user <name>     sign in as this user instead
  --totp <code>     the 6-digit code of the user's authenticator app
`,
    args: [{ name: 'url', parse: normalizeUrl }],
    flags: { token: { type: 'string' }, user: { type: 'string' }, totp: { type: 'string' } },
    check: ({ flags }) => {
      if ((flags.token === undefined) === (flags.user === undefined)) {
        throw new SlipwayError('invalid_input', 'give either --token or --user', { field: 'token', hint: 'slipway login <url> --token <token>, or --user <name>' });
      }
    },
    async run({ args: { url }, flags, io }) {
      let token = flags.token;
      if (flags.user !== undefined) {
        const request: SignInRequest = { name: flags.user, password: await readPassword(read, `password for ${flags.user}`, io), client: 'cli', ...(flags.totp !== undefined && { totp: flags.totp }) };
        token = (await new SlipwayClient({ url, token: new Secret('') }).post<SignInResponse>('/api/session', request)).token;
      }
      const config = { url, token: new Secret(token ?? '') };
      const { me } = await new SlipwayClient(config).get<{ me: Me }>('/api/me');
      const path = await saveCliConfig(io, config);
      io.stdout.write(`logged in to ${config.url} as ${me.name} (${describeGrants(me.grants)}); saved to ${path}\n`);
      return 0;
    },
  });
}

export const loginCommand: Command = loginCommandWith(readStdinSecret);
