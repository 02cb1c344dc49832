// Route sync: one reload per change of the app set (plus Slipway's own domain), serialised, none when nothing changed.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeEdge } from '../adapters/caddy/fake-edge.js';
import { createMemoryStore } from '../adapters/store/memory.js';
import { SlipwayError } from '../core/errors.js';
import { EventBus } from '../core/events.js';
import type { Route } from '../core/types.js';
import { RouteSync } from './route-sync.js';
import { EdgeNetworks } from './edge-networks.js';
import { withRoute } from './stack-routes.js';
import { FakeEngine } from '../adapters/docker/fake-engine.js';
import { isEdgeManagedNetwork } from '../core/naming.js';

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

describe('RouteSync with networks and stack routes (issues 12, 13)', () => {
  const STACK_NET = 'slipway-stack-web_shop';
  async function world() {
    const store = createMemoryStore();
    const engine = new FakeEngine();
    await engine.ensureNetwork('slipway', {});
    await engine.ensureNetwork(STACK_NET, { 'io.slipway.instance': 'slipway', 'io.slipway.app': 'web', 'io.slipway.stack': 'shop' });
    engine.startContainer('slipway-edge', 'edge1', ['slipway']);
    const networks = new EdgeNetworks({ engine, edgeService: 'slipway-edge', managed: (n) => isEdgeManagedNetwork('slipway', n) });
    const edge = new FakeEdge();
    const warnings: string[] = [];
    const routes = new RouteSync(store, edge, new EventBus(), 'slipway', [], { engine, networks, warn: (l) => warnings.push(l) });
    const edgeNets = async () => (await engine.serviceContainers('slipway-edge'))[0]?.networks;
    const deployStackService = (service: string, route: { domain: string; port: number } | null) =>
      engine.deployService(withRoute({
        serviceName: `slipway-stack-web_shop_${service}`, image: 'busybox:latest', replicas: 1, env: {}, network: STACK_NET,
        labels: { 'io.slipway.instance': 'slipway', 'io.slipway.app': 'web', 'io.slipway.stack': 'shop' },
      }, route), null);
    return { store, engine, edge, routes, warnings, edgeNets, deployStackService };
  }

  it('apps are reached on the edge\'s own network: no app network is made or joined (held back: moby/moby#32634)', async () => {
    const w = await world();
    await w.store.createApp(app('web'));
    await w.store.createApp(app('api'));
    await w.routes.sync();
    assert.deepEqual(await w.edgeNets(), ['slipway']);
    assert.equal(w.engine.networks().get('slipway-appnet-web'), undefined);
    assert.deepEqual(domains(w.edge.applied.at(-1)), ['api.example.com', 'web.example.com']);
  });

  it('a routed stack service is routed to tasks.<service>:<port> with the edge on the stack network; gone with the service', async () => {
    const w = await world();
    await w.store.createApp(app('web'));
    await w.deployStackService('front', { domain: 'shop.example.com', port: 8080 });
    await w.deployStackService('db', null);
    await w.routes.sync();
    assert.deepEqual(w.edge.applied.at(-1)?.find((r) => r.domain === 'shop.example.com'), { domain: 'shop.example.com', upstreams: ['tasks.slipway-stack-web_shop_front:8080'] });
    assert.deepEqual(await w.edgeNets(), ['slipway', STACK_NET]);
    await w.engine.removeService('slipway-stack-web_shop_front');
    await w.routes.sync();
    assert.deepEqual(domains(w.edge.applied.at(-1)), ['web.example.com']);
    assert.deepEqual(await w.edgeNets(), ['slipway'], 'no routed service left: the edge left the stack network');
  });

  it('a stack domain an app holds is refused up front; one that slipped through loses to the app, with a warning', async () => {
    const w = await world();
    await w.store.createApp(app('web', 'shop.example.com'));
    const def = withRoute({ serviceName: 'slipway-stack-web_shop_front', image: 'x', replicas: 1, env: {}, network: STACK_NET, labels: {} }, { domain: 'shop.example.com', port: 80 });
    await assert.rejects(w.routes.checkStackDomains('shop', [def]), (e: unknown) => e instanceof SlipwayError && e.kind === 'conflict' && /app web/.test(e.message));
    await w.deployStackService('front', { domain: 'shop.example.com', port: 80 });
    await w.routes.sync();
    assert.deepEqual(w.edge.applied.at(-1), [{ domain: 'shop.example.com', upstreams: ['tasks.slipway-app-web:3000'] }]);
    assert.match(w.warnings.join('\n'), /slipway-stack-web_shop_front: domain shop.example.com is already used/);
    assert.equal(await w.routes.stackServiceOf('SHOP.example.com'), 'slipway-stack-web_shop_front');
  });

  it('leave detaches the edge from the app\'s and its stacks\' networks so they can be removed', async () => {
    const w = await world();
    await w.store.createApp(app('web'));
    await w.deployStackService('front', { domain: 'shop.example.com', port: 80 });
    await w.routes.sync();
    await w.engine.removeService('slipway-stack-web_shop_front');
    await w.routes.leave('web');
    assert.deepEqual(await w.edgeNets(), ['slipway']);
    await w.engine.removeNetwork(STACK_NET);
    await w.engine.removeNetwork('slipway-appnet-web');
  });
});
