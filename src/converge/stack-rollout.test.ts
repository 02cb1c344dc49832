// Stack rollouts on the fake engine: create, update only what changed, put everything back on failure, prune.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeDefinition } from '../adapters/docker/convert.js';
import { FakeEngine } from '../adapters/docker/fake-engine.js';
import { SlipwayError } from '../core/errors.js';
import type { ServiceDefinition } from '../core/ports/engine.js';
import { Secret } from '../core/secret.js';
import { STACK_LABEL, STACK_SERVICE_LABEL, appStackLabels, type StackPlan } from './stack-plan.js';
import { removeAppStacks } from './stack-removal.js';
import { deployStack, type StackDeployContext } from './stack-rollout.js';

const TARGET = { instance: 'slipway', app: 'shop', stack: 'backend' };
const NET = 'slipway-stack-shop_backend';
const name = (svc: string) => `slipway-stack-shop_backend_${svc}`;
const credentials = { serveraddress: '127.0.0.1:5000', username: 'slipway', password: new Secret('pw') };
const NEVER_HEALTHY = { test: ['CMD', 'false'], intervalMs: 1000, timeoutMs: null, retries: 1, startPeriodMs: null };

type Svc = Pick<ServiceDefinition, 'image' | 'command' | 'env' | 'replicas' | 'healthcheck'> & { readonly name: string };
const svc = (n: string, overrides: Partial<Svc> = {}): Svc => ({
  name: n, image: 'busybox:latest', command: ['httpd', '-f'], env: {}, replicas: 1, healthcheck: null, ...overrides,
});
/** A stack's plan as stack/definitions.ts makes one from a compose file (names, labels, network, aliases). */
function plan(services: readonly Svc[], stack = TARGET.stack): StackPlan {
  const network = `slipway-stack-shop_${stack}`;
  const labels = { ...appStackLabels(TARGET.instance, TARGET.app), [STACK_LABEL]: stack };
  return {
    name: stack, network, labels: { ...labels, 'com.docker.stack.namespace': network },
    services: services.map(({ name: n, ...s }) => {
      const own = { ...labels, [STACK_SERVICE_LABEL]: n, 'com.docker.stack.namespace': network };
      return { ...s, serviceName: `${network}_${n}`, network, labels: own, containerLabels: own, entrypoint: null, aliases: [n] };
    }),
  };
}

function world(deadlineMs = 5_000) {
  const engine = new FakeEngine({ pollsToRun: 1 });
  // A test's "never healthy" health check: Swarm fails such tasks as unhealthy.
  engine.scriptDefinition((d) => d.healthcheck?.test[1] === 'false', 'unhealthy');
  engine.scriptDefinition((d) => d.command?.[0] === 'hang', 'hang');
  const log: string[] = [];
  const ctx: StackDeployContext = {
    engine,
    credentialsFor: (image) => (image.startsWith('127.0.0.1:5000/') ? credentials : null),
    deadlineMs,
    pollMs: 0,
    log: (t) => log.push(t),
  };
  return { engine, log, ctx, deploy: (...services: Svc[]) => deployStack(plan(services), ctx) };
}

const changedNow = (engine: FakeEngine, from: number) =>
  engine.callsTo('deployService').slice(from).map((c) => `${c.definition.serviceName.replace(name(''), '')}:${c.changed}`);
const running = (engine: FakeEngine, svcName: string) => engine.tasksOf(name(svcName)).filter((t) => t.state === 'running');
const rejectsWith = (kind: SlipwayError['kind'], message: RegExp) => (err: unknown) => {
  assert.ok(err instanceof SlipwayError, String(err));
  assert.equal(err.kind, kind, err.message);
  assert.match(err.message, message);
  return true;
};

