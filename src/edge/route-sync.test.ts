// Route sync: one reload per change of the app set (plus Slipway's own domain), serialised, none when nothing changed.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeEdge } from '../adapters/caddy/fake-edge.js';
import { createMemoryStore } from '../adapters/store/memory.js';
import { SlipwayError } from '../core/errors.js';
import { EventBus } from '../core/events.js';
import type { Route } from '../core/types.js';
import { RouteSync } from './route-sync.js';

const app = (name: string, domain = `${name}.example.com`) => ({ name, domain, port: 3000, replicas: 1, branch: 'main' });
const domains = (routes: readonly Route[] | undefined) => routes?.map((r) => r.domain);

function setup() {
  const store = createMemoryStore();
  const bus = new EventBus();
  const edge = new FakeEdge();
  const applied: number[] = [];
  bus.on('edge.applied', (e) => applied.push(e.routes));
  return { store, edge, applied, sync: new RouteSync(store, edge, bus, 'slipway').sync };
}

describe('route sync', () => {
  it('applies the whole route set once per change, sorted by domain, and makes no call when nothing changed', async () => {
    const { store, edge, applied, sync } = setup();
    await store.createApp(app('web', 'b.example.com'));
    await store.createApp(app('api', 'a.example.com'));
    await sync();
    assert.deepEqual(edge.applied, [[
      { domain: 'a.example.com', upstreams: ['tasks.slipway-app-api:3000'] },
      { domain: 'b.example.com', upstreams: ['tasks.slipway-app-web:3000'] },
    ]]);
    await sync();
    await sync();
    assert.equal(edge.applied.length, 1, 'unchanged: no reload');

    await store.updateApp('web', { port: 8080 });
    await sync();
    await store.deleteApp('api');
    await sync();
    assert.deepEqual(edge.applied.slice(1), [
      [
        { domain: 'a.example.com', upstreams: ['tasks.slipway-app-api:3000'] },
        { domain: 'b.example.com', upstreams: ['tasks.slipway-app-web:8080'] },
      ],
      [{ domain: 'b.example.com', upstreams: ['tasks.slipway-app-web:8080'] }],
    ]);
    assert.deepEqual(applied, [2, 2, 1]);
  });

  it('applies an empty route set the first time, so a restarted edge loses routes of deleted apps', async () => {
    const { edge, sync } = setup();
    await sync();
    assert.deepEqual(edge.applied, [[]]);
  });

  it('serialises concurrent callers: one apply at a time, each applying what it reads, none for repeats', async () => {
    const { store, edge, sync } = setup();
    await store.createApp(app('web'));
    edge.hold();
    const first = sync();
    await new Promise((r) => setImmediate(r));
    await store.createApp(app('api'));
    const second = sync();
    const third = sync();
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(edge.applied.length, 0, 'the first apply is still held');
    edge.release();
    await Promise.all([first, second, third]);
    assert.equal(edge.maxInFlight, 1);
    assert.deepEqual(edge.applied.map(domains), [['web.example.com'], ['api.example.com', 'web.example.com']]);
  });

  it('a rejected config reaches the caller, is not remembered as applied, and does not block later syncs', async () => {
    const { store, edge, applied, sync } = setup();
    await store.createApp(app('web'));
    edge.failNext(new SlipwayError('dependency', 'Caddy refused the config'));
    const failed = sync();
    const next = sync();
    await assert.rejects(failed, /Caddy refused the config/);
    await next;
    assert.deepEqual(edge.applied.map(domains), [['web.example.com']], 'the next sync applied the same routes again');
    assert.deepEqual(applied, [1]);
  });
});

describe('RouteSync with Slipway\'s own domain', () => {
  it('routes the own domain with the apps, and never an app that claims it', async () => {
    const store = createMemoryStore();
    await store.createApp(app('web'));
    await store.createApp(app('squatter', 'deploy.example.com'));
    const edge = new FakeEdge();
    const own: Route = { domain: 'deploy.example.com', upstreams: ['unix//run/edge/slipway.sock'] };
    await new RouteSync(store, edge, new EventBus(), 'slipway', [own]).sync();
    const applied = edge.applied.at(-1) ?? [];
    assert.deepEqual(domains(applied), ['deploy.example.com', 'web.example.com']);
    assert.deepEqual(applied.find((r) => r.domain === 'deploy.example.com')?.upstreams, ['unix//run/edge/slipway.sock']);
  });
});
