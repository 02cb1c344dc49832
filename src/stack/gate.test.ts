import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeEngine } from '../adapters/docker/fake-engine.js';
import type { ServiceDefinition } from '../core/ports/engine.js';
import { waitUntilConverged, type ConvergeOptions } from './gate.js';

const def = (overrides: Partial<ServiceDefinition> = {}): ServiceDefinition => ({
  serviceName: 'svc', image: 'busybox:latest', replicas: 1, env: {}, network: 'net', labels: {}, ...overrides,
});
const opts = (overrides: Partial<ConvergeOptions> = {}): ConvergeOptions => ({ serviceName: 'svc', replicas: 1, since: new Date(), deadlineMs: 5_000, pollMs: 0, ...overrides });

describe('stack service gate', () => {
  it('a scale-down is done once the surplus tasks stopped', async () => {
    const engine = new FakeEngine({ pollsToRun: 1 });
    await engine.deployService(def({ replicas: 3 }), null);
    assert.deepEqual(await waitUntilConverged(engine, opts({ replicas: 3 })), { ok: true });
    await engine.deployService(def({ replicas: 1 }), null);
    assert.deepEqual(await waitUntilConverged(engine, opts()), { ok: true });
    assert.equal(engine.tasksOf('svc').filter((t) => t.state === 'running').length, 1);
  });

  it('a new task that ends with exit code 0 is a failure: a service must keep running', async () => {
    const engine = new FakeEngine({ pollsToRun: 1 });
    engine.scriptDefinition((d) => d.command?.[0] === 'true', 'exits');
    await engine.deployService(def({ command: ['true'] }), null);
    const gate = await waitUntilConverged(engine, opts());
    assert.equal(gate.ok, false);
    assert.match(gate.ok ? '' : gate.reason, /^a new task ended with exit code 0/);
  });

  it('fails when Swarm paused the update, and when the service is gone', async () => {
    const engine = new FakeEngine({ pollsToRun: 5 });
    await engine.deployService(def(), null);
    engine.pauseUpdate('svc', 'update paused due to failure or early termination of task x');
    assert.deepEqual(await waitUntilConverged(engine, opts()), { ok: false, kind: 'health_gate_failed', reason: 'Swarm paused the update: update paused due to failure or early termination of task x' });
    assert.deepEqual(await waitUntilConverged(engine, opts({ serviceName: 'gone' })), { ok: false, kind: 'health_gate_failed', reason: 'the service disappeared during the deploy' });
  });
});
