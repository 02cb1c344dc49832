// The built-in build's names (issue 12): a fork's pull request cannot retag images on the host; a build names only
// its own app's repository in Slipway's registry, and a repository elsewhere only for its push.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { FakeEngine } from '../adapters/docker/fake-engine.js';
import { createSealer } from '../adapters/secrets/sealer.js';
import { FakeStepBackend } from '../adapters/docker/fake-step-backend.js';
import { createMemoryStore } from '../adapters/store/memory.js';
import { SlipwayError } from '../core/errors.js';
import { EventBus } from '../core/events.js';
import type { RunMeta, StepPlan } from '../core/plan.js';
import { Secret } from '../core/secret.js';
import type { App, Run } from '../core/types.js';
import { compilePlan, discoverPipelines } from '../pipeline/index.js';
import { runMeta } from '../pipeline/testing.js';
import { publishTarget } from './build-names.js';
import { RunBuiltins } from './builtins.js';
import { DeployLock } from './deploy-lock.js';
import { restrictPullRequest } from './pr-policy.js';

const REGISTRY = '127.0.0.1:5000';
const COMMIT = '3f2a9c1d7e5b4a60918273645546372819a0b1c2';

/** A .drone.yml whose plugins/docker step publishes to `repo` with `tags`. */
function droneFile(repo: string, tags = 'latest'): string {
  return [
    'kind: pipeline', 'type: docker', 'name: default', 'steps:',
    '  - name: test', '    image: node:20', '    commands: [npm test]',
    '  - name: publish', '    image: plugins/docker', '    settings:', `      repo: ${repo}`, `      tags: ${tags}`,
    '',
  ].join('\n');
}

/** Slipway's own built-in build (with an extra tag) and push. */
const BUILTIN = 'name: ship\nsteps:\n  - name: build\n    build:\n      tags: [stable]\n  - name: push\n    push: {}\n';

async function world(text: string, meta: Partial<RunMeta> = {}, path = '.drone.yml', allowedHosts: string[] = []) {
  const store = createMemoryStore();
  const app: App = await store.createApp({ name: 'web', domain: 'web.example.com', port: 3000, replicas: 1, branch: 'main' });
  const engine = new FakeEngine();
  const fullMeta = runMeta({ app: 'web', commit: COMMIT, ...meta });
  const source = discoverPipelines([{ path, text }]);
  assert.ok(source);
  const plan = restrictPullRequest(compilePlan(source, fullMeta, { knownSecrets: null }), fullMeta);
  const run: Run = await store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: COMMIT });
  const builtins = new RunBuiltins(run, app, fullMeta, {
    store, bus: new EventBus(), engine,
    registry: {
      address: REGISTRY,
      credentials: () => ({ serveraddress: REGISTRY, username: 'slipway', password: new Secret('pw') }),
      resolveDigest: async (repository, tag) => engine.pushedDigest(`${REGISTRY}/${repository}:${tag}`) ?? assert.fail(`${repository}:${tag} not pushed`),
    },
    sources: {
      open: () => Readable.from([Buffer.alloc(1024)]),
      assertBuildable: async () => undefined,
      pipelineFiles: async () => [{ path, text }],
      commitInfo: async () => null,
      changedFiles: async () => null,
    },
    backend: new FakeStepBackend(),
    instance: 'slipway', rolloutTimeoutMs: 1_000, syncRoutes: async () => undefined, deploys: new DeployLock(),
    outbound: { allowedHosts },
    sealer: createSealer(randomBytes(32), 'test.key'),
  });
  const log: string[] = [];
  /** Runs the built-in step as the pipeline runner would; skipped steps are not run. */
  const runStep = async (pipelineName: string, stepName: string) => {
    const p = plan.pipelines.find((x) => x.name === pipelineName);
    const s: StepPlan | undefined = p?.steps.find((x) => x.name === stepName);
    assert.ok(p && s, `${pipelineName}/${stepName}`);
    if (s.skip !== null) return s.skip;
    await builtins.run(s, { pipeline: p, environment: s.environment, workspace: null, signal: new AbortController().signal, log: (t) => log.push(t) });
    return null;
  };
  return { engine, builtins, runStep, log };
}

