// API tokens (owner only): list (never the hashes), create scoped and expiring (the token is shown once), revoke,
// rotate (a new secret for the same name and grants: how the bootstrap token is replaced).

import { Hono } from 'hono';
import { SlipwayError } from '../../core/errors.js';
import type { UserOps } from '../users.js';
import { jsonBody, parseInput } from './body.js';
import { originOf } from './session-routes.js';
import { createTokenBody } from './user-schemas.js';

const tokenId = (value: string): number => {
  if (!/^[0-9]{1,15}$/.test(value)) throw new SlipwayError('invalid_input', `invalid token id ${JSON.stringify(value)}`, { field: 'id', hint: 'the number `slipway tokens ls` shows' });
  return Number(value);
};

export function tokenRoutes(d: { readonly users: UserOps }): Hono {
  const r = new Hono();
  r.get('/tokens', async (c) => c.json({ tokens: await d.users.listTokens() }));
  r.post('/tokens', async (c) => c.json(await d.users.createToken(parseInput(createTokenBody, await jsonBody(c.req.raw)), originOf(c)), 201));
  r.delete('/tokens/:id', async (c) => {
    await d.users.revokeToken(tokenId(c.req.param('id')), originOf(c));
    return c.body(null, 204);
  });
  r.post('/tokens/:id/rotate', async (c) => c.json(await d.users.rotateToken(tokenId(c.req.param('id')), originOf(c)), 201));
  return r;
}
