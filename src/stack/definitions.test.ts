import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stackNetworkName, stackServiceName, STACK_NAME } from '../core/naming.js';
import { composeNameOf } from '../converge/stack-plan.js';
import { stackPlan } from './definitions.js';
import { defaultService } from './defaults.js';
import type { StackService } from './model.js';

const service = (name: string, overrides: Partial<StackService> = {}): StackService => ({ ...defaultService(name, 'busybox:latest'), ...overrides });

describe('stack definitions', () => {
  it('names, labels, network alias and per-service settings', () => {
    const plan = stackPlan(
      { files: ['compose.yaml'], networks: {}, volumes: {}, configs: {}, secrets: {}, services: [service('web', { command: ['httpd'], labels: { team: 'a' }, deployLabels: { tier: 'front' }, environment: { A: '1' }, replicas: 2 })] },
      { instance: 'slipway', app: 'shop', stack: 'backend' },
    );
    assert.equal(plan.network, 'slipway-stack-shop_backend');
    const own = { 'io.slipway.instance': 'slipway', 'io.slipway.app': 'shop', 'io.slipway.stack': 'backend' };
    assert.deepEqual(plan.labels, { ...own, 'com.docker.stack.namespace': 'slipway-stack-shop_backend' });
    const [web] = plan.services;
    assert.deepEqual(web, {
      serviceName: 'slipway-stack-shop_backend_web',
      image: 'busybox:latest',
      replicas: 2,
      env: { A: '1' },
      network: 'slipway-stack-shop_backend',
      labels: { tier: 'front', ...own, 'io.slipway.stack.service': 'web', 'com.docker.stack.namespace': 'slipway-stack-shop_backend' },
      containerLabels: { team: 'a', ...own, 'io.slipway.stack.service': 'web', 'com.docker.stack.namespace': 'slipway-stack-shop_backend' },
      entrypoint: null,
      command: ['httpd'],
      healthcheck: null,
      aliases: ['web'],
    });
    assert.equal(composeNameOf(web!), 'web');
  });

  it('names never collide across apps and stacks, and fit Swarm\'s 63 characters', () => {
    // "-" may be in app and stack names, "_" never: a-b/c and a/b-c differ.
    assert.notEqual(stackServiceName('slipway', 'a-b', 'c', 'web'), stackServiceName('slipway', 'a', 'b-c', 'web'));
    const long = stackServiceName('slipway-production1', 'a'.repeat(32), 'b'.repeat(32), 'worker');
    assert.equal(long.length, 63);
    assert.match(long, /^slipway-production1-stack-a{28}-[0-9a-f]{8}$/);
    assert.equal(long, stackServiceName('slipway-production1', 'a'.repeat(32), 'b'.repeat(32), 'worker'), 'stable');
    assert.notEqual(long, stackServiceName('slipway-production1', 'a'.repeat(32), 'b'.repeat(32), 'worker2'));
    assert.ok(stackNetworkName('slipway-production1', 'a'.repeat(32), 'b'.repeat(32)).length <= 63);
    assert.ok(/^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$/.test(long), 'valid as a Swarm name');
  });

  it('stack names: lowercase letters, digits and "-", 1–32, as validated by the pipeline reader', () => {
    for (const ok of ['b', 'backend', 'db-1', 'a'.repeat(32)]) assert.ok(STACK_NAME.test(ok), ok);
    for (const bad of ['', 'Backend', '1db', 'db-', 'a_b', 'a.b', 'a'.repeat(33)]) assert.ok(!STACK_NAME.test(bad), bad);
  });
});
