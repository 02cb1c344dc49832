// Store conformance: what the store bounds itself (issue 12): queued runs per app and in all.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
}
