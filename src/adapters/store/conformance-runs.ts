// Store conformance: runs, the queue's claim, and run logs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Run } from '../../core/types.js';
import { newApp, newRelease, newRun, slipwayError, tickingClock, withStore, type OpenStore } from './conformance-kit.js';

export function runConformance(open: OpenStore): void {
  describe('runs', () => {
    it('creates queued runs and reads them back', async () => {
      const clock = tickingClock();
      await withStore(open, async (store) => {
        const run = await store.createRun(newRun('web'));
        assert.deepEqual(run, {
          id: run.id, app: 'web', source: 'git', ref: 'refs/heads/main', commit: 'a'.repeat(40),
          status: 'queued', phase: 'queued', targetRelease: null, releaseId: null, error: null,
          createdAt: clock.at(0), startedAt: null, finishedAt: null,
        });
        const rollback = await store.createRun({ app: 'web', source: 'rollback', ref: null, commit: 'x', targetRelease: 3 });
        assert.equal(rollback.targetRelease, 3);
        assert.ok(rollback.id > run.id);
        assert.deepEqual(await store.getRun(run.id), run);
        assert.equal(await store.getRun(9999), null);
      }, { now: clock.now });
    });

    it('lists an app\'s runs newest first, up to the limit', async () => {
      await withStore(open, async (store) => {
        const ids: number[] = [];
        for (let i = 0; i < 4; i++) ids.push((await store.createRun(newRun('web'))).id);
        await store.createRun(newRun('api'));
        assert.deepEqual((await store.listRuns('web', 10)).map((r) => r.id), ids.slice().reverse());
        assert.deepEqual((await store.listRuns('web', 2)).map((r) => r.id), [ids[3], ids[2]]);
        assert.deepEqual(await store.listRuns('nope', 10), []);
        await assert.rejects(store.listRuns('web', -1), slipwayError('invalid_input', 'limit'));
      });
    });

    it('updates the fields a patch names; null clears', async () => {
      await withStore(open, async (store) => {
        const run = await store.createRun(newRun('web'));
        const release = await store.createRelease(newRelease('web', run.id));
        const error = { kind: 'build_failed', message: 'step 3 failed', hint: 'see the log' };
        const failed = await store.updateRun(run.id, {
          status: 'failed', phase: 'done', releaseId: release.id, error, startedAt: 's', finishedAt: 'f',
        });
        assert.deepEqual(failed, { ...run, status: 'failed', phase: 'done', releaseId: release.id, error, startedAt: 's', finishedAt: 'f' });
        assert.deepEqual(await store.getRun(run.id), failed);
        const noHint = await store.updateRun(run.id, { error: { kind: 'internal', message: 'm' } });
        assert.deepEqual(noHint.error, { kind: 'internal', message: 'm' });
        const cleared = await store.updateRun(run.id, { error: null, releaseId: null, phase: undefined });
        assert.deepEqual(cleared, { ...failed, error: null, releaseId: null });
        assert.deepEqual(await store.updateRun(run.id, {}), cleared);
      });
    });

    it('refuses to update a missing run or point one at a missing release', async () => {
      await withStore(open, async (store) => {
        await assert.rejects(store.updateRun(9999, { status: 'failed' }), slipwayError('not_found'));
        await assert.rejects(store.updateRun(9999, {}), slipwayError('not_found'));
        const run = await store.createRun(newRun('web'));
        await assert.rejects(store.updateRun(run.id, { releaseId: 9999 }), slipwayError('not_found', 'releaseId'));
        assert.deepEqual(await store.getRun(run.id), run);
      });
    });

    it('lists runs of a status oldest first', async () => {
      await withStore(open, async (store) => {
        const a = await store.createRun(newRun('web'));
        const b = await store.createRun(newRun('api'));
        const c = await store.createRun(newRun('web'));
        await store.updateRun(b.id, { status: 'running' });
        assert.deepEqual((await store.runsWithStatus('queued')).map((r) => r.id), [a.id, c.id]);
        assert.deepEqual((await store.runsWithStatus('running')).map((r) => r.id), [b.id]);
        assert.deepEqual(await store.runsWithStatus('cancelled'), []);
      });
    });
  });

  describe('cancelQueuedRun', () => {
    it('cancels a run only while it is queued, so a claimed run is never marked cancelled behind the queue\'s back', async () => {
      await withStore(open, async (store) => {
        const queued = await store.createRun(newRun('web'));
        const error = { kind: 'cancelled', message: 'cancelled before it started' };
        const done = await store.cancelQueuedRun(queued.id, error, 't1');
        assert.deepEqual(done, { ...queued, status: 'cancelled', phase: 'done', error, finishedAt: 't1' });
        assert.deepEqual(await store.getRun(queued.id), done);
        assert.equal(await store.cancelQueuedRun(queued.id, error, 't2'), null, 'already cancelled');
        const claimed = await store.createRun(newRun('api'));
        await store.claimNextRuns('t3');
        assert.equal(await store.cancelQueuedRun(claimed.id, error, 't4'), null);
        assert.equal((await store.getRun(claimed.id))?.status, 'running');
        assert.equal(await store.cancelQueuedRun(9999, error, 't5'), null);
      });
    });
  });

  describe('claimNextRuns', () => {
    it('claims each idle app\'s oldest queued run and marks it running', async () => {
      await withStore(open, async (store) => {
        assert.deepEqual(await store.claimNextRuns('t0'), []);
        const web1 = await store.createRun(newRun('web'));
        const web2 = await store.createRun(newRun('web'));
        const api1 = await store.createRun(newRun('api'));
        const busy = await store.createRun(newRun('busy'));
        await store.updateRun(busy.id, { status: 'running' });
        const busyQueued = await store.createRun(newRun('busy'));

        const claimed = await store.claimNextRuns('t1');
        assert.deepEqual(claimed, [
          { ...web1, status: 'running', startedAt: 't1' },
          { ...api1, status: 'running', startedAt: 't1' },
        ]);
        assert.deepEqual(await store.getRun(web1.id), claimed[0]);
        assert.equal((await store.getRun(busyQueued.id))?.status, 'queued');
        assert.deepEqual(await store.claimNextRuns('t2'), []);

        await store.updateRun(web1.id, { status: 'succeeded' });
        assert.deepEqual((await store.claimNextRuns('t3')).map((r) => r.id), [web2.id]);
        await store.updateRun(busy.id, { status: 'failed' });
        assert.deepEqual((await store.claimNextRuns('t4')).map((r) => [r.id, r.startedAt]), [[busyQueued.id, 't4']]);
      });
    });

    it('claims at most `limit` runs, the oldest apps first; 0 claims none', async () => {
      await withStore(open, async (store) => {
        const api1 = await store.createRun(newRun('api'));
        const web1 = await store.createRun(newRun('web'));
        await store.createRun(newRun('api'));
        const db1 = await store.createRun(newRun('db'));
        assert.deepEqual(await store.claimNextRuns('t0', 0), []);
        assert.deepEqual((await store.claimNextRuns('t1', 2)).map((r) => r.id), [api1.id, web1.id]);
        assert.equal((await store.getRun(db1.id))?.status, 'queued', 'beyond the limit stays queued');
        assert.deepEqual((await store.claimNextRuns('t2', 5)).map((r) => r.id), [db1.id], 'busy apps still wait');
      });
    });

    it('an app with concurrency N runs up to N at a time, oldest first; the others still get one each', async () => {
      await withStore(open, async (store) => {
        await store.createApp({ ...newApp('ci'), concurrency: 3 });
        await store.createApp(newApp('web'));
        const ci = [];
        for (let i = 0; i < 5; i++) ci.push(await store.createRun(newRun('ci')));
        const web1 = await store.createRun(newRun('web'));
        await store.createRun(newRun('web'));
        // Two free slots: every app's next run goes before any app's second, so web is not starved by ci's burst.
        assert.deepEqual((await store.claimNextRuns('t0', 2)).map((r) => r.id), [ci[0]!.id, web1.id]);
        assert.deepEqual((await store.claimNextRuns('t1')).map((r) => r.id), [ci[1]!.id, ci[2]!.id]);
        assert.deepEqual(await store.claimNextRuns('t2'), [], 'ci runs 3 of 3, web 1 of 1');
        await store.updateRun(ci[1]!.id, { status: 'succeeded' });
        assert.deepEqual((await store.claimNextRuns('t3')).map((r) => r.id), [ci[3]!.id]);
        // Lowering the setting holds new runs back until the app is under it; running ones go on.
        await store.updateApp('ci', { concurrency: 1 });
        await store.updateRun(ci[0]!.id, { status: 'succeeded' });
        assert.deepEqual(await store.claimNextRuns('t4'), []);
        assert.equal((await store.runsWithStatus('running')).filter((r) => r.app === 'ci').length, 2);
      });
    });

    it('never gives out a run twice or more runs of an app than its concurrency, under concurrent claims', async () => {
      await withStore(open, async (store) => {
        await store.createApp({ ...newApp('wide'), concurrency: 2 });
        for (let i = 0; i < 6; i++) await store.createRun(newRun('wide'));
        const claimed: Run[] = [];
        for (let wave = 0; wave < 6; wave++) {
          const got = (await Promise.all(Array.from({ length: 6 }, (_, i) => store.claimNextRuns(`w${wave}.${i}`)))).flat();
          const running = (await store.runsWithStatus('running')).filter((r) => r.app === 'wide');
          assert.ok(running.length <= 2, `${running.length} runs of an app with concurrency 2`);
          claimed.push(...got);
          for (const r of got) await store.updateRun(r.id, { status: 'succeeded' });
        }
        assert.deepEqual(claimed.map((r) => r.id), claimed.map((r) => r.id).sort((x, y) => x - y));
        assert.equal(new Set(claimed.map((r) => r.id)).size, 6);
      });
    });

    it('never gives out a run twice or two runs of one app, under concurrent claims', async () => {
      await withStore(open, async (store) => {
        const apps = ['a', 'b', 'c', 'd'];
        for (let i = 0; i < 5; i++) for (const app of apps) await store.createRun(newRun(app));
        const claimed: Run[] = [];
        // Keep claiming in parallel waves, finishing what was claimed, until the queue is empty.
        for (let wave = 0; wave < 10; wave++) {
          const batches = await Promise.all(Array.from({ length: 6 }, (_, i) => store.claimNextRuns(`w${wave}.${i}`)));
          const got = batches.flat();
          const running = await store.runsWithStatus('running');
          assert.equal(new Set(running.map((r) => r.app)).size, running.length, 'two running runs of one app');
          assert.equal(new Set(got.map((r) => r.app)).size, got.length, 'one wave claimed two runs of one app');
          claimed.push(...got);
          for (const r of got) await store.updateRun(r.id, { status: 'succeeded' });
        }
        assert.equal(claimed.length, 20);
        assert.equal(new Set(claimed.map((r) => r.id)).size, 20);
        for (const app of apps) {
          const order = claimed.filter((r) => r.app === app).map((r) => r.id);
          assert.deepEqual(order, order.slice().sort((x, y) => x - y), `runs of ${app} claimed out of order`);
        }
      });
    });
  });

  describe('run logs', () => {
    it('stores chunks in order and reads them concatenated', async () => {
      await withStore(open, async (store) => {
        const run = await store.createRun(newRun('web'));
        const other = await store.createRun(newRun('web'));
        assert.equal(await store.readRunLog(run.id), '');
        await store.appendRunLog(run.id, 'step 1\n');
        await store.appendRunLog(other.id, 'other\n');
        await store.appendRunLog(run.id, 'step 2 ünïcode ✓\n');
        await store.appendRunLog(run.id, '');
        assert.equal(await store.readRunLog(run.id), 'step 1\nstep 2 ünïcode ✓\n');
        assert.equal(await store.readRunLog(other.id), 'other\n');
        assert.equal(await store.readRunLog(9999), '');
      });
    });

    it('keeps the call order of appends issued without waiting', async () => {
      await withStore(open, async (store) => {
        const run = await store.createRun(newRun('web'));
        const chunks = Array.from({ length: 50 }, (_, i) => `${i},`);
        await Promise.all(chunks.map((c) => store.appendRunLog(run.id, c)));
        assert.equal(await store.readRunLog(run.id), chunks.join(''));
      });
    });

    it('refuses a log for a run that does not exist', async () => {
      await withStore(open, async (store) => {
        await assert.rejects(store.appendRunLog(9999, 'x'), slipwayError('not_found', 'runId'));
      });
    });
  });
}
