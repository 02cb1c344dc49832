// The pure Swarm mapping: a service definition survives the trip through a ServiceSpec, and a task is told to
// run its service's template from the parts Swarm copies into it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServiceDefinition } from '../../core/ports/engine.js';
import { fromServiceSpec, normalizeDefinition, specMatches, templateKey, toServiceSpec } from './convert.js';

const app: ServiceDefinition = {
  serviceName: 'slipway-app-web', image: 'reg/apps/web@sha256:1', replicas: 2, env: { PORT: '3000', B: 'x=y' }, network: 'slipway',
  labels: { 'io.slipway.app': 'web' },
};
const stack: ServiceDefinition = {
  ...app,
  serviceName: 'slipway-stack-web_backend_api',
  entrypoint: ['sh', '-c'],
  command: ['exec httpd -f'],
  healthcheck: { test: ['CMD-SHELL', 'true'], intervalMs: 1000, timeoutMs: null, retries: 2, startPeriodMs: 30_000 },
  aliases: ['api'],
  containerLabels: { team: 'a' },
};

describe('service spec mapping', () => {
  it("an app's spec has none of the stack fields, so existing services are not updated by an upgrade", () => {
    const cs = (toServiceSpec(app).TaskTemplate as { ContainerSpec: Record<string, unknown> }).ContainerSpec;
    assert.deepEqual(Object.keys(cs).sort(), ['Env', 'Image', 'Labels', 'StopGracePeriod']);
    assert.deepEqual((toServiceSpec(app).TaskTemplate as { Networks: unknown }).Networks, [{ Target: 'slipway' }]);
  });

  it('writes the stack fields where Swarm wants them, in nanoseconds', () => {
    const tt = toServiceSpec(stack).TaskTemplate as { ContainerSpec: Record<string, unknown>; Networks: unknown };
    assert.deepEqual(tt.ContainerSpec.Command, ['sh', '-c']);
    assert.deepEqual(tt.ContainerSpec.Args, ['exec httpd -f']);
    assert.deepEqual(tt.ContainerSpec.Labels, { team: 'a' });
    assert.deepEqual(tt.ContainerSpec.Healthcheck, { Test: ['CMD-SHELL', 'true'], Interval: 1e9, Retries: 2, StartPeriod: 30e9 });
    assert.deepEqual(tt.Networks, [{ Target: 'slipway', Aliases: ['api'] }]);
  });

  it('fromServiceSpec inverts toServiceSpec, and the result matches the spec it came from', () => {
    for (const def of [app, stack]) {
      const back = fromServiceSpec(toServiceSpec(def));
      assert.deepEqual(back, normalizeDefinition(def));
      assert.ok(specMatches(toServiceSpec(def), back));
    }
  });

  it('any change of command, health check, alias or container label is a change', () => {
    const spec = toServiceSpec(stack);
    assert.ok(!specMatches(spec, { ...stack, command: ['other'] }));
    assert.ok(!specMatches(spec, { ...stack, healthcheck: { ...stack.healthcheck!, retries: 3 } }));
    assert.ok(!specMatches(spec, { ...stack, aliases: ['api2'] }));
    assert.ok(!specMatches(spec, { ...stack, containerLabels: {} }));
    assert.ok(specMatches(spec, { ...stack }));
  });

  it("a task's Spec (which lacks StopGracePeriod, RestartPolicy, Runtime) has its service template's key", () => {
    const template = toServiceSpec(stack).TaskTemplate as Record<string, unknown>;
    const { RestartPolicy: _r, ...rest } = template;
    const cs = { ...(rest.ContainerSpec as Record<string, unknown>) };
    delete cs.StopGracePeriod;
    const taskSpec = { ...rest, ContainerSpec: { ...cs, Isolation: 'default' } };
    assert.equal(templateKey(taskSpec), templateKey({ ...template, Runtime: 'container' }));
    const older = toServiceSpec({ ...stack, command: ['old'] }).TaskTemplate;
    assert.notEqual(templateKey(older), templateKey(template));
  });
});
