import assert from 'node:assert/strict';
import { FakeStepBackend } from '../adapters/docker/fake-step-backend.js';
import { createSealer } from '../adapters/secrets/sealer.js';
import { Cancellations } from './cancellations.js';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { FakeEngine } from '../adapters/docker/fake-engine.js';
import { FakeRegistry } from '../adapters/registry/fake-registry.js';
import { createMemoryStore } from '../adapters/store/memory.js';
import { EventBus, type SlipwayEvents } from '../core/events.js';
import { appServiceName } from '../core/naming.js';
import type { RegistryPort } from '../core/ports/registry.js';
import { secretContext } from '../core/ports/sealer.js';
import type { Store } from '../core/ports/store.js';
import { Secret } from '../core/secret.js';
import type { Run } from '../core/types.js';
import { definitionOf } from '../converge/rollout.js';
import { GitRepos } from '../adapters/git/repos.js';
import { RunSources } from '../trigger/sources.js';
import { DeployLock } from './deploy-lock.js';
import { executeRun } from './executor.js';
import type { RunContext } from './run-context.js';

const exec = promisify(execFile);
const REGISTRY = '127.0.0.1:5000';
const SERVICE = appServiceName('slipway', 'web');

/** A registry that knows what the fake engine pushed, as the real one knows what dockerd pushed. */
function fakeRegistry(engine: FakeEngine): RegistryPort {
  return new FakeRegistry({ address: REGISTRY, password: new Secret('pw'), pushed: (reference) => engine.pushedDigest(reference) });
}

