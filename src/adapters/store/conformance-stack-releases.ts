// Store conformance: stack releases (issue 13) — numbered per (app, stack) without gaps even when created at once,
// the plan and compose texts read back as stored, status changes, listing, deleting, and leaving with the app.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NewStackRelease } from '../../core/ports/stack-releases.js';
import { newApp, slipwayError, tickingClock, withStore, type OpenStore } from './conformance-kit.js';

const release = (app: string, stack: string, extra: Partial<NewStackRelease> = {}): NewStackRelease => ({
  app, stack,
  plan: { name: stack, network: `n-${stack}`, labels: { a: 'b' }, services: [{ serviceName: 's', image: 'busybox@sha256:' + 'a'.repeat(64), replicas: 2, env: { K: 'v' } }] },
  sources: [{ path: 'compose.yml', text: 'services:\n  s:\n    image: busybox\n' }],
  runId: null, user: 'ana', rollbackOf: null, ...extra,
});

export function stackReleaseConformance(open: OpenStore): void {
  describe('stack releases', () => {
    it('numbers releases per (app, stack) from 1 and reads them back as stored', async () => {
      const clock = tickingClock();
      await withStore(open, async (store) => {
        await store.createApp(newApp('web')); // tick 0
        await store.createApp(newApp('api')); // tick 1
        const first = await store.createStackRelease(release('web', 'back')); // tick 2
        assert.deepEqual({ ...first, id: 0 }, { ...release('web', 'back'), id: 0, number: 1, status: 'deploying', error: null, createdAt: clock.at(2), deployedAt: null });
        assert.equal((await store.createStackRelease(release('web', 'back', { rollbackOf: 1, runId: null, user: null }))).number, 2);
        assert.equal((await store.createStackRelease(release('web', 'front'))).number, 1);
        assert.equal((await store.createStackRelease(release('api', 'back'))).number, 1);
        assert.deepEqual((await store.listStackReleases('web', 'back')).map((r) => [r.number, r.rollbackOf, r.user]), [[2, 1, null], [1, null, 'ana']]);
        assert.deepEqual(await store.getStackRelease('web', 'back', 1), first);
        assert.equal(await store.getStackRelease('web', 'back', 3), null);
        assert.deepEqual(await store.listStackReleases('web', 'none'), []);
        assert.deepEqual(await store.listStackNames('web'), ['back', 'front']);
        assert.deepEqual(await store.listStackNames('other'), []);
      }, { now: clock.now });
    });

    it('gives consecutive numbers to releases created at the same time', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        const made = await Promise.all(Array.from({ length: 8 }, () => store.createStackRelease(release('web', 'back'))));
        assert.deepEqual(made.map((r) => r.number).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8]);
      });
    });

    it('changes the status, keeps the error, stamps deployedAt when live, and refuses unknown ids and apps', async () => {
      const clock = tickingClock();
      await withStore(open, async (store) => {
        await store.createApp(newApp('web')); // tick 0
        const r = await store.createStackRelease(release('web', 'back')); // tick 1
        const live = await store.setStackReleaseStatus(r.id, 'live'); // tick 2
        assert.equal(live.deployedAt, clock.at(2));
        const superseded = await store.setStackReleaseStatus(r.id, 'superseded');
        assert.deepEqual([superseded.status, superseded.deployedAt, superseded.error], ['superseded', clock.at(2), null]);
        const failed = await store.setStackReleaseStatus(r.id, 'failed', 'service db did not become healthy');
        assert.deepEqual([failed.status, failed.error], ['failed', 'service db did not become healthy']);
        assert.deepEqual(await store.getStackRelease('web', 'back', 1), failed);
        await assert.rejects(store.setStackReleaseStatus(r.id + 100, 'live'), slipwayError('not_found', 'id'));
        await assert.rejects(store.createStackRelease(release('nope', 'back')), slipwayError('not_found', 'app'));
      }, { now: clock.now });
    });

    it('deletes a stack\'s releases, and they go with their app', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        await store.createStackRelease(release('web', 'back'));
        await store.createStackRelease(release('web', 'back'));
        await store.createStackRelease(release('web', 'front'));
        assert.equal(await store.deleteStackReleases('web', 'back'), 2);
        assert.equal(await store.deleteStackReleases('web', 'back'), 0);
        assert.deepEqual(await store.listStackNames('web'), ['front']);
        await store.deleteApp('web');
        await store.createApp(newApp('web'));
        assert.deepEqual(await store.listStackNames('web'), []);
        assert.equal((await store.createStackRelease(release('web', 'front'))).number, 1);
      });
    });
  });
}
