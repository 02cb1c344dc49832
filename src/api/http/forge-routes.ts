// HTTP routes for forge repositories: connect an app (API, token auth) and receive webhook deliveries
// (/hooks/<app>, no token: each delivery proves the app's webhook secret instead; bounded in size and in number at once).

import { Hono } from 'hono';
import { SlipwayError } from '../../core/errors.js';
import type { Apps } from '../apps.js';
import type { ForgeHooks } from '../forges.js';
import type { Triggers } from '../triggers.js';
import { MAX_DELIVERY_BYTES } from '../../trigger/forge/receive.js';
import { jsonBody, limitedBody, parseInput } from './body.js';
import { errorResponse } from './errors.js';
import { InFlight } from './in-flight.js';
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

/**
 * Deliveries handled at once, server-wide: each may hold a 10 MiB body and a git fetch. Eight keep memory under
 * 100 MiB and leave the event loop to the API. A burst beyond that waits (a waiting delivery holds its socket, not its
 * body: the slot is taken before the body is read), because forges do not all retry a refused delivery (GitHub never
 * does by itself); past 32 waiting the answer is 503 with Retry-After, for the forges and proxies that do.
 */
export const MAX_DELIVERIES_RUNNING = 8;
export const MAX_DELIVERIES_WAITING = 32;
const RETRY_AFTER_SECONDS = 10;

export function hookRoutes(d: { readonly apps: Pick<Apps, 'get'>; readonly triggers: Pick<Triggers, 'delivery'> }): Hono {
  const r = new Hono();
  const slots = new InFlight(MAX_DELIVERIES_RUNNING, MAX_DELIVERIES_WAITING);
  r.post('/hooks/:app', async (c) => {
    const entered = slots.enter();
    if (entered === null) {
      const res = errorResponse(new SlipwayError('interrupted', `too many webhook deliveries at once (${slots.running} being handled, ${slots.waiting} waiting)`, {
        hint: `deliver it again in ${RETRY_AFTER_SECONDS} seconds (the forge's "redeliver" button)`,
      }), c);
      res.headers.set('Retry-After', String(RETRY_AFTER_SECONDS));
      return res;
    }
    const leave = await entered;
    try {
      const body = await limitedBody(c.req.raw, MAX_DELIVERY_BYTES, 'the delivery', 'Slipway reads pushes and pull requests; large payloads are not needed');
      const headers = Object.fromEntries([...c.req.raw.headers].map(([k, v]) => [k.toLowerCase(), v]));
      // No 404 for an unknown app: the delivery is refused as unsigned would be (trigger/forge/receive.ts).
      const app = await d.apps.get(c.req.param('app')).catch((err: unknown) => {
        if (err instanceof SlipwayError && (err.kind === 'not_found' || err.kind === 'invalid_input')) return null;
        throw err;
      });
      return c.json(await d.triggers.delivery(app, headers, body), 200);
    } finally {
      leave();
    }
  });
  return r;
}
