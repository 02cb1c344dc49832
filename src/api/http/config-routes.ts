// HTTP routes for an app's runtime config (core/api-config.ts): list, change, replace, remove one key; secret values
// are write-only. Each body has its strict schema here.

import { Hono } from 'hono';
import { z } from 'zod';
import type { AppConfigOps } from '../app-config.js';
import { jsonBody, parseInput } from './body.js';

const value = z.string();
const configValue = z.strictObject({ value, secret: z.boolean().optional() });

/** PATCH /api/apps/:app/config. */
export const configChangeBody = z.strictObject({
  set: z.record(z.string(), configValue).optional(),
  unset: z.array(z.string()).max(1000).optional(),
  deploy: z.boolean().optional(),
});

/** PUT /api/apps/:app/config. */
export const configReplaceBody = z.strictObject({
  config: z.record(z.string(), z.strictObject({ value: value.optional(), secret: z.boolean().optional() })),
  deploy: z.boolean().optional(),
});

/** DELETE /api/apps/:app/config/:key?deploy=0. */
export const configDeleteQuery = z.strictObject({ deploy: z.enum(['0', '1']).optional() });

export function configRoutes(d: { readonly config: AppConfigOps }): Hono {
  const r = new Hono();
  r.get('/apps/:app/config', async (c) => c.json({ config: await d.config.list(c.req.param('app')) }));
  r.patch('/apps/:app/config', async (c) => {
    const body = parseInput(configChangeBody, await jsonBody(c.req.raw));
    return c.json(await d.config.change(c.req.param('app'), { set: body.set ?? {}, unset: body.unset ?? [], deploy: body.deploy ?? true }), 202);
  });
  r.put('/apps/:app/config', async (c) => {
    const body = parseInput(configReplaceBody, await jsonBody(c.req.raw));
    return c.json(await d.config.replace(c.req.param('app'), body.config, body.deploy ?? true), 202);
  });
  r.post('/apps/:app/config/apply', async (c) => c.json(await d.config.apply(c.req.param('app')), 202));
  r.delete('/apps/:app/config/:key', async (c) => {
    const query = parseInput(configDeleteQuery, c.req.query(), 'the query');
    return c.json(await d.config.change(c.req.param('app'), { set: {}, unset: [c.req.param('key')], deploy: query.deploy !== '0' }), 202);
  });
  return r;
}
