// The audit log: every change with who, what, when and from where; each caller sees the events of the apps it may
// read (events of no app — users, tokens, sign-ins — need read on all apps).

import { Hono } from 'hono';
import { canRead } from '../../core/access.js';
import type { Store } from '../../core/ports/store.js';
import { parseInput } from './body.js';
import { principal } from './session-routes.js';
import { auditQuery } from './user-schemas.js';

export function auditRoutes(d: { readonly store: Pick<Store, 'listEvents'> }): Hono {
  const r = new Hono();
  r.get('/audit', async (c) => {
    const query = parseInput(auditQuery, c.req.query(), 'the query');
    const limit = Math.min(Math.max(Number(query.limit ?? '100') || 100, 1), 1000);
    const grants = principal(c).grants;
    // Read more than asked when filtering may drop some; a per-app reader asks with ?app for a full page.
    const events = await d.store.listEvents(canRead(grants, null) ? limit : 1000, query.app === undefined ? {} : { app: query.app });
    return c.json({ events: events.filter((e) => canRead(grants, e.app)).slice(0, limit) });
  });
  return r;
}
