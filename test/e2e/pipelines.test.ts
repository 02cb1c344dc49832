// Pipelines on real components: steps in containers with a service, secrets masked, the built-in build (from the
// workspace) → push → deploy, a failing step and a restart from it, a .drone.yml with a plugin, lint errors with
// their line, cancel, timeout, a step flooding binary output — the server stays healthy throughout — and two runs of
// one app at once (concurrency 2), the older one's deploy skipped as superseded.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { api, runLog, waitForRunEnd } from './support/api.js';
import { commitAll, gitInit, gitPush, remoteUrl, removeSources, sampleSource } from './support/app-source.js';
import { appClient, waitForBody, type AppClient } from './support/https-client.js';
import { startTestSlipway, type TestSlipway } from './support/slipway-process.js';

const run = promisify(execFile);
const PLUGIN = 'slipway-e2e-plugin:latest';
const SECRET = 'sup3r-s3cret-value-42';
type Step = { pipeline: string; name: string; status: string; skipReason: string | null; error: string | null };
type RunBody = { run: { id: number; status: string; error: { kind: string; message: string; hint?: string } | null } };

let slipway: TestSlipway;
let client: AppClient;

before(async () => {
  await run('docker', ['build', '-q', '-t', PLUGIN, resolve(import.meta.dirname, 'fixtures/plugin')]);
  slipway = await startTestSlipway();
  assert.equal((await api(slipway, 'POST', '/api/apps', { name: 'pipe', domain: 'pipe.e2e.test' })).status, 201);
  assert.equal((await api(slipway, 'PUT', '/api/apps/pipe/secrets', { name: 'API_KEY', value: SECRET })).status, 204);
});

after(async () => {
  client?.close();
  await slipway?.destroy();
  await removeSources();
  await run('docker', ['rmi', '-f', PLUGIN]).catch(() => undefined);
});

/** A fresh repository of the sample app with these files; each is force-pushed over the previous one. */
async function sourceWith(files: Record<string, string>, version: string, dockerfileExtra = ''): Promise<string> {
  const dir = await sampleSource(version);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  if (dockerfileExtra) {
    const dockerfile = join(dir, 'Dockerfile');
    await writeFile(dockerfile, (await readFile(dockerfile, 'utf8')).replace('COPY server.js', `${dockerfileExtra}\nCOPY server.js`));
  }
  await gitInit(dir);
  return dir;
}

async function pushWith(files: Record<string, string>, version: string, dockerfileExtra = ''): Promise<{ output: string; runId: number }> {
  const dir = await sourceWith(files, version, dockerfileExtra);
  const push = await gitPush(dir, remoteUrl(slipway.url, 'pipe', slipway.token), '+main');
  const runs = (await api<{ runs: Array<{ id: number }> }>(slipway, 'GET', '/api/apps/pipe/runs')).json.runs;
  return { output: push.output, runId: runs[0]!.id };
}

/**
 * Starts a push without waiting for it: git shows the run's log until the run ends, so a push of a run that is
 * meant to be cancelled only returns after the cancel. Resolves once the push has queued its run.
 */
