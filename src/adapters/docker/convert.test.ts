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

/** Every Swarm setting a stack service may carry. */
const full: ServiceDefinition = {
  ...stack,
  mode: 'replicated',
  moreNetworks: [{ network: 'back', aliases: ['db-client'] }],
  mounts: [
    { type: 'volume', source: 'st_data', target: '/data', readOnly: false, noCopy: true, volumeOptions: { driver: 'local', driverOpts: { type: 'tmpfs', device: 'tmpfs' }, labels: { a: 'b' } } },
    { type: 'volume', source: 'st_plain', target: '/plain', readOnly: true, noCopy: false, volumeOptions: null },
    { type: 'bind', source: '/srv/x', target: '/x', readOnly: true },
    { type: 'tmpfs', target: '/tmp', sizeBytes: 1 << 20, mode: 0o1777 },
  ],
  configs: [{ name: 'st_conf_abc', target: '/etc/app.conf', uid: '0', gid: '0', mode: 0o444 }],
  secrets: [{ name: 'st_pw_def', target: 'pw', uid: '1000', gid: '1000', mode: 0o400 }],
  ports: [{ target: 80, published: 8080, protocol: 'tcp', mode: 'host' }, { target: 53, published: null, protocol: 'udp', mode: 'ingress' }],
  placement: { constraints: ['node.role == manager'], preferences: ['node.labels.zone'], maxReplicasPerNode: 2 },
  resources: { limits: { nanoCpus: 5e8, memoryBytes: 64 << 20, pids: 100 }, reservations: { nanoCpus: null, memoryBytes: 16 << 20 } },
  restartPolicy: { condition: 'on-failure', delayMs: 5000, maxAttempts: 3, windowMs: 60_000 },
  updateConfig: { parallelism: 2, delayMs: 1000, failureAction: 'pause', monitorMs: 3000, maxFailureRatio: 0.5, order: 'stop-first' },
  rollbackConfig: { parallelism: 1, delayMs: 0, failureAction: 'continue', monitorMs: 5000, maxFailureRatio: 0, order: 'start-first' },
  endpointMode: 'vip',
  user: '1000:1000', workingDir: '/srv', hostname: 'api-host', hosts: ['10.0.0.9 db.local'],
  dns: { servers: ['10.0.0.2'], search: ['corp'], options: ['ndots:2'] },
  init: true, readOnly: true, stopGracePeriodMs: 3000, stopSignal: 'SIGINT',
  ulimits: { nofile: { soft: 1024, hard: 2048 } }, sysctls: { 'net.core.somaxconn': '1024' },
  capAdd: ['NET_ADMIN'], capDrop: ['MKNOD'], logDriver: { name: 'json-file', options: { 'max-size': '10m' } },
};

describe('service spec mapping', () => {
  it('every Swarm setting survives the trip through a ServiceSpec, and each one is a change of its own', () => {
    const spec = toServiceSpec(full);
    assert.deepEqual(fromServiceSpec(spec), normalizeDefinition(full));
    assert.ok(specMatches(spec, fromServiceSpec(spec)));
    const changes: Array<Partial<ServiceDefinition>> = [
      { mode: 'global' }, { moreNetworks: [] }, { mounts: full.mounts?.slice(1) }, { configs: [] }, { secrets: [] }, { ports: [] },
      { placement: { constraints: [], preferences: [], maxReplicasPerNode: null } }, { resources: { limits: null, reservations: null } },
      { restartPolicy: undefined }, { updateConfig: undefined }, { rollbackConfig: undefined }, { endpointMode: 'dnsrr' }, { user: null },
      { workingDir: null }, { hostname: null }, { hosts: [] }, { dns: undefined }, { init: false }, { readOnly: false }, { stopGracePeriodMs: 10_000 },
      { stopSignal: null }, { ulimits: {} }, { sysctls: {} }, { capAdd: [] }, { capDrop: [] }, { logDriver: null },
    ];
    for (const change of changes) assert.ok(!specMatches(spec, { ...full, ...change }), JSON.stringify(change));
  });

  it('a global service has no replica count; the spec says Global', () => {
    const spec = toServiceSpec({ ...full, mode: 'global' });
    assert.deepEqual(spec.Mode, { Global: {} });
    assert.equal(fromServiceSpec(spec).replicas, 0);
  });

  it('what Swarm leaves out when a value is zero reads back the same (absent = default)', () => {
    const def: ServiceDefinition = { ...app, resources: { limits: { nanoCpus: 0, memoryBytes: null, pids: null }, reservations: null }, mounts: [{ type: 'volume', source: 'v', target: '/v', readOnly: false, noCopy: false, volumeOptions: { driver: null, driverOpts: {}, labels: {} } }] };
    assert.deepEqual(fromServiceSpec(toServiceSpec(def)), normalizeDefinition(def));
    assert.ok(specMatches(toServiceSpec(app), { ...app, resources: { limits: null, reservations: null } }));
  });

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
