// Stacks on real components: a pipeline deploys the app and a compose stack (a web server, a client that reaches it
// by its compose name, a service of the image the run built); a push that changes one service updates only it and
// prunes the one that left the file; a never-healthy service fails the step and the previous specs are put back
// while the old tasks keep running; an unsupported key is a clear error; deleting the app removes the stack.

import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import Dockerode from 'dockerode';
import { api, waitForRunEnd } from './support/api.js';
import { gitInit, gitPush, remoteUrl, removeSources, sampleSource } from './support/app-source.js';
import { appClient, waitForBody, type AppClient } from './support/https-client.js';
import { startTestSlipway, type TestSlipway } from './support/slipway-process.js';

const FIXTURES = resolve(import.meta.dirname, 'fixtures/stack');
const APP = 'stk';
const docker = new Dockerode();
type RunEnd = Awaited<ReturnType<typeof waitForRunEnd>>;

let slipway: TestSlipway;
let client: AppClient | undefined;

before(async () => {
  slipway = await startTestSlipway({ rolloutTimeoutSeconds: 60 });
  assert.equal((await api(slipway, 'POST', '/api/apps', { name: APP, domain: 'stk.e2e.test' })).status, 201);
});

after(async () => {
  client?.close();
  await slipway?.destroy();
  await removeSources();
});

/** Pushes the sample app with this pipeline and compose file (a fresh repository each time, force-pushed). */
async function push(pipeline: string, compose: string, version: string): Promise<{ output: string; end: RunEnd; runId: number }> {
  const dir = await sampleSource(version);
  await writeFile(join(dir, '.slipway.yml'), pipeline);
  await writeFile(join(dir, 'compose.yaml'), await readFile(join(FIXTURES, compose), 'utf8'));
  await gitInit(dir);
  const { output } = await gitPush(dir, remoteUrl(slipway.url, APP, slipway.token), '+main');
  const runId = (await api<{ runs: Array<{ id: number }> }>(slipway, 'GET', `/api/apps/${APP}/runs`)).json.runs[0]!.id;
  return { output, end: await waitForRunEnd(slipway, runId), runId };
}

const STACK_ONLY = 'steps:\n  - name: backend\n    deploy: { stack: backend }\n';
const name = (svc: string) => `${slipway.instance}-stack-${APP}_backend_${svc}`;

async function stackServices(): Promise<Map<string, Dockerode.Service & { Version?: { Index?: number }; Spec?: Record<string, unknown> }>> {
  const services = await docker.listServices({ filters: { label: [`io.slipway.instance=${slipway.instance}`, `io.slipway.app=${APP}`, 'io.slipway.stack=backend'] } });
  return new Map(services.map((s) => [String(s.Spec?.Name), s as never]));
}

async function runningTasks(serviceName: string): Promise<string[]> {
  const tasks = await docker.listTasks({ filters: { service: [serviceName], 'desired-state': ['running'] } });
  return tasks.filter((t) => t.Status?.State === 'running').map((t) => String(t.ID));
}

async function serviceLog(serviceName: string): Promise<string> {
  const out = (await docker.getService(serviceName).logs({ stdout: true, stderr: true, tail: 50 } as never)) as unknown;
  return Buffer.isBuffer(out) ? out.toString('latin1') : String(out);
}

test('one pipeline builds, pushes and deploys the app, then a stack whose services reach each other by name', async () => {
  const pipeline = `
steps:
  - name: check
    image: busybox:latest
    commands: [test -f compose.yaml]
  - name: image
    build: {}
  - name: push
    push: {}
  - name: deploy
    deploy: {}
  - name: backend
    deploy: { stack: backend }
`;
  const { output, end } = await push(pipeline, 'first.yaml', 'stk-1');
  assert.equal(end.status, 'succeeded', output);
  assert.match(output, /stack backend from compose\.yaml/);
  assert.match(output, /web: created[^]*client: created[^]*api: created[^]*stack backend is live/);
  client = await appClient(slipway, 'stk.e2e.test');
  await waitForBody(client, /version stk-1/);

  const services = await stackServices();
  assert.deepEqual([...services.keys()].sort(), [name('api'), name('client'), name('web')]);
  const api = services.get(name('api'))?.Spec as { TaskTemplate: { ContainerSpec: { Image: string } }; Labels: Record<string, string> };
  assert.match(api.TaskTemplate.ContainerSpec.Image, new RegExp(`^127\\.0\\.0\\.1:\\d+/apps/${APP}@sha256:[0-9a-f]{64}$`), 'the image this run pushed, by digest');
  assert.equal(api.Labels.tier, 'api');
  // The client's health check already needed "web" by name; its output shows the answers too.
  const deadline = Date.now() + 30_000;
  while (!(await serviceLog(name('client'))).includes('hello-from-web')) {
    assert.ok(Date.now() < deadline, 'the client never reached web by its compose name');
    await new Promise((r) => setTimeout(r, 500));
  }
});

