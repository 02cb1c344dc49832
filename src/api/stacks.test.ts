// Stack operations end to end on the fake engine and the memory store: deploy and roll back as queued runs (run here
// with run/stack-runs.ts as the executor would), releases, diff, services, remove; bad input refused before anything
// is queued, with a hint.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeEngine } from '../adapters/docker/fake-engine.js';
import { FakeRegistry } from '../adapters/registry/fake-registry.js';
import { createMemoryStore } from '../adapters/store/memory.js';
import { EventBus } from '../core/events.js';
import { SlipwayError } from '../core/errors.js';
import type { NewRun } from '../core/ports/store.js';
import { DeployLock } from '../run/deploy-lock.js';
import { runStackRun, stackRunOf } from '../run/stack-runs.js';
import { Apps } from './apps.js';
import { StackOps } from './stacks.js';
import { subscribeStackFollows } from '../trigger/stack-follow.js';

const compose = (image: string, replicas = 1) => `services:\n  web:\n    image: ${image}\n    command: [httpd, -f]\n    deploy:\n      replicas: ${replicas}\n  db:\n    image: \${DB_IMAGE}\n`;

async function world() {
  const store = createMemoryStore();
  const bus = new EventBus();
  const engine = new FakeEngine({ pollsToRun: 1, localImages: ['busybox:latest', 'busybox:1', 'busybox:2', 'busybox:3', 'busybox:new', 'busybox:old', 'postgres:16', 'redis', 'redis:7'] });
  engine.scriptDefinition((d) => d.command?.[0] === 'crash', 'crash');
  const apps = new Apps({ store, bus, engine, repos: { ensure: async () => undefined }, queue: { kick: () => undefined }, routes: { sync: async () => undefined, stackServiceOf: async () => null, leave: async () => undefined } as never, instance: 'slipway', httpsPort: 443, publicUrl: 'http://127.0.0.1:7070' });
  await store.createApp({ name: 'shop', domain: 'shop.example.com', port: 3000, replicas: 1, branch: 'main' });
  const deploys = new DeployLock();
  const queued: NewRun[] = [];
  const enqueue = async (r: NewRun) => {
    queued.push(r);
    return store.createRun(r, { perApp: 50, total: 1000 });
  };
  const stacks = new StackOps({ store, apps, engine, enqueue, deploys, instance: 'slipway' });
  const log: string[] = [];
  const ctx = { store, engine, registry: new FakeRegistry(), deploys, instance: 'slipway', rolloutTimeoutMs: 5_000, syncRoutes: async () => undefined };
  /** What the executor does with a queued stack run. */
  const execute = async (runId: number) => {
    const run = (await store.getRun(runId))!;
    const sr = stackRunOf(run, await store.getRunDetails(run.id));
    assert.ok(sr, 'a stack run');
    const app = (await store.getApp('shop'))!;
    await runStackRun(run, sr, app, ctx, (t) => log.push(t), new AbortController().signal);
  };
  const files = (image: string, replicas = 1) => [{ path: 'compose.yml', text: compose(image, replicas) }, { path: '.env', text: 'DB_IMAGE=postgres:16\n' }];
  const deploy = async (image: string, replicas = 1) => execute((await stacks.deploy('shop', 'back', files(image, replicas), 'ana')).id);
  return { store, engine, stacks, queued, execute, deploy, log, files };
}

const refused = (kind: string, message: RegExp, hint?: RegExp) => (err: unknown) => {
  assert.ok(err instanceof SlipwayError, String(err));
  assert.equal(err.kind, kind, err.message);
  assert.match(err.message, message);
  if (hint) assert.match(err.hint ?? '', hint);
  return true;
};

