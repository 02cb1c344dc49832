// Creating and choosing releases on the memory store: a built release, a rollback release, the superseded checks
// and what a restarted run resumes.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../adapters/store/memory.js';
import type { Store } from '../core/ports/store.js';
import type { App, Run } from '../core/types.js';
import { createBuiltRelease, createRollbackRelease } from './new-release.js';
import { replacedMeanwhile, resumedRelease } from './resume.js';
import { newerLiveRelease, newerStackRun, recordStackRun } from './superseded.js';

const image = (n: number) => `127.0.0.1:5000/apps/web@sha256:${String(n).repeat(64)}`;

async function world(): Promise<{ store: Store; app: App; run: () => Promise<Run>; log: string[] }> {
  const store = createMemoryStore();
  const app = await store.createApp({ name: 'web', domain: 'web.example.com', port: 3000, replicas: 2, branch: 'main' });
  const log: string[] = [];
  return { store, app, log, run: () => store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: 'c'.repeat(40) }) };
}

describe('release records', () => {
  it('a built release carries the run, its commit and the app\'s port and replicas', async () => {
    const w = await world();
    const run = await w.run();
    const r = await createBuiltRelease(w.store, w.app, run, image(1));
    assert.deepEqual([r.number, r.status, r.image, r.runId, r.commit, r.rollbackOf], [1, 'deploying', image(1), run.id, run.commit, null]);
    assert.deepEqual([r.spec.port, r.spec.replicas, r.spec.env], [3000, 2, {}]);
  });

  it('a rollback release copies the chosen target under a new number', async () => {
    const w = await world();
    const v1 = await createBuiltRelease(w.store, w.app, await w.run(), image(1));
    await w.store.setReleaseStatus(v1.id, 'superseded', new Date().toISOString());
    const v2 = await createBuiltRelease(w.store, w.app, await w.run(), image(2));
    await w.store.setReleaseStatus(v2.id, 'live', new Date().toISOString());
    const rollback = await w.store.createRun({ app: 'web', source: 'rollback', ref: null, commit: v1.commit, targetRelease: null });
    const r = await createRollbackRelease(w.store, w.app, rollback, (t) => w.log.push(t));
    assert.deepEqual([r.number, r.image, r.rollbackOf, r.runId, r.spec.releaseNumber], [3, image(1), 1, rollback.id, 3]);
    assert.deepEqual(w.log, [`--> rolling back web to release v1 (${image(1)})\n`]);
  });

  it('superseded: only a newer run\'s release that went live counts; stacks remember their last run', async () => {
    const w = await world();
    const older = await w.run();
    const newer = await w.run();
    const r = await createBuiltRelease(w.store, w.app, newer, image(2));
    assert.equal(await newerLiveRelease(w.store, 'web', older.id), null, 'not live yet');
    await w.store.setReleaseStatus(r.id, 'live', new Date().toISOString());
    assert.equal((await newerLiveRelease(w.store, 'web', older.id))?.id, r.id);
    assert.equal(await newerLiveRelease(w.store, 'web', newer.id), null, 'its own release is not newer');

    assert.equal(await newerStackRun(w.store, 'web', 'backend', older.id), null);
    await recordStackRun(w.store, 'web', 'backend', newer.id);
    assert.equal(await newerStackRun(w.store, 'web', 'backend', older.id), newer.id);
    assert.equal(await newerStackRun(w.store, 'web', 'other', older.id), null, 'per stack');
  });

  it('a restarted run resumes its release unless a newer run put its own live meanwhile (then it is failed)', async () => {
    const w = await world();
    const cut = await w.run();
    assert.equal(await resumedRelease(w.store, cut, (t) => w.log.push(t)), null, 'not in its deploy phase');
    const mine = await createBuiltRelease(w.store, w.app, cut, image(1));
    const deploying = await w.store.updateRun(cut.id, { phase: 'deploy', releaseId: mine.id });
    const resumed = await resumedRelease(w.store, deploying, (t) => w.log.push(t));
    assert.equal(resumed?.id, mine.id);
    assert.equal(await replacedMeanwhile(w.store, mine, cut, (t) => w.log.push(t)), false);
    const theirs = await createBuiltRelease(w.store, w.app, await w.run(), image(2));
    await w.store.setReleaseStatus(theirs.id, 'live', new Date().toISOString());
    assert.equal(await replacedMeanwhile(w.store, mine, cut, (t) => w.log.push(t)), true);
    assert.equal((await w.store.getReleaseById(mine.id))?.status, 'failed');
    assert.match(w.log.join(''), /resuming release v1\n.*release v2 live; release v1 is not resumed/s);
  });
});
