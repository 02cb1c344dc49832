// HTTP routes for an app's compose stacks (issue 13): list, lint, deploy, services, releases, rollback, diff, remove.
// The schemas of their bodies and queries are here too (strict: an unknown key is refused by name).

import { Hono } from 'hono';
import { z } from 'zod';
import { SlipwayError } from '../../core/errors.js';
import type { Store } from '../../core/ports/store.js';
import type { Context } from 'hono';
import { demand } from './authz-guard.js';
import type { StackOps } from '../stacks.js';
import { checkedBy, jsonBody, parseInput } from './body.js';

const MAX_FILES = 10;

/** The compose files (then optionally a `.env`) as the CLI read them. */
const stackFiles = z.array(z.strictObject({ path: z.string().min(1).max(500), text: z.string() })).min(1).max(MAX_FILES);

/** POST /api/apps/:app/stacks/:stack/deploy. */
export const stackDeployBody = z.strictObject({ files: stackFiles, redeployOn: z.array(z.string().max(64)).max(10).optional() });
/** POST /api/apps/:app/stacks/lint. */
export const stackLintBody = z.strictObject({ files: stackFiles, stack: z.string().max(64).optional() });

const releaseNumber = (field: string) => checkedBy((value) => {
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new SlipwayError('invalid_input', `invalid release ${JSON.stringify(value)}`, { field, hint: 'give a release number such as 3' });
  }
  return n;
});

/** POST /api/apps/:app/stacks/:stack/rollback. */
export const stackRollbackBody = z.strictObject({ release: releaseNumber('release').optional() });
/** GET /api/apps/:app/stacks/:stack/diff. */
export const stackDiffQuery = z.strictObject({ from: releaseNumber('from'), to: releaseNumber('to') });

export function stackRoutes(d: { readonly stacks: StackOps; readonly store: Store }): Hono {
  const r = new Hono();
  // Who asked, for the release: the user or token the authorization guard let through.
  const user = (c: Context) => c.get('principal')?.name ?? 'unknown';
  r.get('/apps/:app/stacks', async (c) => c.json({ stacks: await d.stacks.list(c.req.param('app')) }));
  r.post('/apps/:app/stacks/lint', async (c) => {
    const body = parseInput(stackLintBody, await jsonBody(c.req.raw));
    return c.json(await d.stacks.lint(c.req.param('app'), body.stack ?? 'lint', body.files));
  });
  r.post('/apps/:app/stacks/:stack/deploy', async (c) => {
    const body = parseInput(stackDeployBody, await jsonBody(c.req.raw));
    // Following another app lets its releases start runs here and name its image: the caller must be able to deploy it.
    for (const other of body.redeployOn ?? []) demand(c, 'deploy', other);
    return c.json({ run: await d.stacks.deploy(c.req.param('app'), c.req.param('stack'), body.files, user(c), body.redeployOn ?? []) }, 202);
  });
  r.get('/apps/:app/stacks/:stack/services', async (c) => c.json({ services: await d.stacks.services(c.req.param('app'), c.req.param('stack')) }));
  r.get('/apps/:app/stacks/:stack/releases', async (c) => c.json({ releases: await d.stacks.releases(c.req.param('app'), c.req.param('stack')) }));
  r.get('/apps/:app/stacks/:stack/releases/:number', async (c) => {
    const number = parseInput(z.strictObject({ number: releaseNumber('number') }), { number: c.req.param('number') }, 'the path');
    return c.json({ release: await d.stacks.release(c.req.param('app'), c.req.param('stack'), number.number) });
  });
  r.post('/apps/:app/stacks/:stack/rollback', async (c) => {
    const body = parseInput(stackRollbackBody, await jsonBody(c.req.raw));
    return c.json({ run: await d.stacks.rollback(c.req.param('app'), c.req.param('stack'), body.release ?? null, user(c)) }, 202);
  });
  r.get('/apps/:app/stacks/:stack/diff', async (c) => {
    const q = parseInput(stackDiffQuery, c.req.query(), 'the query');
    return c.json(await d.stacks.diff(c.req.param('app'), c.req.param('stack'), q.from, q.to));
  });
  r.delete('/apps/:app/stacks/:stack', async (c) => {
    await d.stacks.remove(c.req.param('app'), c.req.param('stack'), user(c));
    return c.body(null, 204);
  });
  return r;
}
