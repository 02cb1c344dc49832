// HTTP routes for forge repositories: connect an app (API, token auth) and receive webhook deliveries
// (/hooks/<app>, no token: each delivery proves the app's webhook secret instead).

import { Hono } from 'hono';
import { SlipwayError } from '../../core/errors.js';
import type { Apps } from '../apps.js';
import type { ForgeHooks } from '../forges.js';
import type { Triggers } from '../triggers.js';
import { MAX_DELIVERY_BYTES } from '../../trigger/forge/receive.js';
import { jsonBody, parseInput } from './body.js';
import { connectRepoBody } from './schemas.js';

export function repoRoutes(d: { readonly forges: ForgeHooks }): Hono {
  const r = new Hono();
  r.get('/apps/:app/repo', async (c) => c.json({ repo: await d.forges.info(c.req.param('app')) }));
  r.put('/apps/:app/repo', async (c) => c.json({ repo: await d.forges.connect(c.req.param('app'), parseInput(connectRepoBody, await jsonBody(c.req.raw))) }));
  r.delete('/apps/:app/repo', async (c) => {
    await d.forges.disconnect(c.req.param('app'));
    return c.body(null, 204);
  });
  return r;
}

export function hookRoutes(d: { readonly apps: Pick<Apps, 'get'>; readonly triggers: Pick<Triggers, 'delivery'> }): Hono {
  const r = new Hono();
  r.post('/hooks/:app', async (c) => {
    const body = await limitedBody(c.req.raw, MAX_DELIVERY_BYTES);
    const headers = Object.fromEntries([...c.req.raw.headers].map(([k, v]) => [k.toLowerCase(), v]));
    // No 404 for an unknown app: the delivery is refused as unsigned would be (trigger/forge/receive.ts).
    const app = await d.apps.get(c.req.param('app')).catch((err: unknown) => {
      if (err instanceof SlipwayError && (err.kind === 'not_found' || err.kind === 'invalid_input')) return null;
      throw err;
    });
    return c.json(await d.triggers.delivery(app, headers, body), 200);
  });
  return r;
}

/** The raw body (the signature covers its exact bytes), refused past `max` without reading it all. */
async function limitedBody(req: Request, max: number): Promise<Uint8Array> {
  const tooLarge = () => new SlipwayError('invalid_input', `the delivery is larger than ${max / 1024 / 1024} MiB`, { hint: 'Slipway reads pushes and pull requests; large payloads are not needed' });
  if (Number(req.headers.get('content-length') ?? 0) > max) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body ?? []) {
    size += chunk.length;
    if (size > max) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
