// HTTP routes for run control (cancel, restart, manual runs), steps and step logs, and app secrets.

import { Hono } from 'hono';
import type { EventBus } from '../../core/events.js';
import type { Store } from '../../core/ports/store.js';
import { followStepLog } from '../log-follow.js';
import { runEventStream } from '../run-events.js';
import type { Apps } from '../apps.js';
import type { RunOps } from '../runs.js';
import type { Triggers } from '../triggers.js';
import { jsonBody, parseInput } from './body.js';
import { followQuery, manualRunBody, promoteBody, runEventsQuery, secretBody } from './schemas.js';

const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
// no-transform and X-Accel-Buffering: proxies in front of Slipway must pass events on at once, not buffer them.
const SSE = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store, no-transform', 'x-accel-buffering': 'no' };

export interface RunRouteDeps {
  readonly runs: RunOps;
  readonly apps: Apps;
  readonly triggers: Pick<Triggers, 'manual' | 'restart' | 'promote'>;
  readonly store: Store;
  readonly bus: EventBus;
}

export function runRoutes(d: RunRouteDeps): Hono {
  const r = new Hono();
  r.post('/runs/:id/cancel', async (c) => c.json({ run: await d.runs.cancel(c.req.param('id')) }));
  r.post('/runs/:id/promote', async (c) => {
    const body = parseInput(promoteBody, await jsonBody(c.req.raw));
    return c.json({ run: await d.triggers.promote(await d.runs.get(c.req.param('id')), body.environment) }, 202);
  });
  r.post('/runs/:id/restart', async (c) => c.json({ run: await d.triggers.restart((await d.runs.get(c.req.param('id'))).id) }, 202));
  r.get('/runs/:id/steps', async (c) => {
    const run = await d.runs.get(c.req.param('id'));
    return c.json({ steps: await d.store.listRunSteps(run.id), waitingFor: await d.runs.waitingFor(run) });
  });
  r.get('/runs/:id/steps/:pipeline/:step/logs', async (c) => {
    const query = parseInput(followQuery, c.req.query(), 'the query');
    const run = await d.runs.get(c.req.param('id'));
    const follow = query.follow === '1';
    return new Response(followStepLog(d.store, d.bus, run.id, c.req.param('pipeline'), c.req.param('step'), follow), { headers: TEXT });
  });
  r.get('/runs/:id/events', async (c) => {
    const query = parseInput(runEventsQuery, c.req.query(), 'the query');
    const run = await d.runs.get(c.req.param('id'));
    return new Response(runEventStream(d.store, d.bus, run.id, { replay: query.replay === '1' }), { headers: SSE });
  });
  r.post('/apps/:app/runs', async (c) => {
    const body = parseInput(manualRunBody, await jsonBody(c.req.raw));
    const app = await d.apps.get(c.req.param('app'));
    return c.json({ run: await d.triggers.manual(app, body) }, 202);
  });
  r.get('/apps/:app/secrets', async (c) => {
    const app = await d.apps.get(c.req.param('app'));
    return c.json({ secrets: await d.store.listSecretNames(app.name) });
  });
  r.put('/apps/:app/secrets', async (c) => {
    await d.runs.setSecret(c.req.param('app'), parseInput(secretBody, await jsonBody(c.req.raw)));
    return c.body(null, 204);
  });
  r.delete('/apps/:app/secrets/:name', async (c) => {
    const app = await d.apps.get(c.req.param('app'));
    await d.store.deleteSecret(app.name, c.req.param('name'));
    await d.store.recordEvent('secret.deleted', app.name, { name: c.req.param('name') });
    return c.body(null, 204);
  });
  return r;
}