async function startPush(files: Record<string, string>, version: string): Promise<{ runId: number; pushed: Promise<{ code: number; output: string }> }> {
  const latest = async () => (await api<{ runs: Array<{ id: number }> }>(slipway, 'GET', '/api/apps/pipe/runs')).json.runs[0]?.id ?? 0;
  const before = await latest();
  const dir = await sourceWith(files, version);
  const pushed = gitPush(dir, remoteUrl(slipway.url, 'pipe', slipway.token), '+main');
  const deadline = Date.now() + 60_000;
  for (;;) {
    const id = await latest();
    if (id > before) return { runId: id, pushed };
    assert.ok(Date.now() < deadline, 'the push queued no run within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function steps(runId: number): Promise<Step[]> {
  return (await api<{ steps: Step[] }>(slipway, 'GET', `/api/runs/${runId}/steps`)).json.steps;
}

test('a .slipway.yml pipeline: steps with a service and a masked secret, then build from the workspace, push, deploy', async () => {
  const pipeline = `
services:
  - name: web
    image: busybox:latest
    commands:
      - mkdir -p /www && echo svc-ok > /www/index.html && exec httpd -f -p 8080 -h /www
steps:
  - name: prepare
    image: busybox:latest
    environment:
      API_KEY: { from_secret: API_KEY }
    commands:
      - echo "generated in the workspace" > generated.txt
      - echo "key is $API_KEY"
      - echo -n "$API_KEY" | base64
  - name: service-check
    image: busybox:latest
    commands:
      - sleep 1
      - printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc web 8080
  - name: image
    build: {}
  - name: push
    push: {}
  - name: deploy
    deploy: {}
`;
  const { output, runId } = await pushWith({ '.slipway.yml': pipeline }, 'pipe-1', 'COPY generated.txt ./\nRUN cat generated.txt');
  assert.match(output, /remote: \[prepare\] key is \*\*\*/);
  assert.ok(!output.includes(SECRET), 'secret leaked in push output');
  assert.ok(!output.includes(Buffer.from(SECRET).toString('base64').slice(0, 12)), 'base64 of the secret leaked');
  assert.match(output, /\[service-check\] .*svc-ok/);
  assert.match(output, /generated in the workspace/);
  assert.match(output, /deployed pipe \(run \d+\)/);
  const all = await steps(runId);
  assert.deepEqual(all.map((s) => [s.name, s.status]), [['prepare', 'succeeded'], ['service-check', 'succeeded'], ['image', 'succeeded'], ['push', 'succeeded'], ['deploy', 'succeeded']]);
  const pipelineName = encodeURIComponent(all[0]!.pipeline);
  const stored = await (await fetch(`${slipway.url}/api/runs/${runId}/steps/${pipelineName}/prepare/logs`, { headers: { authorization: `Bearer ${slipway.token}` } })).text();
  assert.match(stored, /key is \*\*\*/);
  assert.ok(!stored.includes(SECRET));
  client = await appClient(slipway, 'pipe.e2e.test');
  await waitForBody(client, /version pipe-1/);
});

test('a failing step skips what follows (except on-failure steps), deploys nothing, and can be restarted from the failed step', async () => {
  const pipeline = `
steps:
  - name: first
    image: busybox:latest
    commands:
      - echo ran >> runs.txt
  - name: flaky
    image: busybox:latest
    cache: [/cache]
    commands:
      - cat runs.txt
      - if [ -f /cache/attempted ]; then echo second attempt passes; else touch /cache/attempted; echo first attempt fails; exit 4; fi
  - name: image
    build: {}
  - name: push
    push: {}
  - name: deploy
    deploy: {}
  - name: on-failure
    image: busybox:latest
    commands: [echo the pipeline failed]
    when:
      status: [failure]
`;
  const { output, runId } = await pushWith({ '.slipway.yml': pipeline }, 'pipe-2');
  assert.match(output, /DEPLOY FAILED/);
  assert.match(output, /\[flaky\] first attempt fails/);
  assert.match(output, /\[on-failure\] the pipeline failed/);
  const failed = await steps(runId);
  assert.deepEqual(failed.map((s) => s.status), ['succeeded', 'failed', 'skipped', 'skipped', 'skipped', 'succeeded']);
  assert.match((await client.get()).body, /version pipe-1/);

  const restart = await api<RunBody>(slipway, 'POST', `/api/runs/${runId}/restart`);
  assert.equal(restart.status, 202);
  const again = await api<{ error: { kind: string; message: string } }>(slipway, 'POST', `/api/runs/${runId}/restart`);
  assert.equal(again.status, 409, 'a second restart would share the kept workspace');
  assert.match(again.json.error.message, new RegExp(`already being restarted as run ${restart.json.run.id}`));
  const end = await waitForRunEnd(slipway, restart.json.run.id);
  assert.equal(end.status, 'succeeded', JSON.stringify(end));
  const log = await runLog(slipway, restart.json.run.id);
  assert.match(log, /restarting run \d+ from its failed step/);
  // The workspace is the failed run's: "first" did not run again, so runs.txt has one line.
  assert.match(log, /\[flaky\] ran\n\[flaky\] \+ if/);
  assert.match(log, /\[flaky\] second attempt passes/);
  assert.doesNotMatch(log, /\[first\]/);
  await waitForBody(client, /version pipe-2/);
});

test('an unchanged .drone.yml runs: DRONE_* variables and a plugin step whose settings become PLUGIN_*', async () => {
  const drone = `---
kind: pipeline
type: docker
name: default

steps:
- name: test
  image: busybox:latest
  commands:
  - echo "drone build $DRONE_BUILD_NUMBER on $DRONE_BRANCH at $DRONE_COMMIT_SHA"

- name: announce
  image: ${PLUGIN}
  settings:
    message: hello from settings
    channels: [dev, ops]

trigger:
  branch:
  - main
`;
  const { output, runId } = await pushWith({ '.drone.yml': drone }, 'pipe-3');
  const end = await waitForRunEnd(slipway, runId);
  assert.equal(end.status, 'succeeded', output);
  assert.match(output, /\[test\] drone build \d+ on main at [0-9a-f]{40}/);
  assert.match(output, /\[announce\] plugin says hello from settings to /);
});

test('a pipeline file with an unknown key fails the run with file:line:col and a hint, nothing runs', async () => {
  const bad = `steps:\n  - name: test\n    image: busybox:latest\n    comands: [echo hi]\n`;
  const { output, runId } = await pushWith({ '.slipway.yml': bad }, 'pipe-4');
  const end = await waitForRunEnd(slipway, runId);
  assert.equal(end.status, 'failed');
  assert.equal(end.error?.kind, 'invalid_input');
  assert.match(end.error?.message ?? '', /\.slipway\.yml:4:5/);
  assert.match(output, /commands/); // the did-you-mean suggestion
  assert.equal((await steps(runId)).length, 0);
});

test('cancel stops a running step and removes its containers, live step logs and events end with it; a step past its timeout fails', async () => {
  const { runId, pushed } = await startPush({ '.slipway.yml': `steps:\n  - name: forever\n    image: busybox:latest\n    commands: [echo started-forever, sleep 600]\n` }, 'pipe-5');
  const deadline = Date.now() + 60_000;
  let forever: Step | undefined;
  while ((forever = (await steps(runId)).find((s) => s.name === 'forever'))?.status !== 'running') {
    assert.ok(Date.now() < deadline, 'step never started');
    await new Promise((r) => setTimeout(r, 300));
  }
  const auth = { authorization: `Bearer ${slipway.token}` };
  const stepLog = fetch(`${slipway.url}/api/runs/${runId}/steps/${encodeURIComponent(forever!.pipeline)}/forever/logs?follow=1`, { headers: auth }).then((r) => r.text());
  const events = await fetch(`${slipway.url}/api/runs/${runId}/events`, { headers: auth });
  assert.equal(events.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const eventText = events.text();
  assert.equal((await api(slipway, 'POST', `/api/runs/${runId}/cancel`)).status, 200);
  const end = await waitForRunEnd(slipway, runId);
  assert.equal(end.status, 'cancelled');
  assert.match((await pushed).output, /cancelled/, 'the pusher is told');
  assert.match(await stepLog, /started-forever/, 'the followed step log has the output and ends with the step');
  const sse = await eventText;
  assert.match(sse, /^event: step\ndata: \{"pipeline":"[^"]+","step":"forever","status":"running"/m);
  assert.match(sse, /event: step\ndata: \{[^\n]*"step":"forever","status":"cancelled"/);
  assert.match(sse, /event: end\ndata: \{"status":"cancelled"/);
  // Connecting late with replay gets the stored output too, then the end at once.
  const replayed = await (await fetch(`${slipway.url}/api/runs/${runId}/events?replay=1`, { headers: auth })).text();
  assert.match(replayed, /event: log\ndata: \{"pipeline":"[^"]+","step":"forever","offset":0,"text":"[^"]*started-forever/);
  assert.match(replayed, /event: end\ndata: \{"status":"cancelled"[^\n]*\n\n$/);
  const docker = new Dockerode();
  const left = await docker.listContainers({ all: true, filters: { label: [`io.slipway.app=pipe`, `io.slipway.run=${runId}`], name: [slipway.instance] } });
  assert.equal(left.length, 0);

  const timed = await pushWith({ '.slipway.yml': `steps:\n  - name: slow\n    image: busybox:latest\n    timeout: 2s\n    commands: [sleep 600]\n` }, 'pipe-6');
  const timedEnd = await waitForRunEnd(slipway, timed.runId);
  assert.equal(timedEnd.status, 'failed');
  assert.match(await runLog(slipway, timed.runId), /timed out after 2 s/);
});

test('a step printing binary garbage and 100 MB of output fails nothing else; its log is capped; the server stays healthy', async () => {
  const flood = `steps:\n  - name: flood\n    image: busybox:latest\n    commands:\n      - head -c 200000 /dev/urandom\n      - head -c 100000000 /dev/zero | tr '\\\\0' x\n      - echo done-flooding\n  - name: after\n    image: busybox:latest\n    commands: [echo after-the-flood]\n`;
  const { runId } = await pushWith({ '.slipway.yml': flood }, 'pipe-7');
  const end = await waitForRunEnd(slipway, runId);
  assert.equal(end.status, 'succeeded', JSON.stringify(end));
  const pipelineName = encodeURIComponent((await steps(runId))[0]!.pipeline);
  const stored = await (await fetch(`${slipway.url}/api/runs/${runId}/steps/${pipelineName}/flood/logs`, { headers: { authorization: `Bearer ${slipway.token}` } })).text();
  assert.ok(stored.length < 40 * 1024 * 1024, `stored step log is ${stored.length} characters`);
  assert.match(stored.slice(-200), /output truncated: this step printed more than 32 MiB/);
  assert.match(await runLog(slipway, runId), /\[after\] after-the-flood/);
  assert.equal((await fetch(`${slipway.url}/api/health`)).status, 200);
  assert.match((await client.get()).body, /version pipe-2/);
});

test('a pushed tag runs the pipeline with event tag: when-filters pick the steps, nothing else is deployed', async () => {
  const pipeline = `
steps:
  - name: on-tag
    image: busybox:latest
    commands: [echo "tagged $CI_COMMIT_TAG"]
    when:
      event: tag
  - name: on-push
    image: busybox:latest
    commands: [echo pushed]
    when:
      event: push
`;
  const { output, runId } = await pushWith({ '.slipway.yml': pipeline }, 'pipe-8');
  assert.equal((await waitForRunEnd(slipway, runId)).status, 'succeeded', output);
  const dir = (await api<{ runs: Array<{ id: number }> }>(slipway, 'GET', '/api/apps/pipe/runs')).json.runs.length;
  const source = await sampleSource('pipe-8-tag');
  await writeFile(join(source, '.slipway.yml'), pipeline);
  await gitInit(source);
  await run('git', ['-C', source, 'tag', 'v1.2.3']);
  const push = await gitPush(source, remoteUrl(slipway.url, 'pipe', slipway.token), 'refs/tags/v1.2.3');
  assert.match(push.output, /queued for pipe \(tag v1\.2\.3/);
  const runs = (await api<{ runs: Array<{ id: number }> }>(slipway, 'GET', '/api/apps/pipe/runs')).json.runs;
  assert.equal(runs.length, dir + 1);
  assert.equal((await waitForRunEnd(slipway, runs[0]!.id)).status, 'succeeded');
  const tagged = await steps(runs[0]!.id);
  assert.deepEqual(tagged.map((s) => [s.name, s.status]), [['on-tag', 'succeeded'], ['on-push', 'skipped']]);
  assert.match(await runLog(slipway, runs[0]!.id), /\[on-tag\] tagged v1\.2\.3/);
});

test('promoting a run to an environment runs the same commit as a deploy event with that target', async () => {
  const pipeline = `
steps:
  - name: to-production
    image: busybox:latest
    commands: [echo "deploying to $DRONE_DEPLOY_TO"]
    when:
      event: deploy
      environment: production
  - name: on-push
    image: busybox:latest
    commands: [echo pushed]
    when:
      event: push
`;
  const { runId } = await pushWith({ '.slipway.yml': pipeline }, 'pipe-9');
  assert.equal((await waitForRunEnd(slipway, runId)).status, 'succeeded');
  const bad = await api<{ error: { field?: string } }>(slipway, 'POST', `/api/runs/${runId}/promote`, { environment: '' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'environment');
  const promoted = await api<RunBody>(slipway, 'POST', `/api/runs/${runId}/promote`, { environment: 'production' });
  assert.equal(promoted.status, 202);
  assert.equal((await waitForRunEnd(slipway, promoted.json.run.id)).status, 'succeeded');
  const promotedSteps = await steps(promoted.json.run.id);
  assert.deepEqual(promotedSteps.map((s) => [s.name, s.status]), [['to-production', 'succeeded'], ['on-push', 'skipped']]);
  assert.match(await runLog(slipway, promoted.json.run.id), /\[to-production\] deploying to production/);
});

test("a rollback puts the release back, then runs its commit's steps that ask for event rollback, building nothing", async () => {
  const pipeline = (word: string) => `
steps:
  - name: image
    build: {}
  - name: push
    push: {}
  - name: deploy
    deploy: {}
  - name: on-rollback
    image: busybox:latest
    commands: [echo "back to ${word} at $DRONE_COMMIT_SHA on $DRONE_BUILD_EVENT"]
    when: { event: rollback }
`;
  const first = await pushWith({ '.slipway.yml': pipeline('ten') }, 'pipe-10');
  assert.equal((await waitForRunEnd(slipway, first.runId)).status, 'succeeded');
  assert.equal((await steps(first.runId)).find((s) => s.name === 'on-rollback')?.status, 'skipped');
  const releases = (await api<{ releases: Array<{ number: number; commit: string }> }>(slipway, 'GET', '/api/apps/pipe/releases')).json.releases;
  const target = releases[0]!;
  const second = await pushWith({ '.slipway.yml': pipeline('eleven') }, 'pipe-11');
  assert.equal((await waitForRunEnd(slipway, second.runId)).status, 'succeeded');
  await waitForBody(client, /version pipe-11/);

  const rollback = await api<RunBody>(slipway, 'POST', '/api/apps/pipe/rollback', { release: target.number });
  assert.equal(rollback.status, 202);
  const end = await waitForRunEnd(slipway, rollback.json.run.id);
  assert.equal(end.status, 'succeeded', JSON.stringify(end));
  await waitForBody(client, /version pipe-10/);
  const ran = await steps(rollback.json.run.id);
  assert.deepEqual(ran.map((s) => [s.name, s.status]), [['image', 'skipped'], ['push', 'skipped'], ['deploy', 'skipped'], ['on-rollback', 'succeeded']]);
  assert.match(ran[0]!.skipReason ?? '', /builds, pushes and deploys nothing/);
  assert.match(await runLog(slipway, rollback.json.run.id), new RegExp(`\\[on-rollback\\] back to ten at ${target.commit} on rollback`));
  const restart = await api<{ error: { kind: string } }>(slipway, 'POST', `/api/runs/${rollback.json.run.id}/restart`);
  assert.equal(restart.status, 409);
});

test('concurrency 2: a newer run does not wait for a slow older one, and the older one\'s deploy is skipped as superseded', async () => {
  const deploySteps = '  - name: image\n    build: {}\n  - name: push\n    push: {}\n  - name: deploy\n    deploy: {}\n';
  // The app's cache volume is shared by its runs: the newer run, once deployed, lets the older one go on. With one
  // run at a time the newer run could not start, and the older one's wait would time out and fail it.
  const go = `/cache/go-${process.pid}-${Date.now()}`;
  const waitForNewer = `for i in $(seq 240); do if [ -f ${go} ]; then rm ${go}; exit 0; fi; sleep 0.5; done; echo the newer run never deployed; exit 1`;
  const patched = await api<{ concurrency: number }>(slipway, 'PATCH', '/api/apps/pipe', { concurrency: 2 });
  assert.equal(patched.status, 200);
  assert.equal(patched.json.concurrency, 2);
  try {
    const slow = await startPush({ '.slipway.yml': `steps:\n  - name: wait\n    image: busybox:latest\n    cache: [/cache]\n    commands: ['${waitForNewer}']\n${deploySteps}` }, 'pipe-slow');
    const fast = await pushWith({ '.slipway.yml': `steps:\n${deploySteps}  - name: unblock\n    image: busybox:latest\n    cache: [/cache]\n    commands: [touch ${go}]\n` }, 'pipe-fast');
    assert.ok(fast.runId > slow.runId);
    assert.equal((await waitForRunEnd(slipway, fast.runId)).status, 'succeeded');
    await waitForBody(client, /version pipe-fast/);

    const slowEnd = await waitForRunEnd(slipway, slow.runId);
    assert.equal(slowEnd.status, 'succeeded', JSON.stringify(slowEnd));
    await slow.pushed;
    const deploy = (await steps(slow.runId)).find((s) => s.name === 'deploy');
    assert.equal(deploy?.status, 'skipped');
    assert.match(deploy?.skipReason ?? '', new RegExp(`^superseded: run ${fast.runId}, queued after this one, has since put release v\\d+ live`));
    const releases = (await api<{ releases: Array<{ runId: number; status: string }> }>(slipway, 'GET', '/api/apps/pipe/releases')).json.releases;
    assert.equal(releases.find((r) => r.status === 'live')?.runId, fast.runId);
    assert.equal(releases.some((r) => r.runId === slow.runId), false, 'the older run made no release');
    assert.match((await client.get()).body, /version pipe-fast/, 'the newer code is still live');
  } finally {
    await api(slipway, 'PATCH', '/api/apps/pipe', { concurrency: 1 });
  }
});
