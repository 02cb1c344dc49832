// `slipway tokens …`: create (scoped, expiring, shown once), ls, revoke, rotate (owner only on the server).

import type { CreateTokenRequest, NewTokenResponse, TokenView } from '../../../core/api-access.js';
import { SlipwayError } from '../../../core/errors.js';
import type { Command } from '../../command.js';
import { apiCommand } from '../../define.js';
import { commandGroup } from '../../dispatch.js';
import { table, when } from '../../format.js';
import { describeGrants, GRANT_FLAGS, GRANT_USAGE, grantsFrom } from '../users/grants.js';

const parseExpires = (value: string): string => {
  if (!/^[1-9][0-9]{0,4}[mhd]$/.test(value)) throw new SlipwayError('invalid_input', `invalid --expires ${JSON.stringify(value)}`, { field: 'expires', hint: 'e.g. 90m, 12h, 30d' });
  return value;
};

const tokenId = (value: string): number => {
  if (!/^[0-9]{1,15}$/.test(value)) throw new SlipwayError('invalid_input', `invalid token id ${JSON.stringify(value)}`, { field: 'id', hint: 'the ID `slipway tokens ls` shows' });
  return Number(value);
};

function state(t: TokenView, now: number): string {
  if (t.revokedAt !== null) return `revoked ${when(t.revokedAt)}`;
  if (t.expiresAt !== null && Date.parse(t.expiresAt) <= now) return 'expired';
  return t.expiresAt === null ? 'active' : `until ${when(t.expiresAt)}`;
}

function printNew(io: { stdout: { write(s: string): unknown } }, created: NewTokenResponse, verb: string): void {
  io.stdout.write(`${verb} token ${created.record.name} (id ${created.record.id}): ${describeGrants(created.record.grants)}\n` +
    `${created.token}\n(shown once: Slipway keeps only its hash)\n`);
}

const create = apiCommand({
  path: 'tokens create',
  summary: 'create an API token with a role on all apps or some, optionally expiring',
  usage: `usage: slipway tokens create <name> [--role <role>] [--app <app>…] [--expires <30d>]

Prints the token once. A deployer token on an app may push to its git remote and deploy it;
a viewer token may fetch and read.

options:
${GRANT_USAGE}  --expires <n[mhd]>  minutes, hours or days until it stops working (default: never)
`,
  args: [{ name: 'name' }],
  flags: { ...GRANT_FLAGS, expires: { type: 'string', parse: parseExpires } },
  async run({ args: { name }, flags, io }, client) {
    const request: CreateTokenRequest = { name, grants: grantsFrom(flags.role, flags.app), ...(flags.expires !== undefined && { expires: flags.expires }) };
    printNew(io, await client.post<NewTokenResponse>('/api/tokens', request), 'created');
    return 0;
  },
});

const ls = apiCommand({
  path: 'tokens ls',
  summary: 'list API tokens and sessions, with their last use',
  usage: 'usage: slipway tokens ls [--all]\n\nRevoked and expired ones are shown with --all.\n',
  args: [],
  flags: { all: { type: 'boolean' } },
  async run({ flags, io }, client) {
    const { tokens } = await client.get<{ tokens: TokenView[] }>('/api/tokens');
    const now = Date.now();
    const shown = tokens.filter((t) => flags.all || state(t, now).startsWith('active') || state(t, now).startsWith('until'));
    io.stdout.write(table(['ID', 'NAME', 'KIND', 'ROLES', 'STATE', 'LAST USED', 'CREATED'],
      shown.map((t) => [String(t.id), t.name, t.kind, describeGrants(t.grants), state(t, now), t.lastUsedAt === null ? 'never' : when(t.lastUsedAt), when(t.createdAt)])));
    return 0;
  },
});

const revoke = apiCommand({
  path: 'tokens revoke',
  summary: 'revoke a token or session now',
  usage: 'usage: slipway tokens revoke <id>\n',
  args: [{ name: 'id', parse: tokenId }],
  async run({ args: { id }, io }, client) {
    await client.delete(`/api/tokens/${id}`);
    io.stdout.write(`revoked token ${id}\n`);
    return 0;
  },
});

const rotate = apiCommand({
  path: 'tokens rotate',
  summary: 'replace a token with a new secret (same name, roles and lifetime), e.g. the first one `up` printed',
  usage: 'usage: slipway tokens rotate <id>\n\nThe old token stops working at once; the new one is printed once. Rotating the token\nthis CLI uses? Run `slipway login` with the new one next.\n',
  args: [{ name: 'id', parse: tokenId }],
  async run({ args: { id }, io }, client) {
    printNew(io, await client.post<NewTokenResponse>(`/api/tokens/${id}/rotate`), 'rotated');
    return 0;
  },
});

export const tokensCommand: Command = commandGroup('tokens', 'API tokens: create, ls, revoke, rotate', [create, ls, revoke, rotate]);
