// Woodpecker pipelines on real components: a .woodpecker/ folder (test/e2e/fixtures/woodpecker) of three workflows
// pushed unchanged. build has a service reached by name, CI_* variables, a from_secret value masked in the log (also
// when printed in two parts around a pause), and steps as a map with event and branch filters; publish depends_on
// build; report has runs_on: [failure] and runs only after build failed, which then still fails the run.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { api, runLog, waitForRunEnd } from './support/api.js';
import { gitInit, gitPush, remoteUrl, removeSources, sampleSource } from './support/app-source.js';
import { startTestSlipway, type TestSlipway } from './support/slipway-process.js';

const run = promisify(execFile);
const FIXTURE = resolve(import.meta.dirname, 'fixtures/woodpecker');
const APP = 'wood';
const SECRET = 'wp-s3cret-token-0451';
type Step = { pipeline: string; name: string; status: string; skipReason: string | null };

let slipway: TestSlipway;

before(async () => {
  slipway = await startTestSlipway();
  assert.equal((await api(slipway, 'POST', '/api/apps', { name: APP, domain: 'wood.e2e.test' })).status, 201);
  assert.equal((await api(slipway, 'PUT', `/api/apps/${APP}/secrets`, { name: 'wp_token', value: SECRET })).status, 204);
});

after(async () => {
  await slipway?.destroy();
  await removeSources();
});

/** Pushes the sample app with the fixture's .woodpecker/ folder (and `extra` files) to main; waits for the run. */
async function pushFixture(version: string, extra: Record<string, string> = {}) {
  const dir = await sampleSource(version);
  await cp(FIXTURE, dir, { recursive: true });
  for (const [name, text] of Object.entries(extra)) await writeFile(join(dir, name), text);
  await gitInit(dir);
  const commit = (await run('git', ['-C', dir, 'rev-parse', 'HEAD'])).stdout.trim();
  // Each source is a fresh repository: force-push it over the previous one.
  const push = await gitPush(dir, remoteUrl(slipway.url, APP, slipway.token), '+main');
  const runs = (await api<{ runs: Array<{ id: number }> }>(slipway, 'GET', `/api/apps/${APP}/runs`)).json.runs;
  const runId = runs[0]!.id;
  const end = await waitForRunEnd(slipway, runId, 150_000);
  const steps = (await api<{ steps: Step[] }>(slipway, 'GET', `/api/runs/${runId}/steps`)).json.steps;
  const state = (pipeline: string, name: string) => {
    const s = steps.find((x) => x.pipeline === pipeline && x.name === name);
    assert.ok(s, `no step ${pipeline}/${name} in ${JSON.stringify(steps)}`);
    return [s.status, s.skipReason];
  };
  return { push: push.output, commit, runId, end, log: await runLog(slipway, runId), state };
}

/** No container of the run is left once it has ended (services and steps alike). */
async function assertNoContainers(runId: number): Promise<void> {
  // Other Slipways on this engine (tests running at the same time) have runs with the same numbers.
  const labels = [`io.slipway.app=${APP}`, `io.slipway.run=${runId}`];
  const left = await new Dockerode().listContainers({ all: true, filters: { label: labels } });
  assert.deepEqual(left.map((c) => c.Names).filter((names) => names.some((n) => n.startsWith(`/${slipway.instance}-`))), []);
}

test('a .woodpecker/ folder runs unchanged: service, CI_* variables, masked secret, filters, depends_on', async () => {
  const r = await pushFixture('wood-1');
  assert.equal(r.end.status, 'succeeded', `${JSON.stringify(r.end)}\n${r.log}`);

  assert.match(r.log, new RegExp(`\\[vars\\] event=push branch=main sha=${r.commit} repo=${APP} workflow=build step=vars pwd=/woodpecker/src\\n`));
  assert.match(r.push, /remote: \[secret\] token is \*\*\*/);
  assert.match(r.log, /\[secret\] split: \*\*\*\n/, 'the two halves printed around a pause are masked as one secret');
  assert.match(r.log, /\[service-check\] .*store-ok/);
  assert.match(r.log, /\[check\] check passed/);
  for (const text of [r.push, r.log]) {
    assert.ok(!text.includes(SECRET.slice(0, 8)), 'the first part of the secret leaked');
    assert.ok(!text.includes(SECRET.slice(8)), 'the second part of the secret leaked');
  }
  const stored = await fetch(`${slipway.url}/api/runs/${r.runId}/steps/build/secret/logs`, { headers: { authorization: `Bearer ${slipway.token}` } });
  const secretLog = await stored.text();
  assert.match(secretLog, /^token is \*\*\*\n(.*\n)?split: \*\*\*\n$/m);
  assert.ok(!secretLog.includes(SECRET.slice(0, 8)) && !secretLog.includes(SECRET.slice(8)), secretLog);

  assert.deepEqual(r.state('build', 'tag-only'), ['skipped', 'when: event push is not one of [tag]']);
  assert.deepEqual(r.state('build', 'release-only'), ['skipped', 'when: branch "main" does not match [release/*]']);
  assert.deepEqual(r.state('publish', 'announce'), ['succeeded', null]);
  assert.match(r.log, /\[announce\] publishing after build; status success/);
  assert.ok(r.log.indexOf('--> pipeline build') < r.log.indexOf('--> pipeline publish'), 'publish ran after build');
  assert.deepEqual(r.state('report', 'alert'), ['skipped', 'runs only on failure; every pipeline it depends on succeeded']);
  assert.doesNotMatch(r.log, /\[alert\]/);
  assert.match(r.log, /warning: \.woodpecker\/build\.yml:\d+:\d+: the map form of steps is deprecated/);
  await assertNoContainers(r.runId);
});

test('a workflow with runs_on: [failure] runs after the one it depends on failed; the run still fails', async () => {
  const r = await pushFixture('wood-2', { FAIL: 'make check fail\n' });
  assert.equal(r.end.status, 'failed', r.log);
  assert.match(r.end.error?.message ?? '', /step check of pipeline build failed/);
  assert.deepEqual(r.state('build', 'check'), ['failed', null]);
  assert.match(r.log, /\[check\] failing on purpose/);
  assert.deepEqual(r.state('publish', 'announce'), ['skipped', 'pipeline build failed']);
  assert.deepEqual(r.state('report', 'alert'), ['succeeded', null]);
  assert.match(r.log, /\[alert\] build failed; pipeline status failure, failed workflows build\n/);
  await assertNoContainers(r.runId);
});
