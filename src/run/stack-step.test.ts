// The deploy-stack step from source to services: file lookup, variables, credentials, errors.

import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import * as tar from 'tar';
import { FakeEngine } from '../adapters/docker/fake-engine.js';
import { SlipwayError } from '../core/errors.js';
import { Secret } from '../core/secret.js';
import { defaultService } from '../stack/defaults.js';
import type { ComposeStack } from '../stack/model.js';
import { readContents, runStackStep, type StackStepDeps, type StackStepInput } from './stack-step.js';

const PINNED = `127.0.0.1:5000/apps/shop@sha256:${'b'.repeat(64)}`;
const registry = {
  address: '127.0.0.1:5000', credentials: () => ({ serveraddress: '127.0.0.1:5000', username: 'slipway', password: new Secret('pw') }),
  resolveDigest: async () => `sha256:${'c'.repeat(64)}`,
};
const input = (overrides: Partial<StackStepInput> = {}): StackStepInput => ({
  instance: 'slipway', app: 'shop', stack: 'backend', file: null, commit: 'c0ffee', image: PINNED, ...overrides,
});

/** A tar stream with these files; `folders` records what was asked for. */
function source(files: Record<string, string>, rootedAt: 'folder' | 'repository', folders: string[] = []): StackStepDeps['openSource'] {
  return async (folder) => {
    folders.push(folder);
    const pack = new tar.Pack({ portable: true });
    for (const [path, text] of Object.entries(files)) {
      const body = Buffer.from(text);
      const entry = new tar.ReadEntry(new tar.Header({ path, size: body.length, type: 'File', mode: 0o644, mtime: new Date(0) }));
      entry.end(body);
      pack.add(entry);
    }
    pack.end();
    return { stream: Readable.from(pack), rootedAt };
  };
}

function deps(engine: FakeEngine, openSource: StackStepDeps['openSource'], log: string[] = []): StackStepDeps {
  return { engine, registry, deadlineMs: 5_000, pollMs: 0, openSource, log: (t) => log.push(t) };
}

const COMPOSE = `services:
  api:
    image: \${SLIPWAY_IMAGE}
  web:
    image: busybox:latest
    environment: { APP: "\${SLIPWAY_APP}", COMMIT: "\${SLIPWAY_COMMIT}" }
`;

describe('deploy stack step', () => {
  it('deploys the compose file of the source; SLIPWAY_IMAGE is the pushed image, and only it gets registry credentials', async () => {
    const engine = new FakeEngine({ pollsToRun: 0 });
    const log: string[] = [];
    await runStackStep(input(), deps(engine, source({ 'compose.yaml': COMPOSE }, 'repository'), log));
    assert.equal(engine.definitionOf('slipway-stack-shop_backend_api')?.image, PINNED);
    assert.deepEqual(engine.definitionOf('slipway-stack-shop_backend_web')?.env, { APP: 'shop', COMMIT: 'c0ffee' });
    assert.deepEqual(engine.callsTo('deployService').map((c) => [c.definition.image, c.withCredentials]), [[PINNED, true], ['busybox:latest', false]]);
    assert.match(log.join(''), /^--> stack backend from compose\.yaml\n/);
  });

  it('a named file: only its folder is asked for when reading a workspace, and messages give the repository path', async () => {
    const engine = new FakeEngine({ pollsToRun: 0 });
    const folders: string[] = [];
    const bad = 'services:\n  web:\n    image: busybox:latest\n    volumes: [data:/data]\n';
    await assert.rejects(runStackStep(input({ file: 'deploy/stack.yml' }), deps(engine, source({ 'stack.yml': bad }, 'folder', folders))), (err: unknown) => {
      assert.ok(err instanceof SlipwayError);
      assert.match(err.message, /deploy\/stack\.yml:4:15: service "web" mounts volume "data", which the top-level volumes do not declare/);
      return true;
    });
    // The compose file, then `.env` beside it: both from the folder only.
    assert.deepEqual(folders, ['deploy', 'deploy']);
    assert.deepEqual(engine.calls, [], 'nothing deployed');
  });

  it('no compose file, no pushed image, a bad stack name: clear errors before anything is deployed', async () => {
    const engine = new FakeEngine();
    await assert.rejects(runStackStep(input(), deps(engine, source({ 'README.md': 'x' }, 'repository'))), (err: unknown) =>
      err instanceof SlipwayError && err.kind === 'invalid_input'
      && /stack backend: no compose file \(looked for compose\.yaml, compose\.yml, docker-compose\.yaml, docker-compose\.yml\)/.test(err.message)
      && /file: path\/to\/compose\.yml/.test(err.hint ?? ''));
    await assert.rejects(runStackStep(input({ image: null }), deps(engine, source({ 'compose.yaml': COMPOSE }, 'repository'))), (err: unknown) =>
      err instanceof SlipwayError && /compose\.yaml:3:12: image of service "api": SLIPWAY_IMAGE has no value here: this run pushed no image; add build and push steps/.test(err.message));
    await assert.rejects(runStackStep(input({ stack: 'Bad_Name' }), deps(engine, source({}, 'repository'))), /invalid stack name "Bad_Name"/);
    assert.deepEqual(engine.calls, []);
  });

  it('config and secret values: files read from the source in one pass, Slipway secrets and variables from the step, each missing one named', async () => {
    const engine = new FakeEngine();
    const compose: ComposeStack = {
      files: ['compose.yaml'], services: [defaultService('web', 'busybox:latest')], networks: {}, volumes: {},
      configs: {
        site: { source: { kind: 'file', path: 'conf/site.conf' }, labels: {} },
        inline: { source: { kind: 'content', text: 'hello' }, labels: {} },
        outside: { source: { kind: 'external', name: 'corp-conf' }, labels: {} },
      },
      secrets: { pw: { source: { kind: 'slipway', secret: 'DB_PASSWORD' }, labels: {} }, key: { source: { kind: 'environment', variable: 'API_KEY' }, labels: {} } },
    };
    const folders: string[] = [];
    const d = { ...deps(engine, source({ 'conf/site.conf': 'listen 80;', 'compose.yaml': 'x' }, 'repository', folders)), environment: { DB_PASSWORD: 'hunter2', API_KEY: 'k' } };
    const got = await readContents(compose, d);
    assert.deepEqual(Object.fromEntries(Object.entries(got.configs).map(([k, v]) => [k, v.toString()])), { site: 'listen 80;', inline: 'hello' });
    assert.deepEqual(Object.fromEntries(Object.entries(got.secrets).map(([k, v]) => [k, v.toString()])), { pw: 'hunter2', key: 'k' });
    assert.deepEqual(folders, ['.']);
    await assert.rejects(readContents(compose, { ...d, environment: { API_KEY: 'k' } }), /secret pw takes its value from the app secret DB_PASSWORD, which this deploy step was not given/);
    await assert.rejects(readContents(compose, { ...d, openSource: source({}, 'repository') }), /config\/secret file\(s\) conf\/site\.conf are not in the source/);
  });
});