test('a push that changes one service updates only it, and a service no longer in the file is removed', async () => {
  const before = await stackServices();
  const { output, end } = await push(STACK_ONLY, 'second.yaml', 'stk-2');
  assert.equal(end.status, 'succeeded', output);
  assert.match(output, /web: unchanged[^]*client: updated/);
  assert.match(output, new RegExp(`removed ${name('api')}: it is no longer in the compose file`));
  const now = await stackServices();
  assert.deepEqual([...now.keys()].sort(), [name('client'), name('web')]);
  assert.equal(now.get(name('web'))?.Version?.Index, before.get(name('web'))?.Version?.Index, 'web was not touched');
  assert.ok((now.get(name('client'))?.Version?.Index ?? 0) > (before.get(name('client'))?.Version?.Index ?? 0));
});

test('a service that never becomes healthy fails the step; the previous specs are put back and the old tasks keep running', async () => {
  const before = await stackServices();
  const webTasks = await runningTasks(name('web'));
  assert.equal(webTasks.length, 1);
  const { output, end } = await push(STACK_ONLY, 'never-healthy.yaml', 'stk-3');
  assert.equal(end.status, 'failed', output);
  assert.equal(end.error?.kind, 'health_gate_failed');
  assert.match(end.error?.message ?? '', /^stack backend: service web did not become healthy: a new task /);
  assert.match(output, /web: previous spec put back and running[^]*removed the new service\(s\) extra/);
  assert.match(output, /hint: web put back; new extra removed: the stack runs what it ran before/);

  const now = await stackServices();
  assert.deepEqual([...now.keys()].sort(), [name('client'), name('web')], 'the new service is gone');
  const healthcheck = (s: typeof before extends Map<string, infer V> ? V : never) =>
    JSON.stringify((s.Spec as { TaskTemplate: { ContainerSpec: { Healthcheck: unknown } } }).TaskTemplate.ContainerSpec.Healthcheck);
  assert.equal(healthcheck(now.get(name('web'))!), healthcheck(before.get(name('web'))!), "web's previous health check is back");
  assert.deepEqual(await runningTasks(name('web')), webTasks, 'the old web task served throughout');
  assert.equal((await runningTasks(name('client'))).length, 1);
});

test('a refused compose setting fails the step with the file, line, column and service, and changes nothing', async () => {
  const before = await stackServices();
  const { output, end } = await push(STACK_ONLY, 'unsupported.yaml', 'stk-4');
  assert.equal(end.status, 'failed', output);
  assert.equal(end.error?.kind, 'invalid_input');
  assert.match(end.error?.message ?? '', /compose\.yaml:6:9: service "web" publishes port 80, which belongs to Slipway's edge/);
  const now = await stackServices();
  for (const [svc, s] of before) assert.equal(now.get(svc)?.Version?.Index, s.Version?.Index, `${svc} unchanged`);
});

test("deleting the app removes its stack's services and network", async () => {
  assert.equal((await api(slipway, 'DELETE', `/api/apps/${APP}`)).status, 204);
  assert.equal((await stackServices()).size, 0);
  const labels = { filters: { label: [`io.slipway.instance=${slipway.instance}`, `io.slipway.app=${APP}`] } };
  // Swarm keeps the node-local copy of a removed overlay network a few seconds longer.
  const deadline = Date.now() + 30_000;
  while ((await docker.listNetworks(labels)).length > 0) {
    assert.ok(Date.now() < deadline, 'the stack network was not removed');
    await new Promise((r) => setTimeout(r, 500));
  }
});
