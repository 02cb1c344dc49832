import assert from 'node:assert/strict';
import { FakeStepBackend } from '../adapters/docker/fake-step-backend.js';
import { createSealer } from '../adapters/secrets/sealer.js';
import { Cancellations } from './cancellations.js';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { FakeEngine } from '../adapters/docker/fake-engine.js';
import { createMemoryStore } from '../adapters/store/memory.js';
import { EventBus } from '../core/events.js';
import type { Store } from '../core/ports/store.js';
import { Secret } from '../core/secret.js';
import type { Run } from '../core/types.js';
import type { RunContext } from './run-context.js';
import { DeployLock } from './deploy-lock.js';
import { RunQueue } from './queue.js';
import { appServiceName } from '../core/naming.js';
import { definitionOf, rollOut } from '../converge/rollout.js';

/** An executor whose runs finish when the test says so, recording what ran and what overlapped. */
class ScriptedExecutor {
  readonly started: string[] = [];
  readonly #running = new Map<number, { run: Run; finish: () => void }>();
  maxParallelPerApp = 0;

  constructor(private readonly store: Store) {}

  execute = (run: Run): Promise<void> => {
    this.started.push(`${run.app}#${run.id}`);
    const sameApp = [...this.#running.values()].filter((r) => r.run.app === run.app).length + 1;
    this.maxParallelPerApp = Math.max(this.maxParallelPerApp, sameApp);
    return new Promise<void>((resolve) => {
      this.#running.set(run.id, {
        run,
        finish: () => {
          this.#running.delete(run.id);
          // As executeRun does: the run's final status is stored before it returns.
          void this.store.updateRun(run.id, { status: 'succeeded', phase: 'done' }).then(() => resolve());
        },
      });
    });
  };

  running(): string[] {
    return [...this.#running.values()].map(({ run }) => `${run.app}#${run.id}`).sort();
  }

  finish(id: number): void {
    const entry = this.#running.get(id);
    assert.ok(entry, `run ${id} is not running`);
    entry.finish();
  }
}

async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await condition()) return;
    await new Promise((r) => setImmediate(r));
  }
  assert.fail(`gave up waiting for ${what}`);
}

