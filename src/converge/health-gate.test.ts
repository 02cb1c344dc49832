// The one gate of apps and stack services, on the fake engine: the app's inputs first (tasks by image), then a
// stack service's (tasks by task template; a task that ends or a service that goes fails), then the options alone.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeEngine, type FakeEngineOptions } from '../adapters/docker/fake-engine.js';
import type { ServiceDefinition } from '../core/ports/engine.js';
import { Secret } from '../core/secret.js';
import { waitUntilLive, type GateOptions } from './health-gate.js';

const SERVICE = 'slipway-app-web';
const V1 = `registry.test/apps/web@sha256:${'1'.repeat(64)}`;
const V2 = `registry.test/apps/web@sha256:${'2'.repeat(64)}`;
const credentials = { serveraddress: 'registry.test', username: 'slipway', password: new Secret('pw') };

function definition(image: string, replicas = 1): ServiceDefinition {
  return { serviceName: SERVICE, image, replicas, env: {}, network: 'slipway', labels: { 'io.slipway.release': image.slice(-1) } };
}

/** The app's inputs: tasks told apart by image. */
function gate(image: string, overrides: Partial<GateOptions> = {}): GateOptions {
  return { serviceName: SERVICE, tasks: { image }, replicas: 1, since: new Date(), deadlineMs: 5_000, pollMs: 1, ...overrides };
}

/** Deploys and waits like rollout does: the gate's `since` is taken before the deploy. */
async function deployAndGate(engine: FakeEngine, image: string, overrides: Partial<GateOptions> = {}) {
  const since = new Date();
  await engine.deployService(definition(image, overrides.replicas), credentials);
  return waitUntilLive(engine, gate(image, { since, ...overrides }));
}

const fake = (options: FakeEngineOptions = {}) => new FakeEngine({ requirePinnedImages: true, ...options });

