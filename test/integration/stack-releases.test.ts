// Stack releases on the real Swarm (issue 13): deploy a stack three times, roll back two levels to release 1 (its
// stored plan, no file read again), and diff; what Swarm runs after each step is read back from dockerd.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { DockerEngine } from '../../src/adapters/docker/docker-engine.js';
import { FakeRegistry } from '../../src/adapters/registry/fake-registry.js';
import { createMemoryStore } from '../../src/adapters/store/memory.js';
import { Apps } from '../../src/api/apps.js';
import { StackOps } from '../../src/api/stacks.js';
import { EventBus } from '../../src/core/events.js';
import type { NewRun } from '../../src/core/ports/store.js';
import { DeployLock } from '../../src/run/deploy-lock.js';
import { runStackRun, stackRunOf } from '../../src/run/stack-runs.js';
import { ensureTestSwarm } from '../support/swarm.js';

const docker = new Dockerode();
const engine = new DockerEngine(docker);
const instance = `slipway-it-${randomBytes(3).toString('hex')}`;
const web = `${instance}-stack-shop_back_web`;

// The image ID skips the pull of a tag from Docker Hub (see engine.test.ts): busybox:latest as this node has it.
const compose = (version: string, replicas: number) =>
  `services:\n  web:\n    image: \${IMG}\n    command: [sleep, "3600"]\n    environment:\n      VERSION: "${version}"\n    deploy:\n      replicas: ${replicas}\n`;

describe('stack releases on Swarm', { timeout: 300_000 }, () => {
  let stacks: StackOps;
  let execute: (runId: number) => Promise<void>;
  let image: string;
  const store = createMemoryStore();

  before(async () => {
    await ensureTestSwarm(docker);
    image = (await docker.getImage('busybox:latest').inspect()).Id;
    await store.createApp({ name: 'shop', domain: 'shop.example.com', port: 3000, replicas: 1, branch: 'main' });
    const deploys = new DeployLock();
    const apps = new Apps({ store, bus: new EventBus(), engine, repos: { ensure: async () => undefined }, queue: { kick: () => undefined }, routes: { sync: async () => undefined, stackServiceOf: async () => null, leave: async () => undefined } as never, instance, httpsPort: 443, publicUrl: 'http://127.0.0.1:7070' });
    const enqueue = (r: NewRun) => store.createRun(r, { perApp: 50, total: 1000 });
    stacks = new StackOps({ store, apps, engine, enqueue, deploys, instance });
    const ctx = { store, engine, registry: new FakeRegistry(), deploys, instance, rolloutTimeoutMs: 90_000, syncRoutes: async () => undefined };
    execute = async (runId) => {
      const run = (await store.getRun(runId))!;
      const sr = stackRunOf(run, await store.getRunDetails(runId));
      await runStackRun(run, sr!, (await store.getApp('shop'))!, ctx, () => undefined, new AbortController().signal);
    };
  });

  after(async () => {
    await stacks.remove('shop', 'back', null).catch(() => undefined);
  });

  const deploy = async (version: string, replicas: number) =>
    execute((await stacks.deploy('shop', 'back', [{ path: 'compose.yml', text: compose(version, replicas) }, { path: '.env', text: `IMG=${image}\n` }], null)).id);
  const running = async () => {
    const def = await engine.inspectDefinition(web);
    const tasks = (await engine.listTaskProgress(web)).filter((t) => t.state === 'running' && t.current);
    return { version: def?.env.VERSION, replicas: def?.replicas, running: tasks.length };
  };

  it('deploys three releases, rolls back two levels, and diffs', async () => {
    await deploy('1', 1);
    await deploy('2', 2);
    await deploy('3', 1);
    assert.deepEqual(await running(), { version: '3', replicas: 1, running: 1 });
    assert.deepEqual((await stacks.releases('shop', 'back')).map((r) => `${r.number}:${r.status}`), ['3:live', '2:superseded', '1:superseded']);

    await execute((await stacks.rollback('shop', 'back', 1, null)).id);
    assert.deepEqual(await running(), { version: '1', replicas: 1, running: 1 });
    assert.deepEqual((await stacks.releases('shop', 'back')).map((r) => `${r.number}:${r.status}:${r.rollbackOf ?? '-'}`), ['4:live:1', '3:rolled_back:-', '2:superseded:-', '1:superseded:-']);

    const diff = await stacks.diff('shop', 'back', 2, 4);
    assert.deepEqual(diff.services, [{ service: 'web', change: 'changed', details: ['replicas 2 → 1', 'env changed: VERSION'] }]);
    const services = await stacks.services('shop', 'back');
    assert.deepEqual(services.map((s) => [s.name, s.desired, s.running]), [['web', 1, 1]]);
  });
});
