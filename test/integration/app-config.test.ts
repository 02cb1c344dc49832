// An app's config on real dockerd + Swarm (issue 14): a change rolls the live image out again and the new task has the
// value in its environment; a rollback puts the old value back; a secret value is in the task, never in the store.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { DockerEngine } from '../../src/adapters/docker/docker-engine.js';
import { FakeStepBackend } from '../../src/adapters/docker/fake-step-backend.js';
import { FakeRegistry } from '../../src/adapters/registry/fake-registry.js';
import { createSealer } from '../../src/adapters/secrets/sealer.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite.js';
import { AppConfigOps } from '../../src/api/app-config.js';
import { packDirectory } from '../../src/cli/tarball.js';
import { rollOut } from '../../src/converge/rollout.js';
import { SlipwayError } from '../../src/core/errors.js';
import { EventBus } from '../../src/core/events.js';
import { appNetworkName, appServiceName } from '../../src/core/naming.js';
import type { Store } from '../../src/core/ports/store.js';
import type { Run } from '../../src/core/types.js';
import { createBuiltRelease } from '../../src/release/new-release.js';
import { Cancellations } from '../../src/run/cancellations.js';
import { DeployLock } from '../../src/run/deploy-lock.js';
import { executeRun } from '../../src/run/executor.js';
import type { RunContext } from '../../src/run/run-context.js';
import { configChanged } from '../../src/trigger/config-change.js';
import { rollback } from '../../src/trigger/rollback.js';
import { ensureTestSwarm } from '../support/swarm.js';

const NO_SOURCE: RunContext['sources'] = {
  open: () => assert.fail('nothing is built'),
  assertBuildable: async () => assert.fail('nothing is built'),
  pipelineFiles: async () => [],
  commitInfo: async () => null,
  changedFiles: async () => null,
};

describe('app config on dockerd + Swarm', { timeout: 300_000 }, () => {
  const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
  const instance = `slwcfg${Date.now().toString(36)}`;
  const service = appServiceName(instance, 'web');
  const tag = `${instance}-img:v1`;
  let dir = '';
  let store: Store;
  let imageId = '';

  before(async () => {
    await ensureTestSwarm(docker);
    await docker.createNetwork({ Name: instance, Driver: 'overlay', Attachable: true, Labels: { 'io.slipway.test': instance } });
    dir = await mkdtemp(join(tmpdir(), 'slipway-config-int-'));
    // A long-running task whose image sets GREETING itself: the config must win over the image's ENV.
    await writeFile(join(dir, 'Dockerfile'), 'FROM busybox:latest\nENV GREETING=from-image\nCMD ["sh", "-c", "sleep 3600"]\n');
    const engine = new DockerEngine(docker);
    await engine.build({ context: Readable.from([await packDirectory(dir)]), tag, labels: { 'io.slipway.test': instance }, onLog: () => undefined });
    // The image ID as the reference: Swarm then runs the local image without trying a registry.
    imageId = String((await docker.getImage(tag).inspect()).Id);
    store = await openSqliteStore(join(dir, 'slipway.db'));
  });

  after(async () => {
    await docker.getService(service).remove().catch(() => undefined);
    const deadline = Date.now() + 60_000;
    // The shared network the test made and the app's own network the rollout made (issue 12: one per app).
    for (const network of [instance, appNetworkName(instance, 'web')]) {
      while (Date.now() < deadline && !(await docker.getNetwork(network).remove().then(() => true, (err: { statusCode?: number }) => err.statusCode === 404))) {
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The environment of the service's running task, from its container. */
  async function taskEnv(): Promise<Record<string, string>> {
    const tasks = await docker.listTasks({ filters: { service: [service], 'desired-state': ['running'] } });
    const running = tasks.filter((t) => t.Status?.State === 'running');
    assert.equal(running.length, 1, JSON.stringify(tasks.map((t) => t.Status)));
    const containerId = String(running[0]!.Status?.ContainerStatus?.ContainerID);
    const env = ((await docker.getContainer(containerId).inspect()).Config.Env ?? []) as string[];
    return Object.fromEntries(env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  }

  it('a change reaches the new task as environment variables; a rollback puts the old value back', async () => {
    const app = await store.createApp({ name: 'web', domain: 'web.example.com', port: 8080, replicas: 1, branch: 'main' });
    const sealer = createSealer(randomBytes(32), join(dir, 'test.key'));
    const ctx: RunContext = {
      store, bus: new EventBus(), engine: new DockerEngine(docker), registry: new FakeRegistry(), sources: NO_SOURCE,
      instance, rolloutTimeoutMs: 90_000, httpsPort: 8443, syncRoutes: async () => undefined, deploys: new DeployLock(),
      outbound: { allowedHosts: [] }, backend: new FakeStepBackend(), cancellations: new Cancellations(), sealer,
    };
    const enqueue = (r: Parameters<Store['createRun']>[0]) => store.createRun(r);
    const ops = new AppConfigOps({
      store, sealer, triggers: { configChanged: (a) => configChanged({ store, enqueue }, a) },
      apps: { get: async (name) => (await store.getApp(name)) ?? assert.fail(new SlipwayError('not_found', name)) },
    });
    const execute = async (run: Run | null): Promise<Run> => {
      assert.ok(run);
      const [claimed] = await store.claimNextRuns(new Date().toISOString());
      assert.equal(claimed?.id, run.id);
      await executeRun(claimed, ctx);
      const done = (await store.getRun(run.id))!;
      assert.equal(done.status, 'succeeded', `${JSON.stringify(done.error)}\n${await store.readRunLog(run.id)}`);
      return done;
    };

    // v1: a first deploy with GREETING=hello (staged before anything was live).
    assert.equal((await ops.change('web', { set: { GREETING: { value: 'hello' } }, unset: [], deploy: true })).applied, 'no_live_release');
    const pushed = await store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: 'c'.repeat(40) });
    await store.claimNextRuns(new Date().toISOString());
    const v1 = await createBuiltRelease(store, app, await store.updateRun(pushed.id, { status: 'succeeded', phase: 'done' }), imageId);
    await rollOut(v1, { ...ctx, log: () => undefined });
    assert.equal((await taskEnv())['GREETING'], 'hello', 'config wins over the image ENV');

    // v2: the change rolls the same image out again; the new task sees the new value and the secret.
    const change = await ops.change('web', { set: { GREETING: { value: 'world' }, API_TOKEN: { value: 'tok-9f2', secret: true } }, unset: [], deploy: true });
    await execute(change.run);
    const env2 = await taskEnv();
    assert.deepEqual([env2['GREETING'], env2['API_TOKEN'], env2['PORT']], ['world', 'tok-9f2', '8080']);
    assert.equal((await store.liveRelease('web'))?.number, 2);
    assert.ok(!JSON.stringify(await store.getAppConfig('web')).includes('tok-9f2'), 'the store holds it sealed');

    // Rollback to v1: its image (the same) with its config.
    await execute(await rollback(enqueue, app, null));
    const env3 = await taskEnv();
    assert.equal(env3['GREETING'], 'hello');
    assert.equal(env3['API_TOKEN'], undefined);
    assert.equal((await store.liveRelease('web'))?.rollbackOf, 1);
  });
});
