// Store conformance: what the store bounds itself (issue 12): queued runs per app and in all, old runs' logs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PRUNED_LOG_NOTE } from '../../core/ports/store.js';
import { newRun, slipwayError, withStore, type OpenStore } from './conformance-kit.js';

export function limitConformance(open: OpenStore): void {
  describe('queue cap', () => {
    it('refuses a run beyond the per-app or the server-wide count of queued runs, saying how many and what to do', async () => {
      await withStore(open, async (store) => {
        const cap = { perApp: 2, total: 3 };
        await store.createRun(newRun('web'), cap);
        await store.createRun(newRun('web'), cap);
        await assert.rejects(store.createRun(newRun('web'), cap), (err) => {
          slipwayError('conflict', 'app')(err);
          assert.match((err as Error).message, /"web" already has 2 queued runs \(the limit is 2\)/);
          assert.match(String((err as { hint?: unknown }).hint), /cancel/);
          return true;
        });
        await store.createRun(newRun('api'), cap);
        await assert.rejects(store.createRun(newRun('ci'), cap), (err) => {
          slipwayError('conflict', 'app')(err);
          assert.match((err as Error).message, /server already has 3 queued runs \(the limit is 3\)/);
          return true;
        });
        assert.equal((await store.runsWithStatus('queued')).length, 3);
        // Only queued runs count: once one starts (or is cancelled) there is room again; no cap, no limit.
        await store.claimNextRuns('t1', 1);
        await store.createRun(newRun('ci'), cap);
        await store.createRun(newRun('ci'));
      });
    });

    it('admits exactly up to the cap when many runs are queued at once', async () => {
      await withStore(open, async (store) => {
        const cap = { perApp: 3, total: 100 };
        const results = await Promise.allSettled(Array.from({ length: 8 }, () => store.createRun(newRun('web'), cap)));
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3);
        for (const r of results) if (r.status === 'rejected') slipwayError('conflict', 'app')(r.reason);
        assert.equal((await store.runsWithStatus('queued')).length, 3);
      });
    });
  });

  describe('pruneRunLogs', () => {
    it("deletes the logs of an app's finished runs beyond the newest N, keeping the runs; a pruned log says so", async () => {
      await withStore(open, async (store) => {
        const ids: number[] = [];
        for (let i = 0; i < 4; i++) {
          const run = await store.createRun(newRun('web'));
          await store.saveRunSteps(run.id, [{ pipeline: 'default', name: 'build', status: 'pending', skipReason: null }]);
          await store.appendRunLog(run.id, `run ${i}\n`);
          await store.appendStepLog(run.id, 'default', 'build', `step ${i}\n`);
          if (i < 3) await store.updateRun(run.id, { status: 'succeeded', phase: 'done', finishedAt: `2026-01-0${i + 1}T00:00:00.000Z` });
          ids.push(run.id);
        }
        const other = await store.createRun(newRun('api'));
        await store.appendRunLog(other.id, 'api\n');
        await store.updateRun(other.id, { status: 'succeeded', phase: 'done', finishedAt: '2026-01-01T00:00:00.000Z' });

        assert.equal(await store.pruneRunLogs('web', 2), 2);
        assert.equal(await store.pruneRunLogs('web', 2), 0, 'idempotent');
        for (const id of ids.slice(0, 2)) {
          assert.equal(await store.readRunLog(id), PRUNED_LOG_NOTE);
          assert.equal(await store.readStepLog(id, 'default', 'build'), PRUNED_LOG_NOTE);
          assert.equal((await store.getRun(id))?.status, 'succeeded', 'the run row stays');
          assert.equal((await store.listRunSteps(id)).length, 1, 'the step rows stay');
        }
        assert.equal(await store.readStepLog(ids[0]!, 'default', 'nope'), '');
        assert.equal(await store.readRunLog(ids[2]!), 'run 2\n');
        assert.equal(await store.readRunLog(other.id), 'api\n', 'other apps are not touched');

        // The age bound prunes a newer run that finished long ago; never an unfinished run, whatever its age.
        assert.equal(await store.pruneRunLogs('web', 10, '2026-01-04T00:00:00.000Z'), 1);
        assert.equal(await store.readRunLog(ids[2]!), PRUNED_LOG_NOTE);
        assert.equal(await store.pruneRunLogs('web', 0), 0);
        assert.equal(await store.readRunLog(ids[3]!), 'run 3\n');
        assert.equal(await store.readStepLog(ids[3]!, 'default', 'build'), 'step 3\n');
      });
    });
  });
}
