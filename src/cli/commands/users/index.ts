// `slipway users …`: add, ls, rm, passwd, grant, totp (owner only on the server).

import type { AddUserRequest, TotpResponse, UserView } from '../../../core/api-access.js';
import type { Command } from '../../command.js';
import { apiCommand } from '../../define.js';
import { commandGroup } from '../../dispatch.js';
import { table, when } from '../../format.js';
import { describeGrants, GRANT_FLAGS, GRANT_USAGE, grantsFrom } from './grants.js';
import { readPassword, readStdinSecret, type ReadSecret } from './secret-input.js';

const userPath = (name: string, rest = '') => `/api/users/${encodeURIComponent(name)}${rest}`;

export function usersCommandWith(read: ReadSecret): Command {
  const add = apiCommand({
    path: 'users add',
    summary: 'add a user with a role on all apps or on some',
    usage: `usage: slipway users add <name> [--role <role>] [--app <app>…]

Adds a user who signs in to the dashboard (or \`slipway login --user\`). The password is asked for
(hidden) or read from stdin; at least 10 characters.

options:
${GRANT_USAGE}`,
    args: [{ name: 'name' }],
    flags: GRANT_FLAGS,
    async run({ args: { name }, flags, io }, client) {
      const request: AddUserRequest = { name, password: await readPassword(read, `password for ${name}`, io), grants: grantsFrom(flags.role, flags.app) };
      const { user } = await client.post<{ user: UserView }>('/api/users', request);
      io.stdout.write(`added user ${user.name}: ${describeGrants(user.grants)}\n`);
      return 0;
    },
  });
  const ls = apiCommand({
    path: 'users ls',
    summary: 'list users and their roles',
    usage: 'usage: slipway users ls\n',
    args: [],
    async run({ io }, client) {
      const { users } = await client.get<{ users: UserView[] }>('/api/users');
      if (users.length === 0) io.stdout.write('no users; add one with "slipway users add <name> --role owner"\n');
      else io.stdout.write(table(['USER', 'ROLES', 'TOTP', 'CREATED'], users.map((u) => [u.name, describeGrants(u.grants), u.totp ? 'on' : 'off', when(u.createdAt)])));
      return 0;
    },
  });
  const rm = apiCommand({
    path: 'users rm',
    summary: 'remove a user (their sessions end now)',
    usage: 'usage: slipway users rm <name>\n',
    args: [{ name: 'name' }],
    async run({ args: { name }, io }, client) {
      await client.delete(userPath(name));
      io.stdout.write(`removed user ${name}; their sessions are revoked\n`);
      return 0;
    },
  });
  const passwd = apiCommand({
    path: 'users passwd',
    summary: "set a user's password",
    usage: 'usage: slipway users passwd <name>\n\nThe new password is asked for (hidden) or read from stdin.\n',
    args: [{ name: 'name' }],
    async run({ args: { name }, io }, client) {
      await client.put(userPath(name, '/password'), { password: await readPassword(read, `new password for ${name}`, io) });
      io.stdout.write(`set the password of ${name}\n`);
      return 0;
    },
  });
  const grant = apiCommand({
    path: 'users grant',
    summary: "replace a user's roles",
    usage: `usage: slipway users grant <name> [--role <role>] [--app <app>…]\n\nReplaces the user's grants; open sessions follow at once.\n\noptions:\n${GRANT_USAGE}`,
    args: [{ name: 'name' }],
    flags: GRANT_FLAGS,
    async run({ args: { name }, flags, io }, client) {
      const { user } = await client.patch<{ user: UserView }>(userPath(name), { grants: grantsFrom(flags.role, flags.app) });
      io.stdout.write(`${user.name}: ${describeGrants(user.grants)}\n`);
      return 0;
    },
  });
  const totp = apiCommand({
    path: 'users totp',
    summary: 'turn on two-factor codes (TOTP) for a user, or --off',
    usage: `usage: slipway users totp <name> [--off]

Gives the user a new TOTP secret and prints its otpauth:// URI once: add it to an authenticator app.
From then on, signing in needs the 6-digit code too. --off removes it.
`,
    args: [{ name: 'name' }],
    flags: { off: { type: 'boolean' } },
    async run({ args: { name }, flags, io }, client) {
      if (flags.off) {
        await client.delete(userPath(name, '/totp'));
        io.stdout.write(`TOTP is off for ${name}\n`);
        return 0;
      }
      const { uri, secret } = await client.post<TotpResponse>(userPath(name, '/totp'));
      io.stdout.write(`TOTP is on for ${name}. Add this to an authenticator app now; it is not shown again:\n\n  ${uri}\n\n  (secret: ${secret})\n`);
      return 0;
    },
  });
  return commandGroup('users', 'users who sign in: add, ls, rm, passwd, grant, totp', [add, ls, rm, passwd, grant, totp]);
}

export const usersCommand: Command = usersCommandWith(readStdinSecret);