describe('stack operations', () => {
  it('deploys as a queued run, records releases, rolls back two levels as a new release, and diffs', async () => {
    const w = await world();
    await w.deploy('busybox:1');
    await w.deploy('busybox:2', 2);
    await w.deploy('busybox:3', 2);
    assert.deepEqual(w.queued[0]?.params, { SLIPWAY_STACK: 'back', SLIPWAY_STACK_USER: 'ana' });
    assert.equal(w.queued[0]?.ref, 'stack:back');
    const releases = await w.stacks.releases('shop', 'back');
    assert.deepEqual(releases.map((r) => `${r.number}:${r.status}`), ['3:live', '2:superseded', '1:superseded']);
    assert.deepEqual(releases[0]?.images, { web: 'busybox:3', db: 'postgres:16' });
    assert.deepEqual(releases[0]?.files, ['compose.yml', '.env']);

    const run = await w.stacks.rollback('shop', 'back', 1, 'bo');
    assert.deepEqual([run.source, run.targetRelease], ['rollback', 1]);
    await w.execute(run.id);
    const after = await w.stacks.releases('shop', 'back');
    assert.deepEqual(after.map((r) => `${r.number}:${r.status}:${r.rollbackOf ?? '-'}:${r.user}`), ['4:live:1:bo', '3:rolled_back:-:ana', '2:superseded:-:ana', '1:superseded:-:ana']);
    assert.equal(w.engine.definitionOf('slipway-stack-shop_back_web')?.image, 'busybox:1');
    assert.equal(w.engine.definitionOf('slipway-stack-shop_back_web')?.replicas, 1);

    const diff = await w.stacks.diff('shop', 'back', 3, 4);
    assert.deepEqual(diff.services.map((s) => [s.service, s.change, s.details]), [
      ['web', 'changed', ['image busybox:3 → busybox:1', 'replicas 2 → 1']],
      ['db', 'unchanged', []],
    ]);
    const events = (await w.store.listEvents(20)).map((e) => e.type);
    assert.ok(events.includes('stack.deploy') && events.includes('stack.rollback'), events.join(', '));
  });

  it('lists stacks and their services with tasks from the engine', async () => {
    const w = await world();
    await w.deploy('busybox:1', 2);
    assert.deepEqual(await w.stacks.list('shop'), [{ name: 'back', liveRelease: 1, releases: 1, services: 2 }]);
    const services = await w.stacks.services('shop', 'back');
    assert.deepEqual(services.map((s) => [s.name, s.image, s.desired, s.running, s.tasks.length]), [['db', 'postgres:16', 1, 1, 1], ['web', 'busybox:1', 2, 2, 2]]);
  });

  it('refuses bad input before anything is queued: an invalid file, a broken override, a bad name, an unknown stack or release, a failed release', async () => {
    const w = await world();
    await assert.rejects(w.stacks.deploy('shop', 'back', [{ path: 'compose.yml', text: 'services:\n  web:\n    image: x\n    privileged: true\n' }], null), refused('invalid_input', /privileged/));
    await assert.rejects(w.stacks.deploy('shop', 'back', [{ path: 'a.yml', text: compose('x') }, { path: 'b.yml', text: 'services:\n  web:\n    deploy: { replicas: many }\n' }], null), refused('invalid_input', /b\.yml:3/));
    await assert.rejects(w.stacks.deploy('shop', 'Bad_Name', w.files('x'), null), refused('invalid_input', /invalid stack name/));
    await assert.rejects(w.stacks.deploy('nope', 'back', w.files('x'), null), refused('not_found', /no app named nope/));
    assert.deepEqual(w.queued, []);
    await assert.rejects(w.stacks.releases('shop', 'back'), refused('not_found', /app shop has no stack back/, /slipway stacks ls --app shop/));
    await assert.rejects(w.stacks.rollback('shop', 'back', null, null), refused('not_found', /no stack back/));
    await w.deploy('busybox:1');
    await assert.rejects(w.execute((await w.stacks.deploy('shop', 'back', [{ path: 'compose.yml', text: 'services:\n  web:\n    image: busybox:2\n    command: [crash]\n' }], null)).id));
    assert.deepEqual((await w.stacks.releases('shop', 'back')).map((r) => `${r.number}:${r.status}`), ['2:failed', '1:live']);
    await assert.rejects(w.stacks.rollback('shop', 'back', 2, null), refused('conflict', /never went live \(failed\)/));
    await assert.rejects(w.stacks.rollback('shop', 'back', 7, null), refused('not_found', /no release 7/, /slipway stacks releases back --app shop/));
    await assert.rejects(w.stacks.diff('shop', 'back', 1, 9), refused('not_found', /no release 9/));
    assert.deepEqual(await w.stacks.lint('shop', 'back', w.files('busybox:1', 3)), { services: [{ name: 'web', image: 'busybox:1', replicas: 3 }, { name: 'db', image: 'postgres:16', replicas: 1 }] });
  });

  it('an older queued deploy never replaces a stack a newer run deployed', async () => {
    const w = await world();
    const older = await w.stacks.deploy('shop', 'back', w.files('busybox:old'), null);
    await w.deploy('busybox:new');
    await w.execute(older.id);
    assert.equal(w.engine.definitionOf('slipway-stack-shop_back_web')?.image, 'busybox:new');
    assert.match(w.log.join(''), /skipped: run \d+, queued after this one/);
  });

  it('--redeploy-on: a release of the followed app redeploys the stack, rolling only the services of its image', async () => {
    const w = await world();
    await w.store.createApp({ name: 'api', domain: 'api.example.com', port: 3000, replicas: 1, branch: 'main' });
    await assert.rejects(w.stacks.deploy('shop', 'back', w.files('x'), null, ['nope']), refused('not_found', /no app named nope/));
    const first = await w.stacks.deploy('shop', 'back', w.files('127.0.0.1:5000/apps/api@sha256:' + 'a'.repeat(64)), null, ['api']);
    await w.execute(first.id);
    const bus = new EventBus();
    const off = subscribeStackFollows(bus, { store: w.store, enqueue: async (r) => w.store.createRun(r, { perApp: 50, total: 1000 }) }, (l) => assert.fail(l));
    bus.emit('release.deployed', { app: 'api', release: 2, image: '127.0.0.1:5000/apps/api@sha256:' + 'b'.repeat(64) });
    await new Promise((r) => setTimeout(r, 50));
    off();
    const runs = await w.store.listRuns('shop', 10);
    const before = w.engine.callsTo('deployService').length;
    await w.execute(runs[0]!.id);
    const changed = w.engine.callsTo('deployService').slice(before).map((c) => `${c.definition.serviceName.replace('slipway-stack-shop_back_', '')}:${c.changed}`);
    assert.deepEqual(changed, ['web:true', 'db:false']);
    assert.deepEqual((await w.stacks.releases('shop', 'back')).map((r) => [r.number, r.status, r.user, r.images.web?.slice(-4)]), [[2, 'live', 'redeploy-on api', 'bbbb'], [1, 'superseded', null, 'aaaa']]);
  });

  it('removes a stack: its services, its network and its releases; then it is unknown', async () => {
    const w = await world();
    await w.deploy('busybox:1');
    assert.equal(w.engine.networks().has('slipway-stack-shop_back'), true);
    const removed = await w.stacks.remove('shop', 'back', 'ana');
    assert.deepEqual(removed.sort(), ['slipway-stack-shop_back_db', 'slipway-stack-shop_back_web']);
    assert.equal(w.engine.definitionOf('slipway-stack-shop_back_web'), null);
    assert.equal(w.engine.networks().has('slipway-stack-shop_back'), false);
    assert.deepEqual(await w.stacks.list('shop'), []);
    await assert.rejects(w.stacks.remove('shop', 'back', null), refused('not_found', /no stack back/));
    assert.ok((await w.store.listEvents(5)).some((e) => e.type === 'stack.removed'));
  });
});
