import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeEngine, type ImageBehaviour } from '../adapters/docker/fake-engine.js';
import { createMemoryStore } from '../adapters/store/memory.js';
import { SlipwayError } from '../core/errors.js';
import { EventBus, type EventName } from '../core/events.js';
import { appServiceName, networkName } from '../core/naming.js';
import type { RegistryPort } from '../core/ports/registry.js';
import type { Store } from '../core/ports/store.js';
import { Secret } from '../core/secret.js';
import type { Release } from '../core/types.js';
import { randomBytes } from 'node:crypto';
import { createSealer } from '../adapters/secrets/sealer.js';
import { configContext } from '../core/ports/sealer.js';
import { rollOut, type RolloutContext } from './rollout.js';

const INSTANCE = 'slipway';
const SERVICE = appServiceName(INSTANCE, 'web');
const image = (n: number) => `127.0.0.1:5000/apps/web@sha256:${String(n).repeat(64)}`;

const SEALER = createSealer(randomBytes(32), 'test.key');

const registry: RegistryPort = {
  address: '127.0.0.1:5000',
  credentials: () => ({ serveraddress: '127.0.0.1:5000', username: 'slipway', password: new Secret('pw') }),
  resolveDigest: async () => assert.fail('rollout never resolves tags'),
};

interface World {
  readonly store: Store;
  readonly engine: FakeEngine;
  readonly ctx: RolloutContext;
  readonly events: Array<[EventName, unknown]>;
  readonly log: string[];
  release(n: number, rollbackOf?: number): Promise<Release>;
  /** Puts release n live as an earlier rollout would have. */
  live(n: number): Promise<Release>;
  statuses(): Promise<string[]>;
}

function world(images: Record<string, ImageBehaviour> = {}, rolloutTimeoutMs = 5_000): World {
  const store = createMemoryStore();
  const bus = new EventBus();
  // pollsToRun 0: tasks run (or crash) as soon as Swarm creates them, so the gate rarely sleeps.
  const engine = new FakeEngine({ images, pollsToRun: 0, requirePinnedImages: true });
  const events: Array<[EventName, unknown]> = [];
  for (const name of ['release.deploying', 'release.deployed', 'rollout.failed', 'release.rolled_back'] as const) {
    bus.on(name, (e) => events.push([name, e]));
  }
  const log: string[] = [];
  const ctx: RolloutContext = { store, bus, engine, registry, sealer: SEALER, instance: INSTANCE, rolloutTimeoutMs, log: (t) => log.push(t) };
  const w: World = {
    store, engine, ctx, events, log,
    release: (n, rollbackOf) =>
      store.createRelease({
        app: 'web', image: image(n), commit: String(n).repeat(40), runId: null, rollbackOf: rollbackOf ?? null,
        spec: { app: 'web', image: image(n), port: 3000, replicas: 1, env: { GREETING: 'hi' } },
      }),
    async live(n) {
      const r = await w.release(n);
      await rollOut(r, ctx);
      return r;
    },
    statuses: async () => (await store.listReleases('web')).map((r) => `v${r.number}:${r.status}`),
  };
  return w;
}

const rejectsWith = (kind: SlipwayError['kind'], message: RegExp) => (err: unknown) => {
  assert.ok(err instanceof SlipwayError, String(err));
  assert.equal(err.kind, kind, err.message);
  assert.match(err.message, message);
  return true;
};