describe('health gate, app inputs', () => {
  it('passes once the new task runs, reporting each task state once', async () => {
    const engine = fake({ pollsToRun: 3 });
    const progress: string[] = [];
    assert.deepEqual(await deployAndGate(engine, V1, { onProgress: (l) => progress.push(l) }), { ok: true });
    assert.deepEqual(progress.map((l) => l.replace(/task \w+/, 'task X')), [
      '  task X: pending\n',
      '  task X: starting\n',
      '  task X: running\n',
    ]);
    assert.equal(engine.callsTo('listTasks').length, 4, 'pending, starting, starting, running');
  });

  it('waits for every replica', async () => {
    const engine = fake();
    assert.deepEqual(await deployAndGate(engine, V1, { replicas: 3 }), { ok: true });
    assert.equal(engine.tasksOf(SERVICE).filter((t) => t.state === 'running').length, 3);
  });

  it('on an update, passes only once the old task has stopped (start-first keeps it running for a while)', async () => {
    const engine = fake();
    assert.equal((await deployAndGate(engine, V1)).ok, true);
    assert.deepEqual(await deployAndGate(engine, V2), { ok: true });
    const [fresh, old] = engine.tasksOf(SERVICE);
    assert.equal(fresh?.image, V2);
    assert.equal(fresh?.state, 'running');
    assert.equal(old?.image, V1);
    assert.equal(old?.state, 'shutdown', 'nothing but the new version answers when the gate says live');
  });

  it('fails with health_gate_failed and the task error when the new task crashes', async () => {
    const engine = fake({ images: { [V2]: 'crash' } });
    await deployAndGate(engine, V1);
    const result = await deployAndGate(engine, V2);
    assert.deepEqual(result, { ok: false, kind: 'health_gate_failed', reason: 'a new task failed: task: non-zero exit (1)' });
  });

  it('fails when the health check turns the task unhealthy', async () => {
    const engine = fake({ images: { [V1]: 'unhealthy' } });
    const result = await deployAndGate(engine, V1);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.kind === 'health_gate_failed' && /unhealthy container/.test(result.reason), JSON.stringify(result));
  });

  // Without our own deadline the gate would wait forever: the test's timeout is what fails then.
  it('ends with rollout_timeout at its own deadline when the task hangs in starting (Swarm never would)', { timeout: 30_000 }, async () => {
    const engine = fake({ images: { [V2]: 'hang' } });
    await deployAndGate(engine, V1);
    const result = await deployAndGate(engine, V2, { deadlineMs: 40, pollMs: 5 });
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.kind, 'rollout_timeout');
    assert.match(result.reason, /^not live after 0 s: 0\/1 new tasks running; newest task is starting \(starting\)$/);
  });

  it('fails when Swarm paused the update, even without a failed task in sight', async () => {
    const engine = fake({ images: { [V2]: 'hang' } });
    await deployAndGate(engine, V1);
    await engine.deployService(definition(V2), credentials);
    engine.pauseUpdate(SERVICE, 'update paused due to failure or early termination of task abc');
    const result = await waitUntilLive(engine, gate(V2, { since: new Date(0) }));
    assert.deepEqual(result, {
      ok: false,
      kind: 'health_gate_failed',
      reason: 'Swarm paused the update: update paused due to failure or early termination of task abc',
    });
  });

  it('counts the still-running tasks of a rollback target: putting a spec back after a crash starts nothing new', async () => {
    const engine = fake({ images: { [V2]: 'crash' } });
    await deployAndGate(engine, V1);
    const v1Task = engine.tasksOf(SERVICE)[0];
    assert.equal((await deployAndGate(engine, V2)).ok, false);
    assert.equal(engine.tasksOf(SERVICE).find((t) => t.id === v1Task?.id)?.state, 'running', 'start-first kept v1');

    const since = new Date();
    assert.equal(await engine.deployService(definition(V1), credentials), true);
    assert.deepEqual(await waitUntilLive(engine, gate(V1, { since })), { ok: true });
    const v1Tasks = engine.tasksOf(SERVICE).filter((t) => t.image === V1);
    assert.deepEqual(v1Tasks.map((t) => [t.id, t.state]), [[v1Task?.id, 'running']], 'no new task, the old one counted');
  });

  it('ignores failed tasks of the image created before `since` (an earlier rollout), but counts its running ones', async () => {
    const engine = fake({ images: { [V1]: 'crash' } });
    await engine.deployService(definition(V1), credentials);
    await engine.listTasks(SERVICE);
    await engine.listTasks(SERVICE);
    await engine.listTasks(SERVICE); // the first task failed
    engine.script(V1, 'healthy'); // its replacement will run
    const later = new Date(Date.now() + 60_000);
    assert.deepEqual(await waitUntilLive(engine, gate(V1, { since: later })), { ok: true });
    assert.ok(engine.tasksOf(SERVICE).some((t) => t.state === 'failed'));
  });
});

const STACK_GATE = { tasks: { template: true }, endedFails: true, goneFails: true } as const;
const stackDef = (overrides: Partial<ServiceDefinition> = {}): ServiceDefinition => ({
  serviceName: 'svc', image: 'busybox:latest', replicas: 1, env: {}, network: 'net', labels: {}, ...overrides,
});
const stackGate = (overrides: Partial<GateOptions> = {}): GateOptions => ({
  ...STACK_GATE, serviceName: 'svc', replicas: 1, since: new Date(), deadlineMs: 5_000, pollMs: 0, ...overrides,
});

