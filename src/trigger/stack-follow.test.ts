// Stacks that follow another app's releases (opt-in): which services take the new image, and what is queued.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../adapters/store/memory.js';
import { EventBus } from '../core/events.js';
import type { NewRun } from '../core/ports/store.js';
import { testPlan } from '../release/stack-testing.js';
import { stackPlanKey } from '../run/stack-runs.js';
import { followApp, repositoryOf, subscribeStackFollows, withImage } from './stack-follow.js';

const API = (d: string) => `127.0.0.1:5000/apps/api@sha256:${d.repeat(64)}`;

describe('stacks following an app', () => {
  it('reads an image\'s repository with a registry port, a tag or a digest', () => {
    assert.equal(repositoryOf(API('a')), '127.0.0.1:5000/apps/api');
    assert.equal(repositoryOf('127.0.0.1:5000/apps/api:v1'), '127.0.0.1:5000/apps/api');
    assert.equal(repositoryOf('redis'), 'redis');
  });

  it('puts the new image only in the services that ran that repository', () => {
    const plan = testPlan([{ name: 'api', image: API('a') }, { name: 'worker', image: API('a') }, { name: 'db', image: 'postgres:16' }]);
    const next = withImage(plan, API('b'));
    assert.deepEqual(next?.services.map((s) => s.image), [API('b'), API('b'), 'postgres:16']);
    assert.equal(withImage(plan, 'redis:7'), null);
    assert.equal(withImage(next!, API('b')), null);
  });

  it('queues a redeploy of each live follower when the app releases, and nothing for a stack without a live release', async () => {
    const store = createMemoryStore();
    for (const name of ['api', 'shop']) await store.createApp({ name, domain: `${name}.example.com`, port: 3000, replicas: 1, branch: 'main' });
    const live = await store.createStackRelease({ app: 'shop', stack: 'back', plan: testPlan([{ name: 'api', image: API('a') }, { name: 'db', image: 'postgres:16' }]), sources: [{ path: 'compose.yml', text: 'x' }], runId: null, user: null, rollbackOf: null });
    await store.setStackReleaseStatus(live.id, 'live');
    await followApp(store, 'api', { app: 'shop', stack: 'back' });
    await followApp(store, 'api', { app: 'shop', stack: 'back' });
    await followApp(store, 'api', { app: 'shop', stack: 'gone' });
    const queued: NewRun[] = [];
    const bus = new EventBus();
    const off = subscribeStackFollows(bus, { store, enqueue: async (r) => { queued.push(r); return store.createRun(r, { perApp: 50, total: 1000 }); } }, (l) => assert.fail(l));
    bus.emit('release.deployed', { app: 'api', release: 2, image: API('b') });
    bus.emit('release.deployed', { app: 'other', release: 1, image: API('c') });
    await new Promise((r) => setTimeout(r, 50));
    off();
    assert.equal(queued.length, 1);
    assert.deepEqual([queued[0]?.ref, queued[0]?.params], ['stack:back', { SLIPWAY_STACK: 'back', SLIPWAY_STACK_USER: 'redeploy-on api' }]);
    const saved = JSON.parse((await store.getSetting(stackPlanKey(queued[0]!.commit)))!) as { plan: ReturnType<typeof testPlan> };
    assert.deepEqual(saved.plan.services.map((s) => s.image), [API('b'), 'postgres:16']);
  });
});
