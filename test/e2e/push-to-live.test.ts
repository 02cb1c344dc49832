// The core journey on real components: create an app, git push → live on HTTPS with a real ACME certificate,
// a second push and a rollback under load with zero failed requests, a CLI upload, logs/status/releases.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/command.js';
import { api, waitForRunEnd } from './support/api.js';
import { appClient, waitForBody, type AppClient } from './support/https-client.js';
import { commitAll, gitInit, gitPush, remoteUrl, removeSources, sampleSource } from './support/app-source.js';
import { startTestSlipway, type TestSlipway } from './support/slipway-process.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { get as httpGet, type IncomingMessage } from 'node:http';

let slipway: TestSlipway;
let client: AppClient;
const domain = 'hello.e2e.test';

before(async () => {
  slipway = await startTestSlipway();
});

after(async () => {
  client?.close();
  await slipway?.destroy();
  await removeSources();
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env: { SLIPWAY_URL: slipway.url, SLIPWAY_TOKEN: slipway.token, HOME: slipway.home },
    cwd: process.cwd(),
  };
  const code = await main(args, io);
  return { code, out, err };
}

test('apps create through the CLI prints the URL and the git remote line', async () => {
  const res = await cli(['apps', 'create', 'hello', '--domain', domain]);
  assert.equal(res.code, 0, res.err);
  assert.match(res.out, /git remote add slipway http:\/\/127\.0\.0\.1:\d+\/git\/hello\.git/);
  assert.match(res.out, new RegExp(`https://${domain.replace(/\./g, '\\.')}`));
});

let source: string;

test('git push deploys: the push output streams build and deploy and ends with the HTTPS URL', async () => {
  source = await sampleSource('v1');
  await gitInit(source);
  const push = await gitPush(source, remoteUrl(slipway.url, 'hello', slipway.token));
  assert.equal(push.code, 0, push.output);
  // The default pipeline (no pipeline file): build, push, deploy steps, their output prefixed with the step.
  assert.match(push.output, /remote: \[build\] Step 1\/\d+ : FROM node:20-slim/);
  assert.match(push.output, /remote: \[deploy\] --> deploying release v1 \(127\.0\.0\.1:\d+\/apps\/hello@sha256:[0-9a-f]{64}\)/);
  assert.match(push.output, new RegExp(`remote: --> live at https://${domain.replace(/\./g, '\\.')}:${slipway.httpsPort}/`));
  // The last line the pusher sees is the result with the app's HTTPS URL.
  const lastRemote = push.output.split('\n').filter((l) => l.startsWith('remote:')).pop() ?? '';
  assert.match(lastRemote, new RegExp(`deployed hello \\(run \\d+\\): https://${domain.replace(/\./g, '\\.')}:${slipway.httpsPort}/`));
  client = await appClient(slipway, domain);
  const body = await waitForBody(client, /version v1/);
  assert.match(body, /Hello from Slipway!/);
});

test('the service runs the image pinned by digest, never a moving tag', async () => {
  const { json } = await api<{ release: { image: string }; replicas: { running: number; desired: number } }>(slipway, 'GET', '/api/apps/hello');
  assert.match(json.release.image, /@sha256:[0-9a-f]{64}$/);
  assert.deepEqual([json.replicas.running, json.replicas.desired], [1, 1]);
});

test('plain HTTP redirects to HTTPS', async () => {
  const res = await new Promise<IncomingMessage>((resolve, reject) =>
    httpGet({ host: '127.0.0.1', port: slipway.httpPort, path: '/', headers: { host: domain } }, resolve).on('error', reject));
  res.resume();
  assert.ok([301, 308].includes(res.statusCode ?? 0), `status ${res.statusCode}`);
  assert.match(res.headers.location ?? '', new RegExp(`^https://${domain.replace(/\./g, '\\.')}/`));
});

test('a second push replaces the running version with zero failed requests', async (t) => {
  await writeFile(join(source, 'Dockerfile'), (await readFile(join(source, 'Dockerfile'), 'utf8')).replace('APP_VERSION=v1', 'APP_VERSION=v2'));
  await commitAll(source, 'v2');
  const load = client.load(8);
  await new Promise((r) => setTimeout(r, 1000));
  const push = await gitPush(source, remoteUrl(slipway.url, 'hello', slipway.token));
  await new Promise((r) => setTimeout(r, 3000));
  const result = await load.stop();
  t.diagnostic(`requests during the rollout: ${result.ok} ok, ${result.failed} failed`);
  assert.equal(push.code, 0, push.output);
  assert.match(push.output, /release v2 is live/);
  assert.equal(result.failed, 0, `failed requests: ${result.errors.join('; ')}`);
  assert.ok(result.ok > 50, `only ${result.ok} requests succeeded`);
  assert.ok([...result.bodies].some((b) => b.includes('version v1')) && [...result.bodies].some((b) => b.includes('version v2')), [...result.bodies].join('|'));
  assert.match((await client.get()).body, /version v2/);
});

