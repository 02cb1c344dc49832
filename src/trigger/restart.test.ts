// Unit tests of the restart guard: a kept workspace is used by one restart at a time, also through a failed restart.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../adapters/store/memory.js';
import { SlipwayError } from '../core/errors.js';
import type { Store } from '../core/ports/store.js';
import { Restarts } from './restart.js';

const KEPT = JSON.stringify({ default: 'slipway-ws-web-10-default' });

/** A failed run with a kept workspace and a stored plan: what restart needs. */
async function failedRun(store: Store, restartOf?: number): Promise<number> {
  const run = await store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: 'a'.repeat(40), ...(restartOf ? { restartOf } : {}) });
  await store.updateRun(run.id, { status: 'failed', phase: 'done' });
  await store.updateRunDetails(run.id, { workspace: KEPT, plan: { pipelines: [], warnings: [] } });
  return run.id;
}

describe('Restarts.restart', () => {
  it('refuses a restart while another run works in the same kept workspace, even one restarting a failed restart', async () => {
    const store = createMemoryStore();
    const ops = new Restarts({ store, enqueue: () => Promise.reject(new Error('no queue in this test')) });
    const first = await failedRun(store);
    const failedRestart = await failedRun(store, first); // its workspace is the same volume, kept again
    const active = await store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: 'a'.repeat(40), restartOf: failedRestart });
    for (const id of [first, failedRestart]) {
      await assert.rejects(ops.restart(id), (err) => {
        assert.ok(err instanceof SlipwayError && err.kind === 'conflict', String(err));
        assert.match(err.message, new RegExp(`already being restarted as run ${active.id}, in the same workspace`));
        return true;
      });
    }
    // Once that run has ended, the guard lets a restart through to the queue (which this test does not have).
    await store.updateRun(active.id, { status: 'failed', phase: 'done' });
    await assert.rejects(ops.restart(first), (err) => !(err instanceof SlipwayError && err.kind === 'conflict'));
  });
});
