// A whole compose model deployed on the fake engine: configs and secrets by content, networks with options, checks
// before anything changes, tags pinned to digests, and the whole stack put back with the failing service's log.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAKE_NODE, FakeEngine } from '../adapters/docker/fake-engine.js';
import { FakeRegistry } from '../adapters/registry/fake-registry.js';
import { SlipwayError } from '../core/errors.js';
import { stackPlanWithSecrets } from '../stack/definitions.js';
import { defaultService } from '../stack/defaults.js';
import type { ComposeStack, StackService } from '../stack/model.js';
import { deployStack } from './stack-rollout.js';

const P = 'slipway-stack-shop_backend';
const TARGET = { instance: 'slipway', app: 'shop', stack: 'backend' };
const svc = (name: string, o: Partial<StackService> = {}): StackService => ({ ...defaultService(name, 'busybox:latest'), command: ['httpd', '-f'], ...o });

function model(services: StackService[], extra: Partial<ComposeStack> = {}): ComposeStack {
  return { files: ['compose.yaml'], services, networks: {}, volumes: {}, configs: {}, secrets: {}, ...extra };
}

function world(options: ConstructorParameters<typeof FakeEngine>[0] = {}) {
  const engine = new FakeEngine({ pollsToRun: 1, logs: { 'busybox:latest': ['starting', 'config missing: /etc/site.conf'] }, ...options });
  engine.scriptDefinition((d) => d.healthcheck?.test[1] === 'false', 'unhealthy');
  const registry = new FakeRegistry();
  const log: string[] = [];
  const deploy = (compose: ComposeStack, contents: { configs?: Record<string, string>; secrets?: Record<string, string> } = {}) => {
    const asBuffers = (m: Record<string, string> = {}) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Buffer.from(v)]));
    const { plan, secretData } = stackPlanWithSecrets(compose, TARGET, { contents: { configs: asBuffers(contents.configs), secrets: asBuffers(contents.secrets) }, routingMesh: false });
    return deployStack(plan, {
      engine, registry, secretData, deadlineMs: 5000, pollMs: 0, log: (t) => log.push(t),
      credentialsFor: (image) => (image.startsWith(`${registry.address}/`) ? registry.credentials() : null),
    });
  };
  return { engine, registry, log, deploy };
}

const site = { source: 'site', target: '/etc/site.conf', uid: null, gid: null, mode: null };
const withConfig = (services: StackService[]): Partial<ComposeStack> => ({ configs: { site: { source: { kind: 'file', path: 'site.conf' }, labels: {} } }, ...{ services } });
const rejectsWith = (kind: SlipwayError['kind'], message: RegExp) => (err: unknown) => {
  assert.ok(err instanceof SlipwayError, String(err));
  assert.equal(err.kind, kind, err.message);
  assert.match(err.message, message);
  return true;
};

