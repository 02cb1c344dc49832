// Stack runs through the executor: a `stacks deploy` run and a `stacks rollback` run deploy the stack (no pipeline,
// no app release), end succeeded or failed like any run; and the `.env` reader.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeEngine } from '../adapters/docker/fake-engine.js';
import { FakeRegistry } from '../adapters/registry/fake-registry.js';
import { createMemoryStore } from '../adapters/store/memory.js';
import { EventBus } from '../core/events.js';
import type { NewRun } from '../core/ports/store.js';
import type { Run } from '../core/types.js';
import { Cancellations } from './cancellations.js';
import { DeployLock } from './deploy-lock.js';
import { executeRun } from './executor.js';
import type { RunContext } from './run-context.js';
import { STACK_PARAM, planOf, stackSourcesKey } from './stack-runs.js';

const PINNED = (n: number) => `busybox@sha256:${String(n).repeat(64).slice(0, 64)}`;

async function world() {
  const store = createMemoryStore();
  await store.createApp({ name: 'web', domain: 'web.example.com', port: 3000, replicas: 1, branch: 'main' });
  const engine = new FakeEngine({ pollsToRun: 0, requirePinnedImages: true });
  engine.scriptDefinition((d) => d.command?.[0] === 'crash', 'crash');
  const unused = new Proxy({}, { get: (_t, name) => { throw new Error(`${String(name)} is not used by a stack run`); } }) as never;
  const ctx: RunContext = {
    store, bus: new EventBus(), engine, registry: new FakeRegistry(), sources: unused, backend: unused, cancellations: new Cancellations(), sealer: unused,
    instance: 'slipway', rolloutTimeoutMs: 30_000, httpsPort: 8443, syncRoutes: async () => undefined, deploys: new DeployLock(), outbound: { allowedHosts: [] },
  };
  const run = async (r: NewRun): Promise<Run> => {
    const created = await store.createRun(r, { perApp: 50, total: 1000 });
    const [claimed] = await store.claimNextRuns(new Date().toISOString());
    await executeRun(claimed!, ctx);
    return (await store.getRun(created.id))!;
  };
  const deploy = async (image: string, command = 'sleep') => {
    const digest = `d-${image}-${command}`;
    await store.setSetting(stackSourcesKey(digest), JSON.stringify([{ path: 'compose.yml', text: `services:\n  api:\n    image: ${image}\n    command: [${command}]\n` }]));
    return run({ app: 'web', source: 'upload', ref: 'stack:back', commit: digest, params: { [STACK_PARAM]: 'back' } });
  };
  return { store, engine, run, deploy };
}

describe('stack runs', () => {
  it('deploy and rollback runs deploy the stack as releases and create no app release', async () => {
    const w = await world();
    assert.equal((await w.deploy(PINNED(1))).status, 'succeeded');
    assert.equal((await w.deploy(PINNED(2))).status, 'succeeded');
    const back = await w.run({ app: 'web', source: 'rollback', ref: 'stack:back', commit: '', targetRelease: 1, params: { [STACK_PARAM]: 'back' } });
    assert.equal(back.status, 'succeeded', JSON.stringify(back.error));
    assert.equal(w.engine.definitionOf('slipway-stack-web_back_api')?.image, PINNED(1));
    assert.deepEqual((await w.store.listStackReleases('web', 'back')).map((r) => `${r.number}:${r.status}:${r.runId === back.id ? 'rb' : ''}`), ['3:live:rb', '2:rolled_back:', '1:superseded:']);
    assert.deepEqual(await w.store.listReleases('web'), []);
  });

  it('a stack deploy that fails ends the run failed with the reason; a rollback to it is refused in the run', async () => {
    const w = await world();
    await w.deploy(PINNED(1));
    const failed = await w.deploy(PINNED(2), 'crash');
    assert.equal(failed.status, 'failed');
    assert.match(failed.error?.message ?? '', /service api did not become healthy/);
    const refused = await w.run({ app: 'web', source: 'rollback', ref: 'stack:back', commit: '', targetRelease: 2, params: { [STACK_PARAM]: 'back' } });
    assert.equal(refused.status, 'failed');
    assert.match(refused.error?.message ?? '', /never went live \(failed\)/);
  });

  it('merges several files as `docker stack deploy -c a -c b` does, with variables from the .env beside the first', () => {
    const plan = planOf([
      { path: 'deploy/compose.yml', text: 'services:\n  web:\n    image: busybox:${TAG}\n' },
      { path: 'deploy/override.yml', text: 'services:\n  web:\n    deploy:\n      replicas: 2\n' },
      { path: 'deploy/.env', text: '# the tag\nexport TAG="1"\n' },
    ], { instance: 'slipway', app: 'shop', stack: 'back', commit: 'c0ffee' });
    assert.deepEqual(plan.services.map((s) => [s.image, s.replicas]), [['busybox:1', 2]]);
  });

  it('a stack deployed from the CLI keeps its routes (review finding: they were dropped outside pipeline steps)', () => {
    const plan = planOf([{ path: 'compose.yml', text: 'services:\n  web:\n    image: busybox:latest\n    deploy:\n      labels: { slipway.domain: shop.example.com, slipway.port: "8080" }\n' }],
      { instance: 'slipway', app: 'shop', stack: 'back', commit: 'c0ffee' });
    assert.equal(plan.services[0]?.labels['io.slipway.route.domain'], 'shop.example.com');
    assert.equal(plan.services[0]?.labels['io.slipway.route.port'], '8080');
  });
});