test('pushes to other branches are stored but do not deploy', async () => {
  const push = await gitPush(source, remoteUrl(slipway.url, 'hello', slipway.token), 'main:feature-x');
  assert.equal(push.code, 0, push.output);
  assert.match(push.output, /refs\/heads\/feature-x stored; only pushes to main deploy/);
  const { json } = await api<{ releases: unknown[] }>(slipway, 'GET', '/api/apps/hello/releases');
  assert.equal(json.releases.length, 2);
});

test('slipway deploy uploads a directory and deploys it the same way', async () => {
  const dir = await sampleSource('v3-upload');
  const res = await cli(['deploy', dir, '--app', 'hello']);
  assert.equal(res.code, 0, res.err + res.out);
  assert.match(res.out, /release v3 is live/);
  assert.match((await client.get()).body, /version v3-upload/);
});

test('logs, status and releases show what is running and what ran', async () => {
  const status = await cli(['status', 'hello']);
  assert.equal(status.code, 0, status.err);
  assert.match(status.out, /3/);
  const releases = await cli(['releases', 'hello']);
  assert.equal(releases.code, 0, releases.err);
  assert.match(releases.out, /live/);
  assert.match(releases.out, /superseded/);
  const build = await cli(['logs', 'hello', '--build']);
  assert.equal(build.code, 0, build.err);
  assert.match(build.out, /Successfully built/);
  // The app's own stdout, through the Swarm service logs.
  const deadline = Date.now() + 20_000;
  let logs = '';
  while (Date.now() < deadline && !/listening on 3000/.test(logs)) {
    logs = (await cli(['logs', 'hello'])).out;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.match(logs, /listening on 3000/);
});

test('rollback puts an earlier release back with zero failed requests', async (t) => {
  const load = client.load(8);
  await new Promise((r) => setTimeout(r, 1000));
  const res = await cli(['rollback', 'hello', '1']);
  await new Promise((r) => setTimeout(r, 3000));
  const result = await load.stop();
  t.diagnostic(`requests during the rollout: ${result.ok} ok, ${result.failed} failed`);
  assert.equal(res.code, 0, res.err + res.out);
  assert.equal(result.failed, 0, `failed requests: ${result.errors.join('; ')}`);
  assert.match((await client.get()).body, /version v1/);
  const { json } = await api<{ releases: Array<{ number: number; status: string; rollbackOf: number | null }> }>(slipway, 'GET', '/api/apps/hello/releases');
  assert.deepEqual(json.releases.map((r) => [r.number, r.status, r.rollbackOf]), [
    [4, 'live', 1], [3, 'rolled_back', null], [2, 'superseded', null], [1, 'superseded', null],
  ]);
});

test('the dashboard, served by the real server, signs in and shows the app and its releases in Chromium', async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${slipway.url}/`);
    await page.fill('#token', slipway.token);
    await page.click('#sign-in-form button[type=submit]');
    await page.locator('#app-list li', { hasText: domain }).locator('.replicas', { hasText: '1/1 running' }).waitFor({ timeout: 15_000 });
    await page.locator('#app-list a.app-name', { hasText: /^hello$/ }).click();
    const rows = page.locator('#releases-card tbody tr');
    await rows.first().waitFor({ timeout: 15_000 });
    assert.equal(await rows.count(), 4);
    assert.match(await page.locator('#releases-card').innerText(), /live/);
  } finally {
    await browser.close();
  }
});

test('state survives a restart of Slipway', async () => {
  await slipway.kill();
  await slipway.restart();
  const { json } = await api<{ apps: Array<{ name: string; liveRelease: number }> }>(slipway, 'GET', '/api/apps');
  assert.deepEqual(json.apps.map((a) => [a.name, a.liveRelease]), [['hello', 4]]);
  assert.match((await client.get()).body, /version v1/);
  const run = await api<{ runs: Array<{ id: number }> }>(slipway, 'GET', '/api/apps/hello/runs');
  assert.equal((await waitForRunEnd(slipway, run.json.runs[0]!.id)).status, 'succeeded');
});