describe('stack deploy: Swarm objects', () => {
  it('changing a config rolls exactly the services that use it, and the old version is removed after success', async () => {
    const w = world();
    const services = [svc('web', { configs: [site] }), svc('worker')];
    const compose = model(services, withConfig(services));
    await w.deploy(compose, { configs: { site: 'v1' } });
    const [first] = await w.engine.listSwarmFiles('config', { 'io.slipway.stack': 'backend' });
    assert.match(first?.name ?? '', new RegExp(`^${P}_site_[0-9a-f]{12}$`));
    assert.equal(w.engine.swarmFileData('config', first!.name)?.toString(), 'v1');
    const calls = w.engine.callsTo('deployService').length;
    await w.deploy(compose, { configs: { site: 'v2' } });
    assert.deepEqual(w.engine.callsTo('deployService').slice(calls).map((c) => `${c.definition.serviceName.slice(P.length + 1)}:${c.changed}`), ['web:true', 'worker:false']);
    const now = await w.engine.listSwarmFiles('config', { 'io.slipway.stack': 'backend' });
    assert.equal(now.length, 1);
    assert.notEqual(now[0]?.name, first?.name);
    assert.equal(w.engine.swarmFileData('config', now[0]!.name)?.toString(), 'v2');
    assert.match(w.log.join(''), new RegExp(`removed config ${first!.name}: no service of the stack uses it any more`));
  });

  it('secrets are created from the values passed beside the plan; networks with their options (encrypted overlay)', async () => {
    const w = world();
    const services = [svc('db', { secrets: [{ source: 'pw', target: '/run/secrets/pw', uid: null, gid: null, mode: 0o400 }], networks: [{ network: 'back', aliases: [] }] })];
    await w.deploy(model(services, {
      secrets: { pw: { source: { kind: 'slipway', secret: 'DB_PASSWORD' }, labels: {} } },
      networks: { back: { external: false, name: null, driver: 'overlay', attachable: false, internal: true, driverOpts: { encrypted: '' }, ipam: null, labels: {} } },
    }), { secrets: { pw: 'hunter2' } });
    const [secret] = await w.engine.listSwarmFiles('secret', {});
    assert.equal(w.engine.swarmFileData('secret', secret!.name)?.toString(), 'hunter2');
    assert.deepEqual(w.engine.networkOptions(`${P}_back`), { attachable: false, internal: true, driverOpts: { encrypted: '' }, ipam: null });
    assert.deepEqual(w.engine.definitionOf(`${P}_db`)?.secrets, [{ name: secret!.name, target: 'pw', uid: '0', gid: '0', mode: 0o400 }]);
    assert.match(w.log.join(''), /network slipway-stack-shop_backend_back created \(encrypted\)/);
  });

  it('refused before anything changes: a missing external network, volume or secret, a placement no node satisfies, a taken port', async () => {
    const w = world();
    await w.engine.deployService({ serviceName: 'other', image: 'busybox:latest', replicas: 1, env: {}, network: 'x', labels: {}, ports: [{ target: 80, published: 8080, protocol: 'tcp', mode: 'host' }] }, null);
    const services = [svc('web', {
      networks: [{ network: 'outside', aliases: [] }], mounts: [{ type: 'volume', source: 'old', target: '/old', readOnly: false, noCopy: false }],
      secrets: [{ source: 'tok', target: '/run/secrets/tok', uid: null, gid: null, mode: null }],
      placement: { constraints: ['node.labels.zone == eu'], preferences: [], maxReplicasPerNode: null },
      ports: [{ target: 80, published: 8080, protocol: 'tcp', mode: 'host' }],
    })];
    const calls = w.engine.calls.length;
    await assert.rejects(w.deploy(model(services, {
      networks: { outside: { external: true, name: 'corp-net', driver: 'overlay', attachable: false, internal: false, driverOpts: {}, ipam: null, labels: {} } },
      volumes: { old: { external: true, name: 'legacy-data', driver: null, driverOpts: {}, labels: {} } },
      secrets: { tok: { source: { kind: 'external', name: 'api-token' }, labels: {} } },
    })), rejectsWith('invalid_input', /external network corp-net \(networks\.outside\) does not exist; external volume legacy-data .*; external secret api-token .*; service web: no ready node satisfies its placement \(node\.labels\.zone == eu\); service web: port 8080\/tcp is already published by other/));
    assert.deepEqual(w.engine.calls.slice(calls).filter((c) => ['deployService', 'ensureNetworkWith', 'ensureSwarmFile'].includes(c.method)), []);

    w.engine.addExternal('network', 'corp-net');
    w.engine.addExternal('volume', 'legacy-data');
    w.engine.addExternal('secret', 'api-token');
    const ok = [svc('web', { ...services[0], placement: { constraints: ['node.role==manager'], preferences: [], maxReplicasPerNode: null }, ports: [] })];
    await w.deploy(model(ok, {
      networks: { outside: { external: true, name: 'corp-net', driver: 'overlay', attachable: false, internal: false, driverOpts: {}, ipam: null, labels: {} } },
      volumes: { old: { external: true, name: 'legacy-data', driver: null, driverOpts: {}, labels: {} } },
      secrets: { tok: { source: { kind: 'external', name: 'api-token' }, labels: {} } },
    }));
    assert.equal(w.engine.definitionOf(`${P}_web`)?.network, 'corp-net');
  });

  it('one failing service puts the whole stack back; the error quotes its last log lines; what the deploy created goes again', async () => {
    const w = world();
    await w.deploy(model([svc('web'), svc('worker')]));
    const services = [svc('web', { environment: { V: '2' } }), svc('worker', { configs: [site], healthcheck: { test: ['CMD', 'false'], intervalMs: 1000, timeoutMs: null, retries: 1, startPeriodMs: null } })];
    const err = await w.deploy(model(services, withConfig(services)), { configs: { site: 'x' } }).catch((e: unknown) => e);
    assert.ok(err instanceof SlipwayError);
    assert.match(err.message, /service worker did not become healthy: .*\nlast log lines of worker:\n {2}starting\n {2}config missing: \/etc\/site.conf/);
    assert.deepEqual(w.engine.definitionOf(`${P}_web`)?.env, {}, 'web, which was healthy, is put back too');
    assert.deepEqual(await w.engine.listSwarmFiles('config', {}), [], 'the config this deploy created is removed');
  });

  it('a global service runs one task per node that may run it, and the gate waits for all of them', async () => {
    const node2 = { ...FAKE_NODE, id: 'node2', hostname: 'two', role: 'worker' as const };
    const w = world({ nodes: [FAKE_NODE, node2] });
    await w.deploy(model([svc('agent', { mode: 'global' })]));
    assert.equal(w.engine.tasksOf(`${P}_agent`).filter((t) => t.state === 'running').length, 2);
    assert.match(w.log.join(''), /agent runs 2 healthy task\(s\)/);
    // Put back: the gate waits for a task on every node again (the spec of a global service has no count).
    const sick = { test: ['CMD', 'false'], intervalMs: 1000, timeoutMs: null, retries: 1, startPeriodMs: null };
    await assert.rejects(w.deploy(model([svc('agent', { mode: 'global', healthcheck: sick })])));
    assert.match(w.log.join(''), /agent: previous spec put back and running/);
    assert.equal(w.engine.tasksOf(`${P}_agent`).filter((t) => t.state === 'running' && t.desiredState === 'running').length, 2);
  });

  it("tags become digests: Slipway's registry through the registry port, other registries through the engine; a local-only image is used as given, said in the log", async () => {
    const w = world({ registryDigests: { 'redis:7': `sha256:${'b'.repeat(64)}` } });
    const digest = w.registry.publish('apps/api', 'main');
    await w.deploy(model([svc('api', { image: `${w.registry.address}/apps/api:main` }), svc('cache', { image: 'redis:7' }), svc('tool')]));
    assert.equal(w.engine.definitionOf(`${P}_api`)?.image, `${w.registry.address}/apps/api:main@${digest}`);
    assert.equal(w.engine.definitionOf(`${P}_cache`)?.image, `redis:7@sha256:${'b'.repeat(64)}`);
    assert.equal(w.engine.definitionOf(`${P}_tool`)?.image, 'busybox:latest');
    assert.match(w.log.join(''), /note: busybox:latest: no registry gave its digest .*using the image this engine has locally, as given/);
    assert.deepEqual(w.engine.callsTo('deployService').map((c) => c.withCredentials), [true, false, false]);
  });
});

describe('removing an app\'s stacks', () => {
  it('removes services, configs, secrets and networks of every stack, and keeps named volumes (data)', async () => {
    const { removeAppStacks } = await import('./stack-removal.js');
    const w = world();
    const services = [svc('db', {
      configs: [site], secrets: [{ source: 'pw', target: '/run/secrets/pw', uid: null, gid: null, mode: null }],
      mounts: [{ type: 'volume', source: 'data', target: '/data', readOnly: false, noCopy: false }],
    })];
    await w.deploy(model(services, {
      ...withConfig(services),
      secrets: { pw: { source: { kind: 'content', text: 'x' }, labels: {} } },
      volumes: { data: { external: false, name: null, driver: null, driverOpts: {}, labels: {} } },
    }), { configs: { site: 'a' } });
    await removeAppStacks(w.engine, 'slipway', 'shop');
    assert.deepEqual(await w.engine.listSwarmFiles('config', {}), []);
    assert.deepEqual(await w.engine.listSwarmFiles('secret', {}), []);
    assert.deepEqual([...w.engine.networks().keys()], []);
    assert.deepEqual((await w.engine.listVolumes({})).map((v) => v.name), [`${P}_data`]);
  });
});
