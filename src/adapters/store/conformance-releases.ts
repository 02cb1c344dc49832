// Store conformance: releases, their per-app numbers and the one live release.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newRelease, newRun, slipwayError, tickingClock, withStore, type OpenStore } from './conformance-kit.js';

export function releaseConformance(open: OpenStore): void {
  describe('releases', () => {
    it('creates deploying releases numbered per app, with the number in the spec', async () => {
      const clock = tickingClock();
      await withStore(open, async (store) => {
        const run = await store.createRun(newRun('web'));
        const input = newRelease('web', run.id);
        const first = await store.createRelease(input);
        assert.deepEqual(first, {
          id: first.id, app: 'web', number: 1, image: input.image, commit: input.commit, runId: run.id,
          spec: { ...input.spec, releaseNumber: 1 }, status: 'deploying', rollbackOf: null,
          createdAt: clock.at(1), deployedAt: null,
        });
        const second = await store.createRelease(newRelease('web', null, 1));
        assert.deepEqual([second.number, second.spec.releaseNumber, second.rollbackOf, second.runId], [2, 2, 1, null]);
        assert.equal((await store.createRelease(newRelease('api'))).number, 1);
        assert.deepEqual(await store.getRelease('web', 1), first);
        assert.deepEqual(await store.getReleaseById(second.id), second);
        assert.equal(await store.getRelease('web', 3), null);
        assert.equal(await store.getRelease('api', 2), null);
        assert.equal(await store.getReleaseById(9999), null);
        assert.deepEqual((await store.listReleases('web')).map((r) => r.number), [2, 1]);
        assert.deepEqual(await store.listReleases('nope'), []);
      }, { now: clock.now });
    });

    it('gives 20 concurrent creations distinct consecutive numbers', async () => {
      await withStore(open, async (store) => {
        const made = await Promise.all([
          ...Array.from({ length: 20 }, () => store.createRelease(newRelease('web'))),
          ...Array.from({ length: 5 }, () => store.createRelease(newRelease('api'))),
        ]);
        const numbers = (app: string) => made.filter((r) => r.app === app).map((r) => r.number).sort((a, b) => a - b);
        assert.deepEqual(numbers('web'), Array.from({ length: 20 }, (_, i) => i + 1));
        assert.deepEqual(numbers('api'), [1, 2, 3, 4, 5]);
        for (const r of made) assert.equal(r.spec.releaseNumber, r.number);
        assert.equal(new Set(made.map((r) => r.id)).size, made.length);
      });
    });

    it('refuses a release that names a run that does not exist', async () => {
      await withStore(open, async (store) => {
        await assert.rejects(store.createRelease(newRelease('web', 9999)), slipwayError('not_found', 'runId'));
        assert.deepEqual(await store.listReleases('web'), []);
      });
    });

    it('keeps at most one live release per app, superseding the previous one', async () => {
      await withStore(open, async (store) => {
        const r1 = await store.createRelease(newRelease('web'));
        const r2 = await store.createRelease(newRelease('web'));
        const other = await store.createRelease(newRelease('api'));
        assert.equal(await store.liveRelease('web'), null);

        const live1 = await store.setReleaseStatus(r1.id, 'live', 'd1');
        assert.deepEqual(live1, { ...r1, status: 'live', deployedAt: 'd1' });
        await store.setReleaseStatus(other.id, 'live', 'd0');
        assert.deepEqual(await store.liveRelease('web'), live1);

        const live2 = await store.setReleaseStatus(r2.id, 'live', 'd2');
        assert.deepEqual(await store.liveRelease('web'), live2);
        assert.deepEqual(await store.getReleaseById(r1.id), { ...live1, status: 'superseded' });
        assert.equal((await store.liveRelease('api'))?.id, other.id, 'another app\'s live release is untouched');

        // Setting live again is harmless; a status change without deployedAt keeps the old one.
        assert.deepEqual(await store.setReleaseStatus(r2.id, 'live'), live2);
        assert.deepEqual(await store.setReleaseStatus(r1.id, 'rolled_back'), { ...live1, status: 'rolled_back' });
        await store.setReleaseStatus(r2.id, 'failed');
        assert.equal(await store.liveRelease('web'), null);
      });
    });

    it('refuses a status change of a missing release', async () => {
      await withStore(open, async (store) => {
        await assert.rejects(store.setReleaseStatus(9999, 'live', 'd'), slipwayError('not_found', 'releaseId'));
        await assert.rejects(store.setReleaseStatus(9999, 'failed'), slipwayError('not_found', 'releaseId'));
      });
    });
  });
}
