// Unit tests of why a queued run has not started: its app is busy, an older run of its app is ahead, or no slot is free.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../adapters/store/memory.js';
import type { Store } from '../core/ports/store.js';
import { RunOps, type RunOpsDeps } from './runs.js';

function ops(store: Store, capacity: number): RunOps {
  // waitingFor reads only the store and the queue's capacity.
  return new RunOps({ store, queue: { capacity } } as unknown as RunOpsDeps);
}

const newRun = (store: Store, app: string) => store.createRun({ app, source: 'git', ref: 'refs/heads/main', commit: 'a'.repeat(40) });

describe('RunOps.waitingFor', () => {
  it('names the running run of the same app, then the older queued one ahead', async () => {
    const store = createMemoryStore();
    const first = await newRun(store, 'web');
    const second = await newRun(store, 'web');
    const third = await newRun(store, 'web');
    const runs = ops(store, 4);
    const oneAtATime = 'one run of web at a time; `slipway apps set web --concurrency <n>` allows more';
    assert.equal(await runs.waitingFor(second), `waiting behind run 1 of web, queued before it (${oneAtATime})`);
    await store.claimNextRuns('t0');
    assert.equal(await runs.waitingFor((await store.getRun(first.id))!), null, 'running: not waiting');
    assert.equal(await runs.waitingFor(third), `waiting for run ${first.id} of web to finish (${oneAtATime})`);
  });

  it('an app with a concurrency above 1 waits only once that many of its runs are running or ahead', async () => {
    const store = createMemoryStore();
    await store.createApp({ name: 'ci', domain: 'ci.example.com', port: 3000, replicas: 1, branch: 'main', concurrency: 2 });
    const [a, b, c, d] = [await newRun(store, 'ci'), await newRun(store, 'ci'), await newRun(store, 'ci'), await newRun(store, 'ci')];
    const runs = ops(store, 8);
    assert.equal(await runs.waitingFor(b!), 'waiting to be picked up', 'second of two allowed: its turn');
    assert.equal(await runs.waitingFor(c!), `waiting behind run ${a!.id} of ci, queued before it (its concurrency setting lets ci run 2 at a time)`);
    await store.claimNextRuns('t0');
    assert.equal(await runs.waitingFor(d!), `waiting for runs ${a!.id}, ${b!.id} of ci to finish (its concurrency setting lets ci run 2 at a time)`);
  });

  it('says no slot is free when the server runs its capacity, naming the runs and the setting', async () => {
    const store = createMemoryStore();
    const a = await newRun(store, 'a');
    const b = await newRun(store, 'b');
    await store.claimNextRuns('t0');
    const c = await newRun(store, 'c');
    assert.equal(
      await ops(store, 2).waitingFor(c),
      `no free run slot: this server runs at most 2 runs at a time (SLIPWAY_MAX_RUNS) and 2 are running: ${a.id} (a), ${b.id} (b)`,
    );
    assert.equal(await ops(store, 3).waitingFor(c), 'waiting to be picked up');
  });
});
