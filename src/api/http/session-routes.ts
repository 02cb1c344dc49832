// Signing in (name, password, TOTP code → a session token, shown once), signing out, and who the caller is.

import { Hono, type Context } from 'hono';
import type { EventOrigin } from '../../core/ports/store.js';
import { SlipwayError } from '../../core/errors.js';
import type { Principal } from '../../core/access.js';
import type { UserOps } from '../users.js';
import { remoteAddress } from './authz-guard.js';
import { jsonBody, parseInput } from './body.js';
import { ownPasswordBody, signInBody } from './user-schemas.js';

/** The guard has authenticated every route that is not public. */
export function principal(c: Context): Principal {
  const p = c.get('principal');
  if (p === null || p === undefined) throw new SlipwayError('unauthorized', 'missing API token');
  return p;
}

export const originOf = (c: Context): EventOrigin => ({ actor: c.get('principal')?.name ?? 'anonymous', source: remoteAddress(c) });

export function sessionRoutes(d: { readonly users: UserOps }): Hono {
  const r = new Hono();
  r.post('/session', async (c) => {
    const body = parseInput(signInBody, await jsonBody(c.req.raw));
    return c.json(await d.users.signIn(body, remoteAddress(c)), 201);
  });
  r.delete('/session', async (c) => {
    await d.users.signOut(principal(c), originOf(c));
    return c.body(null, 204);
  });
  r.get('/me', (c) => {
    const p = principal(c);
    return c.json({ me: { name: p.name, kind: p.kind, grants: p.grants } });
  });
  r.put('/me/password', async (c) => {
    const body = parseInput(ownPasswordBody, await jsonBody(c.req.raw));
    await d.users.changeOwnPassword(principal(c), body.current, body.password, originOf(c));
    return c.body(null, 204);
  });
  return r;
}
