// An app's runtime config from the API down to the service (issue 14): stored sealed, listed without secret values,
// rolled out as a new release of the live image, put back by a rollback, kept as desired when its rollout fails.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { FakeEngine } from '../adapters/docker/fake-engine.js';
import { FakeStepBackend } from '../adapters/docker/fake-step-backend.js';
import { FakeRegistry } from '../adapters/registry/fake-registry.js';
import { createSealer } from '../adapters/secrets/sealer.js';
import { createMemoryStore } from '../adapters/store/memory.js';
import { SlipwayError } from '../core/errors.js';
import { EventBus } from '../core/events.js';
import { appServiceName } from '../core/naming.js';
import type { Run } from '../core/types.js';
import { rollOut } from '../converge/rollout.js';
import { createBuiltRelease } from '../release/new-release.js';
import { Cancellations } from '../run/cancellations.js';
import { DeployLock } from '../run/deploy-lock.js';
import { executeRun } from '../run/executor.js';
import type { RunContext } from '../run/run-context.js';
import { configChanged } from '../trigger/config-change.js';
import { rollback } from '../trigger/rollback.js';
import { AppConfigOps } from './app-config.js';
import type { Apps } from './apps.js';

const SERVICE = appServiceName('slipway', 'web');
const IMAGE = `127.0.0.1:5000/apps/web@sha256:${'1'.repeat(64)}`;
const IMAGE2 = `127.0.0.1:5000/apps/web@sha256:${'2'.repeat(64)}`;

/** Runs here build nothing: a rollback reads the (absent) pipeline file of its commit and no more. */
const NO_SOURCE: RunContext['sources'] = {
  open: () => assert.fail('nothing is built'),
  assertBuildable: async () => assert.fail('nothing is built'),
  pipelineFiles: async () => [],
  commitInfo: async () => null,
  changedFiles: async () => null,
};

async function world() {
  const store = createMemoryStore();
  const app = await store.createApp({ name: 'web', domain: 'web.example.com', port: 3000, replicas: 1, branch: 'main' });
  const engine = new FakeEngine({ pollsToRun: 0, requirePinnedImages: true });
  const sealer = createSealer(randomBytes(32), 'test.key');
  const ctx: RunContext = {
    store, bus: new EventBus(), engine, registry: new FakeRegistry(), sources: NO_SOURCE,
    instance: 'slipway', rolloutTimeoutMs: 30_000, httpsPort: 8443, syncRoutes: async () => undefined, deploys: new DeployLock(),
    outbound: { allowedHosts: [] }, backend: new FakeStepBackend(), cancellations: new Cancellations(), sealer,
  };
  const enqueue = (r: Parameters<typeof store.createRun>[0]) => store.createRun(r);
  const apps: Pick<Apps, 'get'> = {
    get: async (name) => (await store.getApp(name)) ?? assert.fail(new SlipwayError('not_found', `no app ${name}`)),
  };
  const ops = new AppConfigOps({ store, apps, sealer, triggers: { configChanged: (a) => configChanged({ store, enqueue }, a) } });
  /** Runs the queued run to its end, as the queue would. */
  const execute = async (run: Run | null): Promise<Run> => {
    assert.ok(run, 'a run was queued');
    const [claimed] = await store.claimNextRuns(new Date().toISOString());
    assert.equal(claimed?.id, run.id);
    await executeRun(claimed, ctx);
    return (await store.getRun(run.id))!;
  };
  /** A pushed build of `image` goes live, as the deploy step does. */
  const push = async (image = IMAGE) => {
    const queued = await store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: 'c'.repeat(40) });
    await store.claimNextRuns(new Date().toISOString());
    const run = await store.updateRun(queued.id, { status: 'succeeded', phase: 'done' });
    const release = await createBuiltRelease(store, app, run, image);
    await rollOut(release, { ...ctx, log: () => undefined });
    return release;
  };
  const env = () => engine.definitionOf(SERVICE)?.env ?? {};
  return { store, engine, ops, execute, push, env, app, enqueue };
}

