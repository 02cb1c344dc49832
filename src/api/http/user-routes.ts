// Users (owner only): list, add with grants, change grants or password, TOTP on and off, remove.

import { Hono } from 'hono';
import type { UserOps } from '../users.js';
import { jsonBody, parseInput } from './body.js';
import { originOf } from './session-routes.js';
import { addUserBody, passwordBody, userGrantsBody } from './user-schemas.js';

export function userRoutes(d: { readonly users: UserOps }): Hono {
  const r = new Hono();
  r.get('/users', async (c) => c.json({ users: await d.users.list() }));
  r.post('/users', async (c) => c.json({ user: await d.users.add(parseInput(addUserBody, await jsonBody(c.req.raw)), originOf(c)) }, 201));
  r.patch('/users/:user', async (c) => {
    const body = parseInput(userGrantsBody, await jsonBody(c.req.raw));
    return c.json({ user: await d.users.setGrants(c.req.param('user'), body.grants, originOf(c)) });
  });
  r.delete('/users/:user', async (c) => {
    await d.users.remove(c.req.param('user'), originOf(c));
    return c.body(null, 204);
  });
  r.put('/users/:user/password', async (c) => {
    await d.users.setPassword(c.req.param('user'), parseInput(passwordBody, await jsonBody(c.req.raw)).password, originOf(c));
    return c.body(null, 204);
  });
  r.post('/users/:user/totp', async (c) => c.json(await d.users.enableTotp(c.req.param('user'), originOf(c)), 201));
  r.delete('/users/:user/totp', async (c) => {
    await d.users.disableTotp(c.req.param('user'), originOf(c));
    return c.body(null, 204);
  });
  return r;
}
