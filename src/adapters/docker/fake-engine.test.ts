// What only the fake has (scripting, call records, protocol checks) and Swarm rules the conformance suite cannot
// reach in seconds against dockerd (scaling, crash loops, task history).

import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../core/errors.js';
import type { ServiceDefinition } from '../../core/ports/engine.js';
import { Secret } from '../../core/secret.js';
import { normalizeDefinition } from './convert.js';
import { FakeEngine } from './fake-engine.js';

const credentials = { serveraddress: 'registry.test', username: 'u', password: new Secret('p') };
const PINNED = `registry.test/apps/web@sha256:${'a'.repeat(64)}`;
const def = (overrides: Partial<ServiceDefinition> = {}): ServiceDefinition => ({
  serviceName: 'web', image: PINNED, replicas: 1, env: {}, network: 'net', labels: {}, ...overrides,
});
const poll = async (engine: FakeEngine, times: number) => {
  for (let i = 0; i < times; i++) await engine.listTasks('web');
  return engine.tasksOf('web');
};

describe('fake engine', () => {
  it('pushes only what it built, with a stable digest whose pinned reference behaves like the tag', async () => {
    const engine = new FakeEngine({ pollsToRun: 0 });
    const tag = 'registry.test/apps/web:abc';
    await assert.rejects(engine.push(tag, credentials, () => {}), (e: unknown) => e instanceof SlipwayError && e.kind === 'dependency');
    engine.script(tag, 'crash');
    await engine.build({ context: Readable.from([Buffer.alloc(1024)]), tag, labels: {}, onLog: () => {} });
    const lines: string[] = [];
    const digest = await engine.push(tag, credentials, (l) => lines.push(l));
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(engine.pushedDigest(tag), digest);
    assert.match(lines.join(''), new RegExp(`abc: digest: ${digest}`));
    assert.deepEqual(engine.callsTo('build').map((c) => c.contextBytes), [1024]);

    await engine.deployService(def({ image: `registry.test/apps/web@${digest}` }), credentials);
    assert.equal((await engine.listTasks('web'))[0]?.error, 'task: non-zero exit (1)');
  });

  it('names local images: build and extra tags, tagImage of a built image only, removeImage untags and is fine when gone', async () => {
    const engine = new FakeEngine();
    const tag = 'registry.test/apps/web:abc';
    await engine.build({ context: Readable.from([]), tag, extraTags: ['registry.test/apps/web:stable'], labels: {}, onLog: () => {} });
    assert.deepEqual(engine.callsTo('build').map((c) => c.extraTags), [['registry.test/apps/web:stable']]);
    await assert.rejects(engine.tagImage('never-built:1', 'ghcr.io/acme/web:1'), (e: unknown) => e instanceof SlipwayError && e.kind === 'dependency');
    await engine.tagImage(tag, 'ghcr.io/acme/web:1');
    const digest = await engine.push('ghcr.io/acme/web:1', credentials, () => {});
    assert.match(digest, /^sha256:/);
    await engine.removeImage('ghcr.io/acme/web:1');
    await engine.removeImage('ghcr.io/acme/web:1');
    assert.deepEqual(engine.localImages(), ['registry.test/apps/web:abc', 'registry.test/apps/web:stable']);
    await assert.rejects(engine.push('ghcr.io/acme/web:1', credentials, () => {}), (e: unknown) => e instanceof SlipwayError && e.kind === 'dependency');
  });

  it('checks the port protocol: digest-pinned images when asked, one deployService per service at a time', async () => {
    const strict = new FakeEngine({ requirePinnedImages: true });
    await assert.rejects(strict.deployService(def({ image: 'busybox:latest' }), credentials), /not digest-pinned/);
    await Promise.all([strict.deployService(def(), credentials), strict.deployService(def({ serviceName: 'api' }), credentials)]);
    await assert.rejects(
      Promise.all([strict.deployService(def({ replicas: 2 }), credentials), strict.deployService(def({ replicas: 3 }), credentials)]),
      /two deployService calls at once for web/,
    );
  });

  it('fails the next calls of a method as scripted, then recovers', async () => {
    const engine = new FakeEngine();
    engine.failNext('inspectService', new Error('connect ENOENT /var/run/docker.sock'), 2);
    await assert.rejects(engine.inspectService('web'), /ENOENT/);
    await assert.rejects(engine.inspectService('web'), /ENOENT/);
    assert.equal(await engine.inspectService('web'), null);
  });

  it('scaling starts and stops tasks in their own slots; the running task stays', async () => {
    const engine = new FakeEngine({ pollsToRun: 1 });
    await engine.deployService(def(), credentials);
    const [first] = await poll(engine, 2);
    assert.equal(first?.state, 'running');
    assert.equal(await engine.deployService(def({ replicas: 3 }), credentials), true);
    let tasks = await poll(engine, 2);
    assert.equal(tasks.filter((t) => t.state === 'running').length, 3);
    assert.ok(tasks.some((t) => t.id === first?.id && t.state === 'running'));
    assert.equal((await engine.inspectService('web'))?.updateState, 'completed');
    await engine.deployService(def({ replicas: 1 }), credentials);
    tasks = await poll(engine, 2);
    assert.deepEqual(tasks.filter((t) => t.state === 'running').map((t) => t.id), [first?.id]);
  });

  it('a new env is a new task template: the task is replaced start-first', async () => {
    const engine = new FakeEngine({ pollsToRun: 1 });
    await engine.deployService(def(), credentials);
    await poll(engine, 2);
    await engine.deployService(def({ env: { A: '1' } }), credentials);
    const during = await poll(engine, 2);
    assert.deepEqual(during.map((t) => [t.state, t.desiredState]), [['running', 'running'], ['running', 'shutdown']]);
    const after = await poll(engine, 1);
    assert.deepEqual(after.map((t) => t.state), ['running', 'shutdown']);
  });

  it('restarts a crashing task on every poll and remembers at most 5 tasks per slot, as Swarm does', async () => {
    const engine = new FakeEngine({ pollsToRun: 0, images: { [PINNED]: 'crash' } });
    await engine.deployService(def(), credentials);
    const tasks = await poll(engine, 10);
    assert.equal(tasks.length, 5);
    assert.ok(tasks.every((t) => t.state === 'failed' && t.desiredState === 'shutdown'));
    assert.equal((await engine.inspectService('web'))?.updateState, null, 'a created service has no update to pause');
  });

  it('listTaskProgress tells the tasks of the current template from the old ones, also when the image stays', async () => {
    const engine = new FakeEngine({ pollsToRun: 1 });
    await engine.deployService(def({ command: ['v1'] }), credentials);
    await poll(engine, 2);
    await engine.deployService(def({ command: ['v2'] }), credentials);
    const during = await engine.listTaskProgress('web');
    assert.deepEqual(during.map((t) => [t.current, t.state]), [[true, 'pending'], [false, 'running']]);
    assert.equal(during[0]?.image, during[1]?.image);
    await engine.deployService(def({ command: ['v2'], replicas: 2 }), credentials);
    const scaled = await engine.listTaskProgress('web');
    assert.equal(scaled.filter((t) => t.current).length, 2, 'replicas alone change no template');
  });

  it('scriptDefinition: a health check that never passes, whatever the image', async () => {
    const engine = new FakeEngine({ pollsToRun: 0 });
    engine.scriptDefinition((d) => d.healthcheck?.test[0] === 'NONE', 'unhealthy');
    await engine.deployService(def({ healthcheck: { test: ['NONE'], intervalMs: null, timeoutMs: null, retries: null, startPeriodMs: null } }), credentials);
    assert.equal((await engine.listTasks('web'))[0]?.error, 'task: non-zero exit (137): dockerexec: unhealthy container');
  });

  it('inspectDefinition gives the definition back with every optional field; deployService notes credentials', async () => {
    const engine = new FakeEngine();
    assert.equal(await engine.inspectDefinition('web'), null);
    await engine.deployService(def({ aliases: ['api'] }), null);
    const back = await engine.inspectDefinition('web');
    assert.deepEqual(back, normalizeDefinition({ ...def(), aliases: ['api'] }));
    assert.equal(back?.stopGracePeriodMs, 10_000, 'filled in');
    assert.equal(back?.endpointMode, 'dnsrr');
    assert.deepEqual(engine.callsTo('deployService').map((c) => c.withCredentials), [false]);
    assert.equal(await engine.deployService((await engine.inspectDefinition('web'))!, credentials), false, 'putting it back changes nothing');
  });

  it('services and networks by label; a network is removed only once no service uses it', async () => {
    const engine = new FakeEngine();
    await engine.ensureNetwork('stack-net', { 'io.slipway.app': 'shop', 'io.slipway.stack': 'b' });
    await engine.ensureNetwork('stack-net', { other: 'labels are kept from the first call' });
    await engine.deployService(def({ network: 'stack-net', labels: { 'io.slipway.app': 'shop', 'io.slipway.stack': 'b' } }), credentials);
    await engine.deployService(def({ serviceName: 'app', labels: { 'io.slipway.app': 'shop' } }), credentials);
    assert.deepEqual((await engine.listServices({ 'io.slipway.app': 'shop' })).map((s) => s.serviceName).sort(), ['app', 'web']);
    assert.deepEqual((await engine.listServices({ 'io.slipway.stack': 'b' })).map((s) => s.serviceName), ['web']);
    assert.deepEqual(await engine.listNetworks({ 'io.slipway.app': 'shop' }), [{ name: 'stack-net', labels: { 'io.slipway.app': 'shop', 'io.slipway.stack': 'b' } }]);
    await assert.rejects(engine.removeNetwork('stack-net'), /removed while service web uses it/);
    await engine.removeService('web');
    await engine.removeNetwork('stack-net');
    await engine.removeNetwork('stack-net');
    assert.deepEqual(await engine.listNetworks({}), []);
  });

  it('serviceLogs returns the last `tail` lines of every task that started', async () => {
    const engine = new FakeEngine({ pollsToRun: 0, images: { [PINNED]: 'crash' }, logs: { [PINNED]: ['boom: no DATABASE_URL'] } });
    await engine.deployService(def(), credentials);
    await poll(engine, 2);
    const lines: string[] = [];
    for await (const line of engine.serviceLogs('web', { follow: false, tail: 2 })) lines.push(line);
    assert.deepEqual(lines, ['boom: no DATABASE_URL\n', 'boom: no DATABASE_URL\n']);
  });
});