describe('app config', () => {
  it('lists plain values and never a secret one; stores every value sealed and audits names only', async () => {
    const w = await world();
    const res = await w.ops.change('web', { set: { MODE: { value: 'fast' }, API_KEY: { value: 'sk-live-123', secret: true } }, unset: [], deploy: true });
    assert.equal(res.applied, 'no_live_release');
    assert.equal(res.run, null);
    assert.deepEqual((await w.ops.list('web')).map((i) => [i.name, i.secret, i.value]), [['API_KEY', true, null], ['MODE', false, 'fast']]);
    const stored = JSON.stringify(await w.store.getAppConfig('web'));
    assert.ok(!stored.includes('sk-live-123') && !stored.includes('fast'), 'nothing in the clear in the store');
    const events = JSON.stringify(await w.store.listEvents(10));
    assert.match(events, /config\.changed/);
    assert.ok(!events.includes('sk-live-123') && !events.includes('fast'));
  });

  it('refuses reserved and invalid keys with a hint, applying nothing', async () => {
    const w = await world();
    for (const key of ['PORT', 'SLIPWAY_APP', 'slipway_x', '9LIVES', 'A-B']) {
      await assert.rejects(w.ops.change('web', { set: { OK: { value: '1' }, [key]: { value: 'x' } }, unset: [], deploy: false }), (err: unknown) => {
        assert.ok(err instanceof SlipwayError && err.kind === 'invalid_input' && (err.hint ?? '').length > 0, String(err));
        return true;
      }, key);
    }
    await assert.rejects(w.ops.change('web', { set: { A: { value: 'a\0b' } }, unset: [], deploy: false }), /NUL/);
    assert.deepEqual(await w.ops.list('web'), []);
  });

  it('a change rolls the live image out again as a new release whose service sees the value', async () => {
    const w = await world();
    const v1 = await w.push();
    const res = await w.ops.change('web', { set: { GREETING: { value: 'hello' }, TOKEN: { value: 's3cret', secret: true } }, unset: [], deploy: true });
    assert.equal(res.applied, 'rolling_out');
    assert.equal(res.run?.source, 'config');
    const run = await w.execute(res.run);
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    const live = await w.store.liveRelease('web');
    assert.equal(live?.number, 2);
    assert.equal(live?.image, v1.image);
    assert.equal(w.env()['GREETING'], 'hello');
    assert.equal(w.env()['TOKEN'], 's3cret');
    assert.equal(w.env()['PORT'], '3000');
  });

  it('rollback puts the old config back with the old image, even when the image is the same', async () => {
    const w = await world();
    await w.push();
    await w.execute((await w.ops.change('web', { set: { GREETING: { value: 'one' } }, unset: [], deploy: true })).run);
    await w.execute((await w.ops.change('web', { set: { GREETING: { value: 'two' } }, unset: [], deploy: true })).run);
    assert.equal(w.env()['GREETING'], 'two');
    const back = await w.execute(await rollback(w.enqueue, w.app, null));
    assert.equal(back.status, 'succeeded', JSON.stringify(back.error));
    assert.equal(w.env()['GREETING'], 'one');
    assert.equal((await w.store.liveRelease('web'))?.rollbackOf, 2);
    // The desired config is not rewritten by a rollback: the next deploy goes out with it.
    assert.equal((await w.ops.list('web'))[0]?.value, 'two');
  });

  it('a failed rollout keeps the previous release and its config serving; the change stays stored as desired', async () => {
    const w = await world();
    await w.push();
    await w.execute((await w.ops.change('web', { set: { GREETING: { value: 'old' } }, unset: [], deploy: true })).run);
    w.engine.failNext('deployService', new SlipwayError('dependency', 'the engine went away'));
    const run = await w.execute((await w.ops.change('web', { set: { GREETING: { value: 'new' } }, unset: [], deploy: true })).run);
    assert.equal(run.status, 'failed');
    assert.match(run.error?.message ?? '', /did not become healthy/);
    assert.equal((await w.store.liveRelease('web'))?.number, 2);
    assert.equal(w.env()['GREETING'], 'old');
    assert.equal((await w.ops.list('web'))[0]?.value, 'new');
  });

  it('staged changes (deploy false) start no run and go out with the next push', async () => {
    const w = await world();
    await w.push();
    const a = await w.ops.change('web', { set: { A: { value: '1' } }, unset: [], deploy: false });
    const b = await w.ops.change('web', { set: { B: { value: '2' } }, unset: [], deploy: false });
    assert.deepEqual([a.applied, b.applied, a.run, b.run], ['staged', 'staged', null, null]);
    assert.equal(w.env()['A'], undefined);
    await w.push(IMAGE2);
    assert.equal(w.env()['A'], '1');
    assert.equal(w.env()['B'], '2');
  });

  it('a config run finds the live release already on the config: no new release', async () => {
    const w = await world();
    await w.push();
    const first = await w.ops.change('web', { set: { A: { value: '1' } }, unset: [], deploy: true });
    const second = await w.ops.change('web', { set: { B: { value: '2' } }, unset: [], deploy: true });
    await w.execute(first.run);
    const run = await w.execute(second.run);
    assert.equal(run.status, 'succeeded');
    assert.equal((await w.store.listReleases('web')).length, 2, 'the first run applied both changes');
  });

  it('updating a secret without saying so keeps it secret; a whole-config PUT keeps a secret given without its value', async () => {
    const w = await world();
    await w.ops.change('web', { set: { TOKEN: { value: 'a', secret: true }, MODE: { value: 'x' } }, unset: [], deploy: false });
    await w.ops.change('web', { set: { TOKEN: { value: 'b' } }, unset: [], deploy: false });
    assert.deepEqual((await w.ops.list('web')).map((i) => [i.name, i.value]), [['MODE', 'x'], ['TOKEN', null]]);
    await w.ops.replace('web', { TOKEN: {}, NEW: { value: 'n' } }, false);
    assert.deepEqual((await w.ops.list('web')).map((i) => [i.name, i.secret]), [['NEW', false], ['TOKEN', true]]);
    await assert.rejects(w.ops.replace('web', { TOKEN: { secret: false } }, false), /give its value again/);
    await assert.rejects(w.ops.replace('web', { OTHER: {} }, false), /has no value/);
    await assert.rejects(w.ops.change('web', { set: {}, unset: ['GONE'], deploy: false }), { kind: 'not_found' });
  });

  it('refuses a change that makes the values together larger than the environment has room for, applying nothing', async () => {
    const w = await world();
    const big = 'x'.repeat(30 * 1024);
    for (let i = 0; i < 8; i++) await w.ops.change('web', { set: { [`K${i}`]: { value: big, secret: i % 2 === 0 } }, unset: [], deploy: false });
    await assert.rejects(w.ops.change('web', { set: { K8: { value: big } }, unset: [], deploy: false }), /at most 256 KiB of values/);
    await w.ops.change('web', { set: { K8: { value: big } }, unset: ['K0'], deploy: false });
    assert.equal((await w.ops.list('web')).length, 8);
  });

  it('a config run cut off before its deploy phase marks its unsent release failed and makes a new one', async () => {
    const w = await world();
    await w.push();
    const res = await w.ops.change('web', { set: { A: { value: '1' } }, unset: [], deploy: true });
    assert.ok(res.run);
    // As if Slipway stopped right after recording the release: the run is running, its phase not yet deploy.
    const orphan = await w.store.createRelease({ app: 'web', image: IMAGE, commit: 'c'.repeat(40), runId: res.run.id, rollbackOf: null, spec: { app: 'web', image: IMAGE, port: 3000, replicas: 1, env: {} } });
    const run = await w.execute(res.run);
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    assert.equal((await w.store.getReleaseById(orphan.id))?.status, 'failed');
    assert.equal((await w.store.liveRelease('web'))?.number, 3);
  });
});
