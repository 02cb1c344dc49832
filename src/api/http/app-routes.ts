// HTTP routes for apps, runs, releases and logs (see core/api.ts for the contract).

import { Hono } from 'hono';
import { canRead } from '../../core/access.js';
import { SlipwayError } from '../../core/errors.js';
import type { EventBus } from '../../core/events.js';
import type { EnginePort } from '../../core/ports/engine.js';
import type { Store } from '../../core/ports/store.js';
import { appServiceName } from '../../core/naming.js';
import { readableFromWeb } from '../../trigger/sources.js';
import type { Apps } from '../apps.js';
import { followRunLog } from '../log-follow.js';
import type { Triggers } from '../triggers.js';
import { jsonBody, parseInput } from './body.js';
import { appLogsQuery, createAppBody, eventsQuery, followQuery, rollbackBody, updateAppBody, uploadQuery } from './schemas.js';

export interface RouteDeps {
  readonly apps: Apps;
  readonly triggers: Pick<Triggers, 'upload' | 'rollback'>;
  readonly store: Store;
  readonly bus: EventBus;
  readonly engine: EnginePort;
  readonly instance: string;
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

export function appRoutes(d: RouteDeps): Hono {
  const r = new Hono();
  // Each caller sees the apps its grants let it read (the guard let every signed-in caller in: api/authz.ts).
  r.get('/apps', async (c) => c.json({ apps: (await d.apps.list()).filter((a) => canRead(c.get('principal')?.grants ?? [], a.name)) }));
  r.post('/apps', async (c) => c.json(await d.apps.create(parseInput(createAppBody, await jsonBody(c.req.raw))), 201));
  r.get('/apps/:app', async (c) => c.json(await d.apps.status(c.req.param('app'))));
  r.patch('/apps/:app', async (c) => c.json(await d.apps.update(c.req.param('app'), parseInput(updateAppBody, await jsonBody(c.req.raw)))));
  r.delete('/apps/:app', async (c) => {
    await d.apps.remove(c.req.param('app'));
    return c.body(null, 204);
  });
  r.post('/apps/:app/deploy', async (c) => {
    const query = parseInput(uploadQuery, c.req.query(), 'the query');
    const app = await d.apps.get(c.req.param('app'));
    const run = await d.triggers.upload(app, readableFromWeb(c.req.raw.body), query.label ?? null);
    return c.json({ run }, 202);
  });
  r.post('/apps/:app/rollback', async (c) => {
    const body = parseInput(rollbackBody, await jsonBody(c.req.raw));
    const app = await d.apps.get(c.req.param('app'));
    return c.json({ run: await d.triggers.rollback(app, body.release ?? null) }, 202);
  });
  r.get('/apps/:app/runs', async (c) => {
    const app = await d.apps.get(c.req.param('app'));
    return c.json({ runs: await d.store.listRuns(app.name, 50) });
  });
  r.get('/apps/:app/releases', async (c) => {
    const app = await d.apps.get(c.req.param('app'));
    return c.json({ releases: await d.store.listReleases(app.name) });
  });
  r.get('/apps/:app/logs', async (c) => {
    const query = parseInput(appLogsQuery, c.req.query(), 'the query');
    const app = await d.apps.get(c.req.param('app'));
    const tail = Math.min(Math.max(Number.parseInt(query.tail ?? '200', 10) || 200, 1), 10_000);
    const abort = new AbortController();
    c.req.raw.signal.addEventListener('abort', () => abort.abort(), { once: true });
    const lines = d.engine.serviceLogs(appServiceName(d.instance, app.name), { follow: query.follow === '1', tail, signal: abort.signal });
    return new Response(iterableToStream(lines, abort), { headers: TEXT });
  });
  r.get('/runs/:id', async (c) => c.json({ run: await runById(d.store, c.req.param('id')) }));
  r.get('/runs/:id/logs', async (c) => {
    const query = parseInput(followQuery, c.req.query(), 'the query');
    const run = await runById(d.store, c.req.param('id'));
    return new Response(followRunLog(d.store, d.bus, run.id, { follow: query.follow === '1' }), { headers: TEXT });
  });
  r.get('/events', async (c) => {
    const query = parseInput(eventsQuery, c.req.query(), 'the query');
    const limit = Math.min(Math.max(Number.parseInt(query.limit ?? '100', 10) || 100, 1), 1000);
    return c.json({ events: await d.store.listEvents(limit) });
  });
  return r;
}

async function runById(store: Store, id: string) {
  const run = /^[0-9]+$/.test(id) ? await store.getRun(Number(id)) : null;
  if (!run) throw new SlipwayError('not_found', `no run ${id}`, { hint: 'list runs with `slipway runs <app>`' });
  return run;
}

function iterableToStream(lines: AsyncIterable<string>, abort: AbortController): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const it = lines[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await it.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (err) {
        // A service that does not exist yet has no logs: end the stream with a note instead of an error.
        controller.enqueue(encoder.encode(`(no logs: ${(err as Error).message})\n`));
        controller.close();
      }
    },
    cancel() {
      abort.abort();
    },
  });
}