describe('stack deploy', () => {
  it('creates the network and every service, each on it under its compose name, and waits until they run', async () => {
    const w = world();
    await w.deploy(svc('web'), svc('client', { command: ['sleep', '3600'] }));
    assert.deepEqual([...w.engine.networks().keys()], [NET]);
    const web = w.engine.definitionOf(name('web')) as ServiceDefinition;
    assert.equal(web.network, NET);
    assert.deepEqual(web.aliases, ['web']);
    assert.equal(running(w.engine, 'web').length, 1);
    assert.equal(running(w.engine, 'client').length, 1);
    assert.match(w.log.join(''), /web: created\n[^]*client: created\n[^]*web runs 1 healthy task\(s\)[^]*stack backend is live/);
    assert.deepEqual(w.engine.callsTo('deployService').map((c) => c.withCredentials), [false, false], 'no registry password for busybox');
  });

  it('a second deploy updates only the service that changed and waits until its old task is gone', async () => {
    const w = world();
    await w.deploy(svc('web'), svc('client'));
    const webTask = running(w.engine, 'web')[0]?.id;
    const from = w.engine.calls.length;
    const calls = w.engine.callsTo('deployService').length;
    await w.deploy(svc('web'), svc('client', { env: { GREETING: 'v2' } }));
    assert.deepEqual(changedNow(w.engine, calls), ['web:false', 'client:true']);
    const polled = new Set(w.engine.calls.slice(from).flatMap((c) => (c.method === 'listTaskProgress' ? [c.serviceName] : [])));
    assert.deepEqual([...polled], [name('client')], 'an unchanged service is not gated');
    assert.deepEqual(running(w.engine, 'web').map((t) => t.id), [webTask]);
    const client = w.engine.tasksOf(name('client'));
    assert.deepEqual(client.map((t) => t.state), ['running', 'shutdown'], 'same image, new template: the old task is gone');
    assert.match(w.log.join(''), /web: unchanged/);
  });

  it('a service that never becomes healthy: changed services get their previous spec back, new ones are removed', async () => {
    const w = world();
    await w.deploy(svc('web'), svc('client'));
    const before = w.engine.definitionOf(name('web'));
    const oldTask = running(w.engine, 'web')[0]?.id;
    await assert.rejects(
      w.deploy(svc('web', { healthcheck: NEVER_HEALTHY }), svc('client'), svc('extra')),
      rejectsWith('health_gate_failed', /^stack backend: service web did not become healthy: a new task failed: .*unhealthy container/),
    );
    assert.deepEqual(w.engine.definitionOf(name('web')), normalizeDefinition(before!));
    assert.deepEqual(running(w.engine, 'web').map((t) => t.id), [oldTask], 'start-first kept the old task serving throughout');
    assert.equal(w.engine.definitionOf(name('extra')), null, 'the service this deploy created is gone');
    assert.equal(running(w.engine, 'client').length, 1);
    assert.deepEqual([...w.engine.networks().keys()], [NET], 'the stack still has services on its network');
    assert.match(w.log.join(''), /web: previous spec put back and running\n[^]*removed the new service\(s\) extra/);
  });

  it('the error hint says what was undone and where to look', async () => {
    const w = world();
    await w.deploy(svc('web'));
    const err = await w.deploy(svc('web', { healthcheck: NEVER_HEALTHY }), svc('extra')).catch((e: unknown) => e);
    assert.ok(err instanceof SlipwayError);
    assert.match(err.hint ?? '', /^web put back; new extra removed: the stack runs what it ran before; see why with `docker service logs slipway-stack-shop_backend_web`/);
  });

  it('a failed first deploy leaves nothing behind: services and network removed', async () => {
    const w = world();
    await assert.rejects(w.deploy(svc('web'), svc('bad', { healthcheck: NEVER_HEALTHY })), rejectsWith('health_gate_failed', /service bad/));
    assert.deepEqual(await w.engine.listServices({ 'io.slipway.app': 'shop' }), []);
    assert.deepEqual([...w.engine.networks().keys()], []);
  });

  it('our own deadline: a task that never starts fails the deploy as a timeout, and is put back', async () => {
    const w = world(50);
    await w.deploy(svc('web'));
    await assert.rejects(w.deploy(svc('web', { command: ['hang'] })), rejectsWith('rollout_timeout', /service web did not become healthy: not live after 0 s: 0\/1 new tasks running; newest task is starting/));
    assert.deepEqual(w.engine.definitionOf(name('web'))?.command, ['httpd', '-f']);
  });

  it('an image found nowhere is refused before anything changes, naming it', async () => {
    const w = world();
    await w.deploy(svc('web'));
    const calls = w.engine.calls.length;
    await assert.rejects(w.deploy(svc('web', { env: { A: '1' } }), svc('client', { image: 'nowhere/app:1' })), rejectsWith('not_found', /image nowhere\/app:1 was found neither in its registry .* nor on this engine/));
    assert.deepEqual(w.engine.calls.slice(calls).filter((c) => c.method === 'deployService' || c.method === 'ensureNetworkWith'), []);
  });

  it('the engine refusing a service puts back the ones already deployed', async () => {
    const w = world();
    // An image the engine has but Swarm refuses as a reference: the refusal comes from deployService itself.
    w.engine.addLocalImage('Bad Image');
    await w.deploy(svc('web'), svc('client'));
    const calls = w.engine.callsTo('deployService').length;
    // web is deployed (changed), then client's deployService fails: web must get its spec back.
    await assert.rejects(
      w.deploy(svc('web', { env: { A: '1' } }), svc('client', { image: 'Bad Image' })),
      rejectsWith('dependency', /service client could not be deployed: the engine refused it: updating service .*client failed: .*"Bad Image" is not a valid repository\/tag/),
    );
    assert.deepEqual(changedNow(w.engine, calls), ['web:true', 'web:true']);
    assert.equal(w.engine.definitionOf(name('client'))?.image, 'busybox:latest');
    assert.deepEqual(w.engine.definitionOf(name('web'))?.env, {});
  });

  it('services no longer in the file are removed after a successful deploy, never after a failed one', async () => {
    const w = world();
    await w.deploy(svc('web'), svc('old'));
    await assert.rejects(w.deploy(svc('web', { healthcheck: NEVER_HEALTHY })));
    assert.notEqual(w.engine.definitionOf(name('old')), null, 'a failed deploy prunes nothing');
    await w.deploy(svc('web'));
    assert.equal(w.engine.definitionOf(name('old')), null);
    assert.match(w.log.join(''), /removed slipway-stack-shop_backend_old: it is no longer in the compose file/);
  });

  it('another stack and the app itself are never pruned; removing the app removes all its stacks and networks', async () => {
    const w = world();
    await w.deploy(svc('web'));
    await deployStack(plan([svc('db')], 'data'), w.ctx);
    await w.engine.deployService({ serviceName: 'slipway-app-shop', image: 'x', replicas: 1, env: {}, network: 'slipway', labels: { 'io.slipway.instance': 'slipway', 'io.slipway.app': 'shop' } }, credentials);
    await w.deploy(svc('web'), svc('api'));
    assert.notEqual(w.engine.definitionOf('slipway-stack-shop_data_db'), null);
    assert.deepEqual((await removeAppStacks(w.engine, 'slipway', 'shop')).sort(), [name('api'), name('web'), 'slipway-stack-shop_data_db']);
    assert.deepEqual((await w.engine.listServices({})).map((s) => s.serviceName), ['slipway-app-shop'], 'the app service is apps.remove\'s job');
    assert.deepEqual([...w.engine.networks().keys()], []);
  });
});