describe('health gate, stack inputs', () => {
  it('a scale-down is done once the surplus tasks stopped', async () => {
    const engine = new FakeEngine({ pollsToRun: 1 });
    await engine.deployService(stackDef({ replicas: 3 }), null);
    assert.deepEqual(await waitUntilLive(engine, stackGate({ replicas: 3 })), { ok: true });
    await engine.deployService(stackDef({ replicas: 1 }), null);
    assert.deepEqual(await waitUntilLive(engine, stackGate()), { ok: true });
    assert.equal(engine.tasksOf('svc').filter((t) => t.state === 'running').length, 1);
  });

  it('an update that keeps the image is judged by task template: done once the old template\'s task is gone', async () => {
    const engine = new FakeEngine({ pollsToRun: 1 });
    await engine.deployService(stackDef(), null);
    assert.deepEqual(await waitUntilLive(engine, stackGate()), { ok: true });
    const since = new Date();
    await engine.deployService(stackDef({ env: { GREETING: 'v2' } }), null);
    assert.deepEqual(await waitUntilLive(engine, stackGate({ since })), { ok: true });
    assert.deepEqual(engine.tasksOf('svc').map((t) => t.state), ['running', 'shutdown']);
    assert.ok(engine.callsTo('listTaskProgress').length > 0 && engine.callsTo('listTasks').length === 0, 'stack inputs list tasks by template');
  });

  it('a new task that ends with exit code 0 is a failure: a service must keep running', async () => {
    const engine = new FakeEngine({ pollsToRun: 1 });
    engine.scriptDefinition((d) => d.command?.[0] === 'true', 'exits');
    await engine.deployService(stackDef({ command: ['true'] }), null);
    const gate = await waitUntilLive(engine, stackGate());
    assert.equal(gate.ok, false);
    assert.match(gate.ok ? '' : gate.reason, /^a new task ended with exit code 0/);
  });

  it('fails when Swarm paused the update, and when the service is gone', async () => {
    const engine = new FakeEngine({ pollsToRun: 5 });
    await engine.deployService(stackDef(), null);
    engine.pauseUpdate('svc', 'update paused due to failure or early termination of task x');
    assert.deepEqual(await waitUntilLive(engine, stackGate()), { ok: false, kind: 'health_gate_failed', reason: 'Swarm paused the update: update paused due to failure or early termination of task x' });
    assert.deepEqual(await waitUntilLive(engine, stackGate({ serviceName: 'gone' })), { ok: false, kind: 'health_gate_failed', reason: 'the service disappeared during the deploy' });
  });
});

describe('health gate, the stack rules are options', () => {
  it('without endedFails a task that ended is not a failure: the gate waits, and times out', async () => {
    const engine = new FakeEngine({ pollsToRun: 1 });
    engine.scriptDefinition((d) => d.command?.[0] === 'true', 'exits');
    await engine.deployService(stackDef({ command: ['true'] }), null);
    const result = await waitUntilLive(engine, stackGate({ endedFails: false, deadlineMs: 20, pollMs: 5 }));
    assert.equal(result.ok ? '' : result.kind, 'rollout_timeout');
  });

  it('without goneFails a missing service is waited for until the deadline', async () => {
    const engine = new FakeEngine({ pollsToRun: 1 });
    const result = await waitUntilLive(engine, stackGate({ serviceName: 'gone', goneFails: false, deadlineMs: 20, pollMs: 5 }));
    assert.deepEqual(result, { ok: false, kind: 'rollout_timeout', reason: 'not live after 0 s: 0/1 new tasks running; no task was created' });
  });

  it('by image, an update that keeps the image counts the old template\'s running task as the new version', async () => {
    const engine = new FakeEngine({ pollsToRun: 1 });
    await engine.deployService(stackDef(), null);
    assert.deepEqual(await waitUntilLive(engine, stackGate()), { ok: true });
    const since = new Date();
    await engine.deployService(stackDef({ env: { GREETING: 'v2' } }), null);
    assert.deepEqual(await waitUntilLive(engine, { ...stackGate({ since }), tasks: { image: 'busybox:latest' } }), { ok: true });
    assert.deepEqual(engine.tasksOf('svc').map((t) => t.state), ['pending', 'running'], 'passed on the old task while the new one was pending: why stacks judge by template');
  });
});