/** Every name the fake engine gave an image (built, extra-tagged or tagged). */
function namesGiven(engine: FakeEngine): string[] {
  return engine.calls.flatMap((c) => (c.method === 'build' ? [c.tag, ...c.extraTags] : c.method === 'tagImage' ? [c.tag] : []));
}

describe('built-in build names', () => {
  it('a fork builds under a throwaway name with no other tag, publishes nothing, and the name is gone when the run ends', async () => {
    const w = await world(droneFile(`${REGISTRY}/apps/other`, 'latest,1'), { event: 'pull_request', fromFork: true });
    assert.equal(await w.runStep('default', 'publish'), null, 'the fork build itself runs');
    const names = namesGiven(w.engine);
    assert.equal(names.length, 1, names.join(', '));
    assert.match(names[0]!, /^slipway-untrusted\/web:run-\d+-[0-9a-f]{8}$/);
    assert.deepEqual(w.engine.callsTo('push'), []);
    assert.ok(!w.engine.localImages().some((n) => n.startsWith(REGISTRY)), w.engine.localImages().join(', '));
    assert.match(w.log.join(''), /pull request from a fork: built as slipway-untrusted\/web:run-/);
    await w.builtins.close((t) => w.log.push(t));
    assert.deepEqual(w.engine.localImages(), [], 'the throwaway image is removed');
  });

  it('a fork\'s built-in build takes no name in the app\'s repository and cannot push', async () => {
    const w = await world(BUILTIN, { event: 'pull_request', fromFork: true }, '.slipway.yml');
    assert.equal(await w.runStep('ship', 'build'), null);
    assert.ok(namesGiven(w.engine).every((n) => n.startsWith('slipway-untrusted/web:')), namesGiven(w.engine).join(', '));
    assert.match(String(await w.runStep('ship', 'push')), /forks cannot push/);
    await w.builtins.close(() => undefined);
    assert.deepEqual(w.engine.localImages(), []);
  });

  it('a build may not tag another app\'s repository in Slipway\'s registry', async () => {
    const w = await world(droneFile(`${REGISTRY}/apps/other`));
    await assert.rejects(w.runStep('default', 'publish'), (err: unknown) => {
      assert.ok(err instanceof SlipwayError);
      assert.equal(err.kind, 'invalid_input');
      assert.match(err.message, /not this app's repository in Slipway's registry; a build may tag only 127\.0\.0\.1:5000\/apps\/web/);
      return true;
    });
    assert.ok(!namesGiven(w.engine).some((n) => n.includes('apps/other')));
    // The same registry under another loopback name is the same registry.
    const w2 = await world(droneFile('localhost:5000/apps/other'));
    await assert.rejects(w2.runStep('default', 'publish'), /not this app's repository/);
  });

  it('the app\'s own repository in Slipway\'s registry is tagged at build and pushed with Slipway\'s login', async () => {
    const w = await world(droneFile(`${REGISTRY}/apps/web`, 'stable'));
    await w.runStep('default', 'publish');
    assert.deepEqual(namesGiven(w.engine), [`${REGISTRY}/apps/web:${COMMIT.slice(0, 12)}`, `${REGISTRY}/apps/web:stable`]);
    assert.deepEqual(w.engine.callsTo('push').map((c) => c.tag), [`${REGISTRY}/apps/web:stable`]);
  });

  it('a Docker Hub official name is refused by the lint, and at the build for a plan that got past it', async () => {
    for (const repo of ['alpine', 'docker.io/library/alpine', 'library/node']) {
      const source = discoverPipelines([{ path: '.drone.yml', text: droneFile(repo) }]);
      assert.throws(() => compilePlan(source!, runMeta(), { knownSecrets: null }), /names a Docker Hub official image/, repo);
    }
    const publish = {
      plugin: 'plugins/docker', registry: 'docker.io', repository: 'docker.io/alpine', tags: ['latest'], push: true,
      usernameEnv: 'PLUGIN_USERNAME', passwordEnv: 'PLUGIN_PASSWORD', username: null,
    };
    assert.throws(() => publishTarget('publish', publish, { registry: REGISTRY, app: 'web', pipelineImages: [] }), /names a Docker Hub official image/);
    assert.equal(publishTarget('publish', { ...publish, repository: 'docker.io/acme/web' }, { registry: REGISTRY, app: 'web', pipelineImages: [] }).kind, 'outside');
  });

  it('Slipway\'s registry is recognised under any spelling of this machine: another app\'s repository stays refused', () => {
    const publish = {
      plugin: 'plugins/docker', registry: '', repository: '', tags: ['latest'], push: true,
      usernameEnv: 'PLUGIN_USERNAME', passwordEnv: 'PLUGIN_PASSWORD', username: null,
    };
    const rules = { registry: REGISTRY, app: 'web', pipelineImages: [] };
    for (const host of ['LOCALHOST:5000', '127.1:5000', '127.0.0.1:05000', '127.9.9.9:5000', '[::1]:5000', '0.0.0.0:5000', 'app.localhost:5000']) {
      assert.throws(() => publishTarget('publish', { ...publish, repository: `${host}/apps/other` }, rules), /not this app's repository/, host);
      assert.equal(publishTarget('publish', { ...publish, repository: `${host}/apps/web` }, rules).kind, 'own', host);
    }
    // Another port on this machine is another registry.
    assert.equal(publishTarget('publish', { ...publish, repository: '127.0.0.1:5001/apps/other' }, rules).kind, 'outside');
  });

  it('a name in another registry exists only around its push: tagged just before, untagged right after', async () => {
    const w = await world(droneFile('ghcr.io/acme/web', 'latest,1.2'));
    await w.runStep('default', 'publish');
    const build = w.engine.callsTo('build')[0];
    assert.deepEqual(build?.extraTags, [], 'the build itself names only the app\'s repository');
    const order = w.engine.calls.filter((c) => c.method === 'tagImage' || c.method === 'push' || c.method === 'removeImage')
      .map((c) => `${c.method} ${c.tag}`);
    assert.deepEqual(order, [
      'tagImage ghcr.io/acme/web:latest', 'push ghcr.io/acme/web:latest', 'removeImage ghcr.io/acme/web:latest',
      'tagImage ghcr.io/acme/web:1.2', 'push ghcr.io/acme/web:1.2', 'removeImage ghcr.io/acme/web:1.2',
    ]);
    assert.deepEqual(w.engine.localImages(), [`${REGISTRY}/apps/web:${COMMIT.slice(0, 12)}`]);
  });

  it('a name in another registry that is an image of the pipeline is refused at the build', async () => {
    const text = droneFile('ghcr.io/acme/tools').replace('image: node:20', 'image: ghcr.io/acme/tools:1');
    const w = await world(text);
    await assert.rejects(w.runStep('default', 'publish'), /is the image ghcr\.io\/acme\/tools:1 of a step or service/);
    assert.deepEqual(w.engine.callsTo('build'), []);
  });
});

describe('built-in notify (issue 12: requests the server makes)', () => {
  /** A receiver on 127.0.0.1 that records what reaches it. */
  async function receiver() {
    const got: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        got.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    return { got, url, close: () => new Promise<void>((r) => server.close(() => r())) };
  }
  const notifyFile = (url: string) => `name: tell\nsteps:\n  - name: chat\n    notify: { url: "${url}" }\n`;

  it('refuses the host itself unless an admin allowed it, and sends nothing', async () => {
    const r = await receiver();
    try {
      const w = await world(notifyFile(r.url), {}, '.slipway.yml');
      await assert.rejects(w.runStep('tell', 'chat'), (err: unknown) => err instanceof SlipwayError && err.kind === 'forbidden' && /loopback address/.test(err.message) && /SLIPWAY_OUTBOUND_ALLOW/.test(err.hint ?? ''));
      assert.deepEqual(r.got, []);
      const allowed = await world(notifyFile(r.url), {}, '.slipway.yml', ['127.0.0.1']);
      assert.equal(await allowed.runStep('tell', 'chat'), null);
      assert.equal(r.got.length, 1);
      assert.equal((JSON.parse(r.got[0]!) as { app: string }).app, 'web');
    } finally {
      await r.close();
    }
  });

  it('a fork\'s pull request sends no notification', async () => {
    const r = await receiver();
    try {
      const w = await world(notifyFile(r.url), { event: 'pull_request', fromFork: true }, '.slipway.yml', ['127.0.0.1']);
      assert.match(String(await w.runStep('tell', 'chat')), /forks send no notifications/);
      assert.deepEqual(r.got, []);
    } finally {
      await r.close();
    }
  });
});
