import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../adapters/store/memory.js';
import { KEEP_FAILED_WORKSPACES, pruneKeptWorkspaces } from './workspace-retention.js';

describe('pruneKeptWorkspaces', () => {
  it('keeps the workspaces of the newest failed runs of the app and removes older ones', async () => {
    const store = createMemoryStore();
    await store.createApp({ name: 'web', domain: 'web.example.com', port: 3000, replicas: 1, branch: 'main' });
    await store.createApp({ name: 'api', domain: 'api.example.com', port: 3000, replicas: 1, branch: 'main' });
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) {
      const run = await store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: 'a'.repeat(40) });
      ids.push(run.id);
      // Run 2 succeeded (nothing kept); the others kept one volume per pipeline.
      if (i !== 2) await store.updateRunDetails(run.id, { workspace: JSON.stringify({ build: `ws-${i}-a`, test: `ws-${i}-b` }) });
    }
    const other = await store.createRun({ app: 'api', source: 'git', ref: 'refs/heads/main', commit: 'a'.repeat(40) });
    await store.updateRunDetails(other.id, { workspace: JSON.stringify({ p: 'ws-api' }) });
    const removed: string[] = [];
    await pruneKeptWorkspaces(store, { removeWorkspace: async (v) => void removed.push(v) }, 'web', () => undefined);
    assert.deepEqual(removed.sort(), ['ws-0-a', 'ws-0-b', 'ws-1-a', 'ws-1-b']);
    const left = await Promise.all(ids.map(async (id) => (await store.getRunDetails(id))?.workspace !== null));
    assert.deepEqual(left, [false, false, false, true, true, true]);
    assert.equal(left.filter(Boolean).length, KEEP_FAILED_WORKSPACES);
    assert.notEqual((await store.getRunDetails(other.id))?.workspace, null, 'other apps are untouched');
  });

  it('keeps the record when a volume cannot be removed, and says so', async () => {
    const store = createMemoryStore();
    await store.createApp({ name: 'web', domain: 'web.example.com', port: 3000, replicas: 1, branch: 'main' });
    for (let i = 0; i < 4; i++) {
      const run = await store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: 'a'.repeat(40) });
      await store.updateRunDetails(run.id, { workspace: JSON.stringify({ p: `ws-${i}` }) });
    }
    const warnings: string[] = [];
    await pruneKeptWorkspaces(store, { removeWorkspace: async () => { throw new Error('volume is in use'); } }, 'web', (t) => void warnings.push(t));
    assert.match(warnings.join(''), /run 1: volume is in use/);
    assert.notEqual((await store.getRunDetails(1))?.workspace, null);
  });
});