describe('run executor', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-executor-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  let worlds = 0;
  /** A store with app web, its bare repository, a working copy to commit from, and a fake engine. */
  async function world() {
    const root = join(dir, `w${++worlds}`);
    const repos = new GitRepos(join(root, 'git'));
    await repos.ensure('web');
    const work = join(root, 'work');
    await mkdir(work, { recursive: true });
    await git(work, 'init', '-q', '-b', 'main');
    const store = createMemoryStore();
    await store.createApp({ name: 'web', domain: 'web.example.com', port: 3000, replicas: 1, branch: 'main' });
    const engine = new FakeEngine({ pollsToRun: 0, requirePinnedImages: true });
    const bus = new EventBus();
    const finished: Array<SlipwayEvents['run.finished']> = [];
    bus.on('run.finished', (e) => finished.push(e));
    let routeSyncs = 0;
    const ctx: RunContext = {
      store, bus, engine, registry: fakeRegistry(engine), sources: new RunSources(repos, join(root, 'uploads')),
      // Generous: no test here waits for the deadline, and a loaded CI machine must not turn a success into a timeout.
      instance: 'slipway', rolloutTimeoutMs: 30_000, httpsPort: 8443,
      syncRoutes: async () => void routeSyncs++,
      deploys: new DeployLock(),
      outbound: { allowedHosts: [] },
      backend: new FakeStepBackend(), cancellations: new Cancellations(), sealer: createSealer(randomBytes(32), 'test.key'),
    };
    return {
      store, engine, ctx, finished,
      routeSyncs: () => routeSyncs,
      /** Commits these files (null removes one) and pushes to the app's repository; returns the commit. */
      async commit(files: Record<string, string | null>): Promise<string> {
        for (const [name, text] of Object.entries(files)) {
          if (text === null) await rm(join(work, name), { force: true });
          else await writeFile(join(work, name), text);
        }
        await git(work, 'add', '-A');
        await git(work, '-c', 'user.email=t@slipway.test', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'change');
        await git(work, 'push', '-q', repos.dirOf('web'), 'HEAD:refs/heads/main');
        return (await git(work, 'rev-parse', 'HEAD')).trim();
      },
      async run(commit: string, source: Run['source'] = 'git', targetRelease: number | null = null): Promise<Run> {
        const created = await store.createRun({ app: 'web', source, ref: 'refs/heads/main', commit, targetRelease });
        const [claimed] = await store.claimNextRuns(new Date().toISOString());
        assert.equal(claimed?.id, created.id);
        await executeRun(claimed, ctx);
        const done = await store.getRun(created.id);
        assert.ok(done);
        return done;
      },
      tagOf: (commit: string) => `${REGISTRY}/apps/web:${commit.slice(0, 12)}`,
    };
  }
  const DOCKERFILE = { Dockerfile: 'FROM node:20-slim\nCOPY server.js .\nCMD ["node", "server.js"]\n', 'server.js': 'console.log(1)\n' };

  it('builds the commit, pushes it, pins the digest, puts the release live, syncs routes and reports the URL', async () => {
    const w = await world();
    const commit = await w.commit(DOCKERFILE);
    const run = await w.run(commit);
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    assert.equal(run.phase, 'done');
    assert.equal(run.error, null);
    assert.ok(run.finishedAt);

    const [build] = w.engine.callsTo('build');
    assert.equal(build?.tag, w.tagOf(commit));
    assert.deepEqual(build?.labels, { 'io.slipway.app': 'web', 'io.slipway.commit': commit });
    assert.ok(build && build.contextBytes > 0 && build.contextBytes % 512 === 0, 'the build got the commit as a tar');
    const digest = w.engine.pushedDigest(w.tagOf(commit));
    const release = await w.store.liveRelease('web');
    assert.equal(release?.image, `${REGISTRY}/apps/web@${digest}`);
    assert.equal(release?.runId, run.id);
    assert.equal(release?.commit, commit);
    assert.equal(run.releaseId, release?.id);
    assert.equal(w.engine.definitionOf(SERVICE)?.image, release?.image);
    assert.equal(w.routeSyncs(), 1);

    const log = await w.store.readRunLog(run.id);
    assert.match(log, new RegExp(`--> building web at commit ${commit.slice(0, 12)}\n`));
    assert.match(log, /Successfully tagged/);
    assert.match(log, /--> pushing 127\.0\.0\.1:5000\/apps\/web:/);
    assert.match(log, /--> live at https:\/\/web\.example\.com:8443\/\n$/);
    assert.deepEqual(w.finished, [{ runId: run.id, app: 'web', status: 'succeeded', error: null, url: 'https://web.example.com:8443/' }]);
    assert.equal((await w.store.listEvents(1))[0]?.type, 'run.succeeded');
  });

  it('opens the app\'s secrets only when each was sealed for this app and name (issue 12)', async () => {
    const w = await world();
    const commit = await w.commit(DOCKERFILE);
    await w.store.setSecret('web', 'NPM_TOKEN', w.ctx.sealer.seal('npm', secretContext('web', 'NPM_TOKEN')));
    assert.equal((await w.run(commit)).status, 'succeeded');
    // Another app's secret of the same name, copied into this app's row, does not open.
    await w.store.setSecret('web', 'NPM_TOKEN', w.ctx.sealer.seal('npm', secretContext('api', 'NPM_TOKEN')));
    const refused = await w.run(commit);
    assert.equal(refused.status, 'failed');
    assert.equal(refused.error?.message, 'secret cannot be decrypted');
    assert.match(refused.error?.hint ?? '', /secret NPM_TOKEN of app web/);
  });

  it('a run asked to cancel before a restart cut it off ends cancelled instead of running again', async () => {
    const w = await world();
    const commit = await w.commit(DOCKERFILE);
    const created = await w.store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit });
    const [claimed] = await w.store.claimNextRuns(new Date().toISOString());
    await w.store.updateRunDetails(created.id, { cancelRequested: true });
    await executeRun(claimed!, w.ctx);
    const done = await w.store.getRun(created.id);
    assert.equal(done?.status, 'cancelled');
    assert.match(done?.error?.message ?? '', /cancelled/);
    assert.deepEqual(w.engine.callsTo('build'), []);
  });

  it('a failing build fails the run with build_failed and its hint; nothing is pushed or deployed', async () => {
    const w = await world();
    const commit = await w.commit(DOCKERFILE);
    w.engine.script(w.tagOf(commit), 'build-fails');
    const run = await w.run(commit);
    assert.equal(run.status, 'failed');
    assert.equal(run.error?.kind, 'build_failed');
    assert.match(run.error?.hint ?? '', /fix the step shown in the build log/);
    assert.deepEqual(w.engine.callsTo('push'), []);
    assert.deepEqual(w.engine.callsTo('deployService'), []);
    assert.deepEqual(await w.store.listReleases('web'), []);
    assert.equal(w.routeSyncs(), 0);
    const log = await w.store.readRunLog(run.id);
    assert.match(log, /Step 2\/3 : RUN \.\/build\n.*--> failed: the image did not build: .*\n    hint: /s);
    assert.equal(w.finished[0]?.status, 'failed');
  });

  it('a commit without a Dockerfile fails before anything is built', async () => {
    const w = await world();
    const commit = await w.commit({ 'README.md': 'no Dockerfile here\n' });
    const run = await w.run(commit);
    assert.equal(run.error?.kind, 'invalid_input');
    assert.match(run.error?.message ?? '', /no Dockerfile at the top of commit/);
    assert.deepEqual(w.engine.callsTo('build'), []);
  });

  it('a release that crashes fails the run; the previous release keeps serving', async () => {
    const w = await world();
    assert.equal((await w.run(await w.commit(DOCKERFILE))).status, 'succeeded');
    const second = await w.commit({ 'server.js': 'process.exit(1)\n' });
    w.engine.script(w.tagOf(second), 'crash');
    const run = await w.run(second);
    assert.equal(run.error?.kind, 'health_gate_failed');
    assert.deepEqual((await w.store.listReleases('web')).map((r) => `v${r.number}:${r.status}`), ['v2:failed', 'v1:live']);
    assert.equal(w.engine.definitionOf(SERVICE)?.image, (await w.store.liveRelease('web'))?.image);
    assert.equal(w.routeSyncs(), 1, 'only the successful run synced routes');
  });

  it('a rollback run redeploys the earlier release as a new one, without building', async () => {
    const w = await world();
    await w.run(await w.commit(DOCKERFILE));
    await w.run(await w.commit({ 'server.js': 'console.log(2)\n' }));
    const builds = w.engine.callsTo('build').length;
    const [v2, v1] = await w.store.listReleases('web');
    const run = await w.run(v1?.commit ?? '', 'rollback');
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    assert.equal(w.engine.callsTo('build').length, builds);
    const releases = await w.store.listReleases('web');
    assert.deepEqual(releases.map((r) => `v${r.number}:${r.status}`), ['v3:live', 'v2:rolled_back', 'v1:superseded']);
    assert.equal(releases[0]?.image, v1?.image);
    assert.equal(releases[0]?.rollbackOf, 1);
    assert.notEqual(v2?.image, v1?.image);
    assert.match(await w.store.readRunLog(run.id), /--> rolling back web to release v1 /);
  });

  /** Concurrency 2 and two queued runs of two commits: the older one queued first. */
  async function twoQueuedRuns() {
    const w = await world();
    await w.store.updateApp('web', { concurrency: 2 });
    const oldCommit = await w.commit(DOCKERFILE);
    const older = await w.store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: oldCommit });
    const newCommit = await w.commit({ 'server.js': 'console.log(2)\n' });
    const newer = await w.store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: newCommit });
    return { w, older, newer, newCommit };
  }

  it('with concurrency 2, an older run that reaches its deploy after a newer one is live skips it as superseded', async () => {
    const { w, older, newer, newCommit } = await twoQueuedRuns();
    const claimed = await w.store.claimNextRuns(new Date().toISOString());
    assert.deepEqual(claimed.map((r) => r.id), [older.id, newer.id], 'both run at once');
    // The newer one gets to its deploy first (the older one had a slow step, say).
    await executeRun(claimed[1]!, w.ctx);
    await executeRun(claimed[0]!, w.ctx);

    const olderDone = await w.store.getRun(older.id);
    assert.equal(olderDone?.status, 'succeeded', JSON.stringify(olderDone?.error));
    assert.equal(olderDone?.releaseId, null);
    const deploy = (await w.store.listRunSteps(older.id)).find((s) => s.name === 'deploy');
    assert.equal(deploy?.status, 'skipped');
    assert.match(deploy?.skipReason ?? '', new RegExp(`^superseded: run ${newer.id}, queued after this one, has since put release v1 live \\(commit ${newCommit.slice(0, 12)}\\)`));
    const releases = await w.store.listReleases('web');
    assert.deepEqual(releases.map((r) => [r.number, r.runId, r.status]), [[1, newer.id, 'live']]);
    assert.equal(w.engine.definitionOf(SERVICE)?.image, releases[0]?.image);
    const log = await w.store.readRunLog(older.id);
    assert.match(log, /step deploy skipped: superseded/);
    assert.doesNotMatch(log, /--> live at/, 'a run that deployed nothing reports no URL');
    assert.equal(w.finished.find((f) => f.runId === older.id)?.url, undefined);
  });

  it('with concurrency 2, an older run does not replace the stack a newer run deployed', async () => {
    const w = await world();
    await w.store.updateApp('web', { concurrency: 2 });
    const files = (version: string) => ({
      '.slipway.yml': 'steps:\n  - name: db\n    deploy: { stack: db }\n',
      // Pinned: this fake engine, like the deploys Slipway makes, takes digest references only.
      'compose.yaml': `services:\n  cache:\n    image: busybox@sha256:${'b'.repeat(64)}\n    environment: { VERSION: "${version}" }\n`,
    });
    const older = await w.store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: await w.commit(files('1')) });
    const newer = await w.store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: await w.commit(files('2')) });
    const [a, b] = await w.store.claimNextRuns(new Date().toISOString());
    await executeRun(b!, w.ctx);
    const service = w.engine.callsTo('deployService').at(-1)?.definition.serviceName ?? '';
    assert.deepEqual(w.engine.definitionOf(service)?.env, { VERSION: '2' });
    await executeRun(a!, w.ctx);
    assert.equal((await w.store.getRun(older.id))?.status, 'succeeded');
    const step = (await w.store.listRunSteps(older.id)).find((s) => s.name === 'db');
    assert.equal(step?.status, 'skipped');
    assert.match(step?.skipReason ?? '', new RegExp(`^superseded: run ${newer.id}, queued after this one, has since deployed stack db`));
    assert.deepEqual(w.engine.definitionOf(service)?.env, { VERSION: '2' }, 'the newer stack stays');
  });

  it('a newer run whose rollout failed does not hold an older run back', async () => {
    const { w, older, newer, newCommit } = await twoQueuedRuns();
    w.engine.script(w.tagOf(newCommit), 'crash');
    const claimed = await w.store.claimNextRuns(new Date().toISOString());
    await executeRun(claimed[1]!, w.ctx);
    assert.equal((await w.store.getRun(newer.id))?.status, 'failed');
    await executeRun(claimed[0]!, w.ctx);
    assert.equal((await w.store.getRun(older.id))?.status, 'succeeded');
    assert.equal((await w.store.liveRelease('web'))?.runId, older.id);
  });

  it('a run interrupted during its deploy resumes that release without building again', async () => {
    const w = await world();
    const commit = await w.commit(DOCKERFILE);
    // What the interrupted run had done: built, pushed, recorded the release and sent the deploy.
    const run = await w.store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit });
    await w.store.claimNextRuns(new Date().toISOString());
    const image = `${REGISTRY}/apps/web@sha256:${'e'.repeat(64)}`;
    const release = await w.store.createRelease({
      app: 'web', image, commit, runId: run.id, rollbackOf: null, spec: { app: 'web', image, port: 3000, replicas: 1, env: {} },
    });
    await w.store.updateRun(run.id, { phase: 'deploy', releaseId: release.id });
    await w.engine.deployService(definitionOf(release, 'slipway'), w.ctx.registry.credentials());

    const resumed = await w.store.getRun(run.id);
    assert.ok(resumed);
    await executeRun(resumed, w.ctx);
    const done = await w.store.getRun(run.id);
    assert.equal(done?.status, 'succeeded', JSON.stringify(done?.error));
    assert.deepEqual(w.engine.callsTo('build'), []);
    assert.deepEqual(w.engine.callsTo('deployService').map((c) => c.changed), [true, false], 'the deploy was not sent again');
    assert.equal((await w.store.liveRelease('web'))?.id, release.id);
    assert.match(await w.store.readRunLog(run.id), /resuming release v1/);
  });

  it('a restarted run whose release a newer run has since replaced does not put it back', async () => {
    const { w, older, newer, newCommit } = await twoQueuedRuns();
    const [a, b] = await w.store.claimNextRuns(new Date().toISOString());
    await executeRun(a!, w.ctx);
    // As if Slipway stopped while the older run was still in its steps after the deploy (phase deploy).
    const v1 = await w.store.liveRelease('web');
    await w.store.updateRun(older.id, { status: 'running', phase: 'deploy', releaseId: v1!.id, finishedAt: null });
    await executeRun(b!, w.ctx);
    assert.equal((await w.store.getReleaseById(v1!.id))?.status, 'superseded');
    const deploys = w.engine.callsTo('deployService').length;

    await executeRun((await w.store.getRun(older.id))!, w.ctx);
    const done = await w.store.getRun(older.id);
    assert.equal(done?.status, 'succeeded', JSON.stringify(done?.error));
    assert.equal((await w.store.liveRelease('web'))?.runId, newer.id, 'the newer release stays live');
    assert.equal(w.engine.callsTo('deployService').length, deploys, 'nothing was rolled out');
    assert.match(await w.store.readRunLog(older.id), /release v1 was replaced by a later one while this run was cut off; not putting it back/);
  });

  it('a run cut off while putting the previous release back finishes that, instead of deploying the failed release', async () => {
    const w = await world();
    assert.equal((await w.run(await w.commit(DOCKERFILE))).status, 'succeeded');
    const v1 = await w.store.liveRelease('web');
    const commit = await w.commit({ 'server.js': 'process.exit(1)\n' });
    // What the interrupted run had done: v2 sent out, failed its gate and recorded so, then Slipway stopped.
    const run = await w.store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit });
    await w.store.claimNextRuns(new Date().toISOString());
    const image = `${REGISTRY}/apps/web@sha256:${'f'.repeat(64)}`;
    const v2 = await w.store.createRelease({ app: 'web', image, commit, runId: run.id, rollbackOf: null, spec: { app: 'web', image, port: 3000, replicas: 1, env: {} } });
    await w.store.updateRun(run.id, { phase: 'deploy', releaseId: v2.id });
    await w.engine.deployService(definitionOf(v2, 'slipway'), w.ctx.registry.credentials());
    await w.store.setReleaseStatus(v2.id, 'failed');

    await executeRun((await w.store.getRun(run.id))!, w.ctx);
    const done = await w.store.getRun(run.id);
    assert.equal(done?.status, 'failed');
    assert.equal(done?.error?.kind, 'health_gate_failed');
    assert.equal(w.engine.definitionOf(SERVICE)?.image, v1?.image, 'v1 is back');
    assert.deepEqual((await w.store.listReleases('web')).map((r) => `v${r.number}:${r.status}`), ['v2:failed', 'v1:live']);
  });

  it('a release recorded just before a crash, but never sent, is marked failed when its run starts again', async () => {
    const w = await world();
    const commit = await w.commit(DOCKERFILE);
    const run = await w.store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit });
    const [claimed] = await w.store.claimNextRuns(new Date().toISOString());
    const image = `${REGISTRY}/apps/web@sha256:${'d'.repeat(64)}`;
    await w.store.createRelease({ app: 'web', image, commit, runId: run.id, rollbackOf: null, spec: { app: 'web', image, port: 3000, replicas: 1, env: {} } });
    await executeRun(claimed!, w.ctx);
    assert.equal((await w.store.getRun(run.id))?.status, 'succeeded');
    assert.deepEqual((await w.store.listReleases('web')).map((r) => `v${r.number}:${r.status}`), ['v2:live', 'v1:failed']);
  });

  it('a run of an app deleted meanwhile fails with not_found', async () => {
    const w = await world();
    const commit = await w.commit(DOCKERFILE);
    await w.store.deleteApp('web');
    const run = await w.run(commit);
    assert.equal(run.status, 'failed');
    assert.equal(run.error?.kind, 'not_found');
    assert.deepEqual(w.engine.calls, []);
  });
});

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await exec('git', ['-C', cwd, ...args])).stdout;
}
