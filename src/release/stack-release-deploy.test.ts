// A stack deploy recorded as a release, on the fake engine and the memory store: live, superseded, failed (the
// previous release stays live and keeps running), rolled back, and a deploy cut off by a restart.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeEngine } from '../adapters/docker/fake-engine.js';
import { createMemoryStore } from '../adapters/store/memory.js';
import { deployStackRelease } from './stack-release-deploy.js';
import { testPlan } from './stack-testing.js';

async function world() {
  const store = createMemoryStore();
  await store.createApp({ name: 'shop', domain: 'shop.example.com', port: 3000, replicas: 1, branch: 'main' });
  const engine = new FakeEngine({ pollsToRun: 1, localImages: ['busybox:latest', 'busybox:1', 'busybox:2', 'busybox:3', 'busybox:new', 'busybox:old', 'postgres:16', 'redis', 'redis:7'] });
  engine.scriptDefinition((d) => d.command?.[0] === 'crash', 'crash');
  const log: string[] = [];
  const ctx = { store, engine, credentialsFor: () => null, deadlineMs: 5_000, pollMs: 0, log: (t: string) => log.push(t) };
  const deploy = (image: string, extra: { rollbackOf?: number; command?: string[] } = {}) =>
    deployStackRelease({ app: 'shop', plan: testPlan([{ name: 'web', image, ...(extra.command ? { command: extra.command } : {}) }]), sources: [{ path: 'compose.yml', text: image }], runId: null, user: 'ana', rollbackOf: extra.rollbackOf ?? null }, ctx);
  const statuses = async () => (await store.listStackReleases('shop', 'back')).map((r) => `${r.number}:${r.status}`);
  return { store, engine, log, deploy, statuses };
}

describe('stack releases', () => {
  it('numbers each deploy, makes it live and supersedes the one before', async () => {
    const w = await world();
    const first = await w.deploy('busybox:1');
    assert.deepEqual([first.number, first.status, first.user, first.sources], [1, 'live', 'ana', [{ path: 'compose.yml', text: 'busybox:1' }]]);
    await w.deploy('busybox:2');
    assert.deepEqual(await w.statuses(), ['2:live', '1:superseded']);
    assert.equal(w.engine.definitionOf('slipway-stack-shop_back_web')?.image, 'busybox:2');
    assert.match(w.log.join(''), /stack back: release 2\n/);
  });

  it('records a failed deploy with its error; the release before stays live and running', async () => {
    const w = await world();
    await w.deploy('busybox:1');
    await assert.rejects(w.deploy('busybox:2', { command: ['crash'] }));
    assert.deepEqual(await w.statuses(), ['2:failed', '1:live']);
    assert.match((await w.store.getStackRelease('shop', 'back', 2))?.error ?? '', /service web did not become healthy/);
    assert.equal(w.engine.definitionOf('slipway-stack-shop_back_web')?.image, 'busybox:1');
  });

  it('marks the live release rolled back when a rollback replaces it, and a release cut off mid-deploy failed', async () => {
    const w = await world();
    await w.deploy('busybox:1');
    await w.deploy('busybox:2');
    const back = await w.deploy('busybox:1', { rollbackOf: 1 });
    assert.equal(back.rollbackOf, 1);
    assert.deepEqual(await w.statuses(), ['3:live', '2:rolled_back', '1:superseded']);
    const cut = await w.store.createStackRelease({ app: 'shop', stack: 'back', plan: {}, sources: [], runId: null, user: null, rollbackOf: null });
    await w.deploy('busybox:3');
    assert.deepEqual(await w.statuses(), ['5:live', '4:failed', '3:superseded', '2:rolled_back', '1:superseded']);
    assert.match((await w.store.getStackRelease('shop', 'back', cut.number))?.error ?? '', /interrupted/);
  });
});
