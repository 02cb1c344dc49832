// The one put-back on the fake engine: remove what a rollout created, or give a service its previous definition
// back and wait until it runs again, judged by image (apps) or by task template (stack services).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeEngine } from '../adapters/docker/fake-engine.js';
import type { ServiceDefinition } from '../core/ports/engine.js';
import { waitUntilLive } from './health-gate.js';
import { putBackService, type PutBackOptions } from './put-back.js';

const def = (overrides: Partial<ServiceDefinition> = {}): ServiceDefinition => ({
  serviceName: 'svc', image: 'busybox:1', replicas: 1, env: {}, network: 'net', labels: {}, command: ['httpd', '-f'], ...overrides,
});
const opts = (before: ServiceDefinition | null, overrides: Partial<PutBackOptions['gate']> = {}): PutBackOptions => ({
  serviceName: 'svc', before, credentials: null, gate: { tasks: { template: true }, deadlineMs: 5_000, pollMs: 0, ...overrides },
});
const running = (engine: FakeEngine) => engine.tasksOf('svc').filter((t) => t.state === 'running');

async function deployed(engine: FakeEngine, d: ServiceDefinition): Promise<void> {
  const since = new Date();
  await engine.deployService(d, null);
  await waitUntilLive(engine, { serviceName: d.serviceName, tasks: { template: true }, replicas: d.replicas, since, deadlineMs: 5_000, pollMs: 0 });
}

describe('put-back', () => {
  it('removes a service the rollout created (nothing to put back)', async () => {
    const engine = new FakeEngine({ pollsToRun: 1 });
    await engine.deployService(def(), null);
    assert.deepEqual(await putBackService(engine, opts(null)), { ok: true });
    assert.equal(engine.definitionOf('svc'), null);
  });

  it('an app (by image): the previous image runs again, and the failed version\'s tasks are gone', async () => {
    const engine = new FakeEngine({ pollsToRun: 1, images: { 'busybox:2': 'hang' } });
    await deployed(engine, def());
    await engine.deployService(def({ image: 'busybox:2' }), null);
    assert.deepEqual(await putBackService(engine, opts(def(), { tasks: { image: 'busybox:1' } })), { ok: true });
    assert.equal(engine.definitionOf('svc')?.image, 'busybox:1');
    assert.deepEqual(running(engine).map((t) => t.image), ['busybox:1']);
    assert.ok(engine.tasksOf('svc').every((t) => t.image === 'busybox:1' || t.state !== 'running'));
  });

  it('a stack service (by template): the previous command runs again though the image is the same', async () => {
    const engine = new FakeEngine({ pollsToRun: 1 });
    engine.scriptDefinition((d) => d.command?.[0] === 'hang', 'hang');
    await deployed(engine, def());
    await engine.deployService(def({ command: ['hang'] }), null);
    assert.deepEqual(await putBackService(engine, opts(def())), { ok: true });
    assert.deepEqual(engine.definitionOf('svc')?.command, ['httpd', '-f']);
    assert.equal(running(engine).length, 1);
  });

  it('a previous version that does not run again, or an engine failure, is a failed result, not a throw', async () => {
    const engine = new FakeEngine({ pollsToRun: 1, images: { 'busybox:1': 'crash' } });
    await engine.deployService(def({ image: 'busybox:2' }), null);
    const crashed = await putBackService(engine, opts(def(), { tasks: { image: 'busybox:1' } }));
    assert.deepEqual(crashed, { ok: false, kind: 'health_gate_failed', reason: 'a new task failed: task: non-zero exit (1)' });
    engine.failNext('deployService', new Error('dockerd went away'));
    assert.deepEqual(await putBackService(engine, opts(def({ image: 'busybox:3' }))), { ok: false, kind: 'health_gate_failed', reason: 'dockerd went away' });
  });
});
