// An unchanged .drone.yml that publishes with plugins/docker (Docker-in-Docker in Drone) runs as Slipway's own
// build and push: the image lands in the registry its settings name — here a registry:2 this test starts on
// 127.0.0.1 — tagged as the settings say, with the login from secrets masked in the log.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { withDeadline } from '../../src/core/deadline.js';
import { api, runLog, waitForRunEnd } from './support/api.js';
import { gitInit, gitPush, remoteUrl, removeSources, sampleSource } from './support/app-source.js';
import { startTestSlipway, type TestSlipway } from './support/slipway-process.js';

const run = promisify(execFile);
const APP = 'plug';
const PASSWORD = 'reg-pa55word-9981';
const REGISTRY = `slipway-e2e-registry-${randomBytes(3).toString('hex')}`;
type Step = { name: string; status: string };

let slipway: TestSlipway;
let port = 0;
let configDir = '';

before(async () => {
  port = await freePort();
  // The local registry:2 image has no default config (scripts/local-images.sh): give it the smallest one.
  configDir = await mkdtemp(join(tmpdir(), 'plugin-registry-'));
  await writeFile(join(configDir, 'config.yml'), 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /var/lib/registry\nhttp:\n  addr: :5000\n');
  await run('docker', ['run', '-d', '--name', REGISTRY, '-p', `127.0.0.1:${port}:5000`, '-v', `${configDir}/config.yml:/etc/docker/registry/config.yml:ro`, 'registry:2']);
  // withDeadline: a probe of a port whose container is still starting can hang in fetch (see core/deadline.ts).
  const answers = () => withDeadline(2_000, (signal) => fetch(`http://127.0.0.1:${port}/v2/`, { signal })).then((r) => r.ok, () => false);
  for (let i = 0; i < 50 && !(await answers()); i++) await new Promise((r) => setTimeout(r, 200));
  slipway = await startTestSlipway();
  assert.equal((await api(slipway, 'POST', '/api/apps', { name: APP, domain: 'plug.e2e.test' })).status, 201);
  assert.equal((await api(slipway, 'PUT', `/api/apps/${APP}/secrets`, { name: 'registry_user', value: 'ci-bot' })).status, 204);
  assert.equal((await api(slipway, 'PUT', `/api/apps/${APP}/secrets`, { name: 'registry_password', value: PASSWORD })).status, 204);
});

after(async () => {
  await slipway?.destroy();
  await run('docker', ['rm', '-f', '-v', REGISTRY]).catch(() => undefined);
  const images = (await run('docker', ['images', '-q', '--filter', `reference=127.0.0.1:${port}/acme/shop`])).stdout.split('\n').filter(Boolean);
  if (images.length > 0) await run('docker', ['rmi', '-f', ...new Set(images)]).catch(() => undefined);
  await removeSources();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

test('a plugins/docker step builds without privileges and pushes to the registry its settings name', async () => {
  const dir = await sampleSource('plug-1');
  await writeFile(join(dir, '.drone.yml'), `kind: pipeline
type: docker
name: default

steps:
  - name: test
    image: busybox:latest
    commands:
      - test -f Dockerfile && echo checked

  - name: publish
    image: plugins/docker
    settings:
      repo: 127.0.0.1:${port}/acme/shop
      tags:
        - latest
        - \${DRONE_COMMIT_SHA:0:8}
      build_args:
        - GREETING=hi
      username:
        from_secret: registry_user
      password:
        from_secret: registry_password
`);
  await gitInit(dir);
  const sha = (await run('git', ['-C', dir, 'rev-parse', 'HEAD'])).stdout.trim();
  const push = await gitPush(dir, remoteUrl(slipway.url, APP, slipway.token), 'main');
  assert.equal(push.code, 0, push.output);
  const runs = (await api<{ runs: { id: number }[] }>(slipway, 'GET', `/api/apps/${APP}/runs`)).json.runs;
  const runId = runs[0]!.id;
  const end = await waitForRunEnd(slipway, runId);
  const log = await runLog(slipway, runId);
  assert.equal(end.status, 'succeeded', log);
  const steps = (await api<{ steps: Step[] }>(slipway, 'GET', `/api/runs/${runId}/steps`)).json.steps;
  assert.deepEqual(steps.map((s) => [s.name, s.status]), [['test', 'succeeded'], ['publish', 'succeeded']]);
  assert.match(push.output, new RegExp(`pushing 127\\.0\\.0\\.1:${port}/acme/shop:latest \\(plugins/docker\\)`));
  assert.ok(!log.includes(PASSWORD) && !push.output.includes(PASSWORD));

  const tags = (await (await fetch(`http://127.0.0.1:${port}/v2/acme/shop/tags/list`)).json()) as { tags: string[] };
  assert.deepEqual(tags.tags.sort(), [sha.slice(0, 8), 'latest'].sort());
  // Nothing was deployed: the file has no deploy step.
  assert.equal((await api<{ releases: unknown[] }>(slipway, 'GET', `/api/apps/${APP}/releases`)).json.releases.length, 0);
});

test('an unsupported plugins/docker setting is a lint error with its line, and nothing runs', async () => {
  const dir = await sampleSource('plug-2');
  await writeFile(join(dir, '.drone.yml'), `kind: pipeline
type: docker
name: default
steps:
  - name: publish
    image: plugins/docker
    settings:
      repo: 127.0.0.1:${port}/acme/shop
      squash: true
`);
  await gitInit(dir);
  const push = await gitPush(dir, remoteUrl(slipway.url, APP, slipway.token), '+main');
  assert.match(push.output, /\.drone\.yml:6:12: setting "squash" of plugins\/docker is not supported/);
  assert.match(push.output, /DEPLOY FAILED/);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port: p } = s.address() as { port: number };
      s.close(() => resolve(p));
    });
  });
}
