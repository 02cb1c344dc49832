// Derived runs keep where their run came from: a restarted fork run is still a fork run (no secrets), and a fork
// run is never promoted to a deploy.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../adapters/store/memory.js';
import { SlipwayError } from '../core/errors.js';
import { EventBus } from '../core/events.js';
import type { NewRun, Store } from '../core/ports/store.js';
import type { Run } from '../core/types.js';
import { enqueuer } from './enqueue.js';
import { promote } from './promote.js';
import { Restarts } from './restart.js';

const FORK_PR: NewRun = {
  app: 'web', source: 'git', ref: 'refs/pull/7/head', commit: 'b'.repeat(40), event: 'pull_request',
  target: 'main', sourceBranch: 'evil-feature', fromFork: true,
};

function ops(store: Store) {
  const enqueue = enqueuer({ store, bus: new EventBus(), wake: () => undefined });
  const restarts = new Restarts({ store, enqueue });
  return {
    restart: (id: number) => restarts.restart(id),
    promote: async (id: number, environment: string): Promise<Run> => promote({ store, enqueue }, (await store.getRun(id))!, environment),
  };
}

async function failed(store: Store, run: NewRun): Promise<number> {
  const created = await store.createRun(run);
  await store.updateRun(created.id, { status: 'failed', phase: 'done' });
  await store.updateRunDetails(created.id, { workspace: JSON.stringify({ default: `ws-${created.id}` }), plan: { pipelines: [], warnings: [] } });
  return created.id;
}

describe('derived runs keep their provenance', () => {
  it('a restart of a fork pull request run (and a restart of that restart) is a fork run of the same source branch', async () => {
    const store = createMemoryStore();
    const runs = ops(store);
    const first = await failed(store, FORK_PR);
    const restarted = await runs.restart(first);
    const details = await store.getRunDetails(restarted.id);
    assert.deepEqual([details?.fromFork, details?.sourceBranch, details?.event, details?.target, details?.restartOf], [true, 'evil-feature', 'pull_request', 'main', first]);
    await store.updateRun(restarted.id, { status: 'failed', phase: 'done' });
    await store.updateRunDetails(restarted.id, { workspace: JSON.stringify({ default: `ws-${restarted.id}` }), plan: { pipelines: [], warnings: [] } });
    const again = await store.getRunDetails((await runs.restart(restarted.id)).id);
    assert.deepEqual([again?.fromFork, again?.sourceBranch], [true, 'evil-feature']);
  });

  it('refuses to promote a fork run, or a restart of one, and queues nothing', async () => {
    const store = createMemoryStore();
    const runs = ops(store);
    const fork = await failed(store, FORK_PR);
    const restarted = await runs.restart(fork);
    const before = (await store.listRuns('web', 50)).length;
    for (const id of [fork, restarted.id]) {
      await assert.rejects(runs.promote(id, 'production'), (err) => {
        assert.ok(err instanceof SlipwayError && err.kind === 'forbidden', String(err));
        assert.match(err.message, /fork/);
        return true;
      });
    }
    assert.equal((await store.listRuns('web', 50)).length, before);
  });

  it('promotes a pull request run from the same repository, keeping its source branch', async () => {
    const store = createMemoryStore();
    const runs = ops(store);
    const pr = await failed(store, { ...FORK_PR, fromFork: false, sourceBranch: 'feature' });
    const promoted = await store.getRunDetails((await runs.promote(pr, 'staging')).id);
    assert.deepEqual([promoted?.event, promoted?.target, promoted?.fromFork, promoted?.sourceBranch], ['deploy', 'staging', false, 'feature']);
  });
});