describe('rollout', { concurrency: true }, () => {
  it('a first deploy goes live: service created with the release, release live with its deploy time', async () => {
    const w = world();
    const r = await w.release(1);
    await rollOut(r, w.ctx);
    const stored = await w.store.getReleaseById(r.id);
    assert.equal(stored?.status, 'live');
    assert.ok(stored?.deployedAt);
    assert.deepEqual(w.engine.definitionOf(SERVICE), {
      serviceName: SERVICE, image: image(1), replicas: 1, env: { PORT: '3000', GREETING: 'hi' }, network: networkName(INSTANCE),
      labels: { 'io.slipway.instance': INSTANCE, 'io.slipway.app': 'web', 'io.slipway.release': '1' },
    });
    assert.deepEqual(w.events.map(([name]) => name), ['release.deploying', 'release.deployed']);
    assert.match(w.log.join(''), /release v1 is live on 1 healthy task/);
  });

  it('an app joins the edge\'s own network (one network per app is held back: moby/moby#32634), and makes no network', async () => {
    const w = world();
    await rollOut(await w.release(1), w.ctx);
    assert.equal(w.engine.definitionOf(SERVICE)?.network, networkName(INSTANCE));
    assert.deepEqual(w.engine.calls.filter((c) => c.method === 'ensureNetwork'), []);
  });

  it('success marks the new release live and the previous one superseded', async () => {
    const w = world();
    await w.live(1);
    await rollOut(await w.release(2), w.ctx);
    assert.deepEqual(await w.statuses(), ['v2:live', 'v1:superseded']);
    assert.deepEqual(w.engine.tasksOf(SERVICE).map((t) => [t.image, t.state]), [[image(2), 'running'], [image(1), 'shutdown']]);
  });

  it('a rollback release (rollbackOf set) that goes live marks the release it replaced rolled_back', async () => {
    const w = world();
    await w.live(1);
    await w.live(2);
    const back = await w.store.createRelease({
      app: 'web', image: image(1), commit: '1'.repeat(40), runId: null, rollbackOf: 1,
      spec: { app: 'web', image: image(1), port: 3000, replicas: 1, env: { GREETING: 'hi' } },
    });
    await rollOut(back, w.ctx);
    assert.deepEqual(await w.statuses(), ['v3:live', 'v2:rolled_back', 'v1:superseded']);
  });

  it('a crashing release is marked failed and the previous one is put back and keeps serving', async () => {
    const w = world({ [image(2)]: 'crash' });
    await w.live(1);
    const v1Task = w.engine.tasksOf(SERVICE)[0];
    await assert.rejects(rollOut(await w.release(2), w.ctx), (err: unknown) => {
      rejectsWith('health_gate_failed', /^release v2 did not become healthy: a new task failed: task: non-zero exit \(1\)$/)(err);
      assert.match((err as SlipwayError).hint ?? '', /release v1 was put back and keeps serving/);
      return true;
    });
    assert.deepEqual(await w.statuses(), ['v2:failed', 'v1:live']);
    assert.equal(w.engine.definitionOf(SERVICE)?.image, image(1));
    assert.equal(w.engine.definitionOf(SERVICE)?.labels['io.slipway.release'], '1');
    assert.equal(w.engine.tasksOf(SERVICE).find((t) => t.id === v1Task?.id)?.state, 'running', 'v1 never stopped');
    assert.deepEqual(w.events.slice(2).map(([name]) => name), ['release.deploying', 'rollout.failed', 'release.rolled_back']);
    assert.deepEqual(w.events.at(-1)?.[1], { app: 'web', from: 2, to: 1, reason: 'a new task failed: task: non-zero exit (1)' });
    assert.match(w.log.join(''), /rolling back to release v1\n.*release v1 is serving again/s);
  });

  it('a release that hangs is stopped at the deadline (rollout_timeout) and the previous one put back', async () => {
    const w = world({ [image(2)]: 'hang' }, 50);
    await w.live(1);
    await assert.rejects(rollOut(await w.release(2), w.ctx), rejectsWith('rollout_timeout', /did not become healthy: not live after/));
    assert.deepEqual(await w.statuses(), ['v2:failed', 'v1:live']);
    assert.equal(w.engine.definitionOf(SERVICE)?.image, image(1));
  });

  it('a first deploy that fails removes the service instead of leaving it crash-looping', async () => {
    const w = world({ [image(1)]: 'crash' });
    await assert.rejects(rollOut(await w.release(1), w.ctx), (err: unknown) => {
      rejectsWith('health_gate_failed', /release v1 did not become healthy/)(err);
      assert.match((err as SlipwayError).hint ?? '', /nothing was live before/);
      return true;
    });
    assert.deepEqual(await w.statuses(), ['v1:failed']);
    assert.equal(await w.engine.inspectService(SERVICE), null);
    assert.equal(w.engine.callsTo('removeService').length, 1);
  });

  it('when putting the previous release back fails too, the error says so and no release is left deploying', async () => {
    const w = world({ [image(2)]: 'crash' });
    await w.live(1);
    // v1's task dies and v1 no longer starts (e.g. a database it needs went away): the rollback cannot succeed.
    w.engine.script(image(1), 'crash');
    await w.engine.removeService(SERVICE);
    await assert.rejects(rollOut(await w.release(2), w.ctx), (err: unknown) => {
      rejectsWith('health_gate_failed', /^rollback to release v1 also failed: a new task failed: task: non-zero exit \(1\)$/)(err);
      assert.match((err as SlipwayError).hint ?? '', /slipway status web/);
      return true;
    });
    const statuses = await w.statuses();
    assert.deepEqual(statuses, ['v2:failed', 'v1:live']);
    assert.ok(!statuses.some((s) => s.endsWith(':deploying')));
    assert.ok(!w.events.some(([name]) => name === 'release.rolled_back'));
  });

  it('when the engine fails while putting the previous release back, the error still says the rollback failed', async () => {
    const w = world({ [image(2)]: 'crash' });
    await w.live(1);
    const release = await w.release(2);
    // The first deploy call (v2) goes through; the second (putting v1 back) meets a dockerd that went away.
    const original = w.engine.deployService.bind(w.engine);
    let calls = 0;
    w.engine.deployService = async (def, creds) => {
      if (++calls === 2) throw new SlipwayError('dependency', `updating service ${SERVICE} failed: connect ENOENT /var/run/docker.sock`);
      return original(def, creds);
    };
    await assert.rejects(rollOut(release, w.ctx), rejectsWith('health_gate_failed', /rollback to release v1 also failed/));
    assert.deepEqual(await w.statuses(), ['v2:failed', 'v1:live']);
  });

  it('when the engine fails while deploying, the release is not left deploying and the previous one is put back', async () => {
    const w = world();
    await w.live(1);
    w.engine.failNext('deployService', new SlipwayError('dependency', 'updating service failed: socket hang up'));
    await assert.rejects(rollOut(await w.release(2), w.ctx), rejectsWith('health_gate_failed', /socket hang up/));
    assert.deepEqual(await w.statuses(), ['v2:failed', 'v1:live']);
  });

  it('a release\'s config reaches its service as environment variables, and never overrides PORT (issue 14)', async () => {
    const w = world();
    const r = await w.release(1);
    const seal = (name: string, value: string) => SEALER.seal(value, configContext('web', name));
    await w.store.setReleaseConfig(r.id, { DATABASE_URL: { sealed: seal('DATABASE_URL', 'postgres://db'), secret: true }, MODE: { sealed: seal('MODE', 'x'), secret: false } });
    await rollOut(r, w.ctx);
    assert.deepEqual(w.engine.definitionOf(SERVICE)?.env, { DATABASE_URL: 'postgres://db', MODE: 'x', PORT: '3000', GREETING: 'hi' });
  });

  it('a failed release with new config puts the previous release back with its own config', async () => {
    const w = world({ [image(2)]: 'crash' });
    const v1 = await w.release(1);
    await w.store.setReleaseConfig(v1.id, { MODE: { sealed: SEALER.seal('old', configContext('web', 'MODE')), secret: false } });
    await rollOut(v1, w.ctx);
    const v2 = await w.release(2);
    await w.store.setReleaseConfig(v2.id, { MODE: { sealed: SEALER.seal('new', configContext('web', 'MODE')), secret: false } });
    await assert.rejects(rollOut(v2, w.ctx), rejectsWith('health_gate_failed', /release v2 did not become healthy/));
    assert.equal(w.engine.definitionOf(SERVICE)?.env['MODE'], 'old');
  });

  it('a config value sealed for another key does not open: the rollout fails and nothing new goes out', async () => {
    const w = world();
    await w.live(1);
    const r = await w.release(2);
    await w.store.setReleaseConfig(r.id, { MODE: { sealed: SEALER.seal('x', configContext('web', 'OTHER')), secret: false } });
    await assert.rejects(rollOut(r, w.ctx), rejectsWith('health_gate_failed', /cannot be decrypted/));
    assert.equal(w.engine.definitionOf(SERVICE)?.image, image(1));
  });
});