describe('run queue', () => {

  function setup(capacity = Infinity, store = createMemoryStore(), engine = new FakeEngine()) {
    const ctx: RunContext = {
      store,
      bus: new EventBus(),
      engine,
      registry: {
        address: 'registry.test',
        credentials: () => ({ serveraddress: 'registry.test', username: 'u', password: new Secret('p') }),
        resolveDigest: async () => assert.fail('not used'),
      },
      // The queue never reads a source or a commit: the scripted executor stands in for executeRun.
      sources: { open: () => assert.fail('not used'), assertBuildable: async () => assert.fail('not used'), pipelineFiles: async () => assert.fail('not used'), commitInfo: async () => assert.fail('not used'), changedFiles: async () => assert.fail('not used') },
      instance: 'slipway',
      rolloutTimeoutMs: 1_000,
      httpsPort: 443,
      syncRoutes: async () => {},
      deploys: new DeployLock(),
      outbound: { allowedHosts: [] },
      backend: new FakeStepBackend(), cancellations: new Cancellations(), sealer: createSealer(randomBytes(32), 'test.key'),
    };
    const executor = new ScriptedExecutor(store);
    return { store, executor, ctx, queue: new RunQueue(ctx, { execute: executor.execute, capacity }) };
  }
  const newRun = (store: Store, app: string) => store.createRun({ app, source: 'git', ref: 'refs/heads/main', commit: 'a'.repeat(40) });

  it('runs one run per app at a time, in order, and different apps in parallel', async () => {
    const { store, executor, queue } = setup();
    const web1 = await newRun(store, 'web');
    const web2 = await newRun(store, 'web');
    const api1 = await newRun(store, 'api');
    await queue.start();
    await until('web#1 and api#3 to start', () => executor.running().length === 2);
    assert.deepEqual(executor.running(), [`api#${api1.id}`, `web#${web1.id}`]);
    assert.equal((await store.getRun(web2.id))?.status, 'queued');

    executor.finish(web1.id);
    await until('web#2 to start', () => executor.running().includes(`web#${web2.id}`));
    assert.deepEqual(executor.running(), [`api#${api1.id}`, `web#${web2.id}`]);
    executor.finish(api1.id);
    executor.finish(web2.id);
    await queue.stop();
    assert.deepEqual(executor.started, [`web#${web1.id}`, `api#${api1.id}`, `web#${web2.id}`]);
    assert.equal(executor.maxParallelPerApp, 1);
  });

  it('starts no more runs than its capacity over all apps, oldest first; a finished run frees its slot', async () => {
    const { store, executor, queue } = setup(2);
    const runs = await Promise.all(['a', 'b', 'c', 'd'].map((app) => newRun(store, app)));
    const [a, b, c, d] = runs.map((r) => `${r.app}#${r.id}`);
    await queue.start();
    await until('two runs to start', () => executor.running().length === 2);
    for (let i = 0; i < 20; i++) queue.kick();
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(executor.running(), [a, b]);
    assert.equal((await store.getRun(runs[2]!.id))?.status, 'queued');
    executor.finish(runs[0]!.id);
    await until('c to take the free slot', () => executor.running().includes(c!));
    assert.deepEqual(executor.running(), [b, c]);
    executor.finish(runs[1]!.id);
    executor.finish(runs[2]!.id);
    await until('d to start', () => executor.running().includes(d!));
    executor.finish(runs[3]!.id);
    await queue.stop();
    assert.deepEqual(executor.started, [a, b, c, d]);
  });

  it('runs resumed after a restart take slots of the capacity', async () => {
    const { store, executor, queue } = setup(1);
    const interrupted = await newRun(store, 'web');
    await store.claimNextRuns(new Date().toISOString());
    const other = await newRun(store, 'api');
    await queue.start();
    await until('the resumed run', () => executor.running().length === 1);
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(executor.running(), [`web#${interrupted.id}`]);
    assert.equal((await store.getRun(other.id))?.status, 'queued');
    executor.finish(interrupted.id);
    await until('api to start', () => executor.running().includes(`api#${other.id}`));
    executor.finish(other.id);
    await queue.stop();
  });

  it('start() resumes runs left running by a stopped Slipway before taking queued ones of the same app', async () => {
    const { store, executor, queue } = setup();
    const interrupted = await newRun(store, 'web');
    await store.claimNextRuns(new Date().toISOString()); // marked running; then Slipway stopped
    const waiting = await newRun(store, 'web');
    const other = await newRun(store, 'api');
    await queue.start();
    await until('the interrupted run and api to start', () => executor.running().length === 2);
    assert.equal(executor.started[0], `web#${interrupted.id}`, 'resumed first');
    assert.deepEqual(executor.running(), [`api#${other.id}`, `web#${interrupted.id}`]);
    executor.finish(interrupted.id);
    await until('the waiting run to start', () => executor.running().includes(`web#${waiting.id}`));
    executor.finish(waiting.id);
    executor.finish(other.id);
    await queue.stop();
    assert.equal(executor.started.filter((s) => s === `web#${interrupted.id}`).length, 1);
  });

  it('a run that was running at a stop, resumed, and running again at the next stop is failed with that reason', async () => {
    const first = setup();
    const { store } = first;
    const run = await newRun(store, 'web');
    await store.claimNextRuns(new Date().toISOString()); // marked running; then Slipway stopped
    const image = `127.0.0.1:5000/apps/web@sha256:${'a'.repeat(64)}`;
    const release = await store.createRelease({ app: 'web', image, commit: run.commit, runId: run.id, rollbackOf: null, spec: { app: 'web', image, port: 3000, replicas: 1, env: {} } });
    await first.queue.start();
    await until('the run to be resumed', () => first.executor.running().includes(`web#${run.id}`));
    assert.equal((await store.getRunDetails(run.id))?.resumes, 1);
    await first.queue.stop(false); // Slipway stops again while the resumed run still runs

    const second = setup(Infinity, store);
    const finished: unknown[] = [];
    second.ctx.bus.on('run.finished', (e) => finished.push(e));
    await second.queue.start();
    await second.queue.stop();
    assert.deepEqual(second.executor.started, [], 'not resumed a second time');
    const done = await store.getRun(run.id);
    assert.equal(done?.status, 'failed');
    assert.equal(done?.phase, 'done');
    assert.equal(done?.error?.kind, 'interrupted');
    assert.match(done?.error?.message ?? '', /stopped while this run was running, and again after it was resumed/);
    assert.ok(done?.finishedAt);
    assert.equal((await store.getReleaseById(release.id))?.status, 'failed', 'its release is not going out any more');
    assert.deepEqual(finished, [{ runId: run.id, app: 'web', status: 'failed', error: done?.error }]);
  });

  it('a run cut off twice mid-rollout puts the previous release back before it fails: nothing stays half-deployed', async () => {
    const engine = new FakeEngine({ pollsToRun: 0, requirePinnedImages: true });
    const store = createMemoryStore();
    const first = setup(Infinity, store, engine);
    const image = (n: number) => `127.0.0.1:5000/apps/web@sha256:${String(n).repeat(64)}`;
    const release = (n: number) =>
      store.createRelease({ app: 'web', image: image(n), commit: String(n).repeat(40), runId: null, rollbackOf: null, spec: { app: 'web', image: image(n), port: 3000, replicas: 1, env: {} } });
    const v1 = await release(1);
    await rollOut(v1, { ...first.ctx, log: () => undefined });
    // Run 2 recorded v2 and started rolling it out; then Slipway died, was restarted, resumed it, and died again.
    const run = await newRun(store, 'web');
    await store.claimNextRuns(new Date().toISOString());
    const v2 = await store.createRelease({ app: 'web', image: image(2), commit: run.commit, runId: run.id, rollbackOf: null, spec: { app: 'web', image: image(2), port: 3000, replicas: 1, env: {} } });
    await store.updateRun(run.id, { phase: 'deploy', releaseId: v2.id });
    await store.updateRunDetails(run.id, { resumes: 1 });
    await engine.deployService(definitionOf(v2, 'slipway'), null);
    assert.equal(engine.definitionOf(appServiceName('slipway', 'web'))?.image, image(2));

    await first.queue.start();
    await first.queue.stop();
    assert.deepEqual(first.executor.started, [], 'not resumed a second time');
    assert.equal(engine.definitionOf(appServiceName('slipway', 'web'))?.image, image(1), 'the previous release is back');
    assert.equal((await store.getReleaseById(v2.id))?.status, 'failed');
    assert.equal((await store.liveRelease('web'))?.id, v1.id);
    assert.equal((await store.getRun(run.id))?.error?.kind, 'interrupted');
    assert.match(await store.readRunLog(run.id), /rolling back to release v1/);
  });

  it('a run resumed once and finished counts nothing against a later run', async () => {
    const first = setup();
    const run = await newRun(first.store, 'web');
    await first.store.claimNextRuns(new Date().toISOString());
    await first.queue.start();
    await until('the run to be resumed', () => first.executor.running().includes(`web#${run.id}`));
    first.executor.finish(run.id);
    const next = await newRun(first.store, 'web');
    await until('the next run', () => first.executor.running().includes(`web#${next.id}`));
    await first.queue.stop(false);
    const second = setup(Infinity, first.store);
    await second.queue.start();
    await until('the next run to be resumed', () => second.executor.running().includes(`web#${next.id}`));
    second.executor.finish(next.id);
    await second.queue.stop();
    assert.equal((await first.store.getRunDetails(next.id))?.resumes, 1);
  });

  it('kick is cheap and safe to call often: each run starts exactly once, the store is read a bounded number of times', async () => {
    const { store, executor, queue } = setup();
    let claims = 0;
    const claim = store.claimNextRuns.bind(store);
    store.claimNextRuns = (at, limit) => {
      claims++;
      return claim(at, limit);
    };
    await queue.start();
    const runs = await Promise.all(['a', 'b', 'c'].map((app) => newRun(store, app)));
    for (let i = 0; i < 100; i++) queue.kick();
    await until('all three to start', () => executor.running().length === 3);
    for (let i = 0; i < 100; i++) queue.kick();
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(executor.started.sort(), runs.map((r) => `${r.app}#${r.id}`).sort());
    assert.ok(claims <= 5, `claimNextRuns called ${claims} times for 200 kicks`);
    runs.forEach((r) => executor.finish(r.id));
    await queue.stop();
  });

  it('a kick while a run finishes picks up a run queued meanwhile', async () => {
    const { store, executor, queue } = setup();
    const first = await newRun(store, 'web');
    await queue.start();
    await until('the first run', () => executor.running().length === 1);
    const second = await newRun(store, 'web');
    queue.kick(); // too early: web is busy
    executor.finish(first.id);
    await until('the second run', () => executor.running().includes(`web#${second.id}`));
    executor.finish(second.id);
    await queue.stop();
  });

  it('stop() waits for active runs and takes no new ones', async () => {
    const { store, executor, queue } = setup();
    const active = await newRun(store, 'web');
    await queue.start();
    await until('the run', () => executor.running().length === 1);
    let stopped = false;
    const stopping = queue.stop().then(() => (stopped = true));
    const late = await newRun(store, 'api');
    queue.kick();
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(stopped, false, 'still waiting for the active run');
    executor.finish(active.id);
    await stopping;
    assert.equal((await store.getRun(late.id))?.status, 'queued');
    assert.deepEqual(executor.started, [`web#${active.id}`]);
  });
});
