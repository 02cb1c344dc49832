// Bad input on real components: each gets a clear error, the running version keeps serving, nothing is lost.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Dockerode from 'dockerode';
import { api, runLog, uploadDeploy, waitForRunEnd } from './support/api.js';
import { appClient, waitForBody, type AppClient } from './support/https-client.js';
import { commitAll, gitInit, gitPush, remoteUrl, removeSources, sampleSource } from './support/app-source.js';
import { startTestSlipway, type TestSlipway } from './support/slipway-process.js';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

let slipway: TestSlipway;
let client: AppClient;
const domain = 'shop.e2e.test';
type Release = { number: number; status: string };
type ErrorBody = { error: { kind: string; message: string; field?: string; hint?: string } };

before(async () => {
  slipway = await startTestSlipway({ rolloutTimeoutSeconds: 25 });
  assert.equal((await api(slipway, 'POST', '/api/apps', { name: 'shop', domain })).status, 201);
  const run = await uploadDeploy(slipway, 'shop', await sampleSource('good-1'));
  assert.equal((await waitForRunEnd(slipway, run)).status, 'succeeded');
  client = await appClient(slipway, domain);
  await waitForBody(client, /version good-1/);
});

after(async () => {
  client?.close();
  await slipway?.destroy();
  await removeSources();
});

async function releases(): Promise<Release[]> {
  return (await api<{ releases: Release[] }>(slipway, 'GET', '/api/apps/shop/releases')).json.releases;
}

async function assertStillServing(version: string): Promise<void> {
  const res = await client.get();
  assert.equal(res.status, 200);
  assert.match(res.body, new RegExp(`version ${version}`));
}

test('invalid app name and domain are refused with the field and a hint', async () => {
  const badName = await api<ErrorBody>(slipway, 'POST', '/api/apps', { name: 'Bad_Name!', domain: 'ok.e2e.test' });
  assert.equal(badName.status, 400);
  assert.equal(badName.json.error.field, 'name');
  assert.match(badName.json.error.hint ?? '', /lowercase/);
  const badDomain = await api<ErrorBody>(slipway, 'POST', '/api/apps', { name: 'okname', domain: 'https://x/y' });
  assert.equal(badDomain.status, 400);
  assert.equal(badDomain.json.error.field, 'domain');
  const taken = await api<ErrorBody>(slipway, 'POST', '/api/apps', { name: 'other', domain });
  assert.equal(taken.status, 409);
  const notJson = await fetch(`${slipway.url}/api/apps`, { method: 'POST', headers: { authorization: `Bearer ${slipway.token}` }, body: '{oops' });
  assert.equal(notJson.status, 400);
});

test('unknown app is not_found with a hint', async () => {
  const res = await api<ErrorBody>(slipway, 'GET', '/api/apps/nosuchapp');
  assert.equal(res.status, 404);
  assert.equal(res.json.error.kind, 'not_found');
  assert.match(res.json.error.hint ?? '', /slipway apps list/);
});

test('a wrong or missing token is refused by the API and by the git remote', async () => {
  assert.equal((await api(slipway, 'GET', '/api/apps', undefined, 'slw_wrong')).status, 401);
  assert.equal((await fetch(`${slipway.url}/api/apps`)).status, 401);
  const dir = await sampleSource('x');
  await gitInit(dir);
  const push = await gitPush(dir, remoteUrl(slipway.url, 'shop', 'slw_wrong'));
  assert.notEqual(push.code, 0);
  assert.match(push.output, /Authentication failed|401/);
  assert.equal((await releases()).length, 1);
});

test('a push without a Dockerfile fails clearly and the old version keeps serving', async () => {
  const dir = await sampleSource('nodockerfile', 'no-dockerfile');
  await gitInit(dir);
  const push = await gitPush(dir, remoteUrl(slipway.url, 'shop', slipway.token));
  assert.match(push.output, /no Dockerfile at the top of commit [0-9a-f]{12}/);
  assert.match(push.output, /DEPLOY FAILED/);
  assert.match(push.output, /hint: add a Dockerfile/);
  await assertStillServing('good-1');
  assert.equal((await releases()).length, 1);
});

test('a Dockerfile that fails to build is reported with the builder output; the old version keeps serving', async () => {
  const run = await uploadDeploy(slipway, 'shop', await sampleSource('broken', 'build-fails'));
  const end = await waitForRunEnd(slipway, run);
  assert.equal(end.status, 'failed');
  assert.equal(end.error?.kind, 'build_failed');
  assert.match(end.error?.message ?? '', /returned a non-zero code: 3/);
  assert.match(await runLog(slipway, run), /compiling\.\.\./);
  await assertStillServing('good-1');
});

for (const [defect, kind] of [['crashes', 'health_gate_failed'], ['never-healthy', 'health_gate_failed'], ['hangs-starting', 'rollout_timeout']] as const) {
  test(`an image that ${defect} is rolled back automatically, reported, with zero failed requests`, async (t) => {
    const before = await releases();
    const load = client.load(4);
    const run = await uploadDeploy(slipway, 'shop', await sampleSource(`bad-${defect}`, defect));
    const end = await waitForRunEnd(slipway, run);
    const traffic = await load.stop();
    t.diagnostic(`requests during the failed rollout and rollback: ${traffic.ok} ok, ${traffic.failed} failed`);
    assert.equal(end.status, 'failed');
    assert.equal(end.error?.kind, kind);
    const log = await runLog(slipway, run);
    assert.match(log, /rolling back to release v1/);
    assert.match(log, /release v1 is serving again/);
    const after = await releases();
    assert.equal(after.length, before.length + 1);
    assert.equal(after[0]!.status, 'failed');
    assert.equal(after.find((r) => r.number === 1)!.status, 'live');
    assert.equal(traffic.failed, 0, traffic.errors.join('; '));
    await assertStillServing('good-1');
    const events = (await api<{ events: Array<{ type: string }> }>(slipway, 'GET', '/api/events?limit=20')).json.events;
    assert.ok(events.some((e) => e.type === 'release.rolled_back'));
  });
}

test('a first deploy that crashes leaves no crash-looping service behind', async () => {
  assert.equal((await api(slipway, 'POST', '/api/apps', { name: 'newbie', domain: 'newbie.e2e.test' })).status, 201);
  const run = await uploadDeploy(slipway, 'newbie', await sampleSource('crash', 'crashes'));
  const end = await waitForRunEnd(slipway, run);
  assert.equal(end.status, 'failed');
  const docker = new Dockerode();
  await assert.rejects(docker.getService(`${slipway.instance}-app-newbie`).inspect(), /no such service|not found/i);
  assert.equal((await api<{ liveRelease: number | null }[]>(slipway, 'GET', '/api/apps')).status, 200);
  assert.equal((await api(slipway, 'DELETE', '/api/apps/newbie')).status, 204);
});

test('a push while another deploy of the same app runs is queued, not interleaved', async () => {
  const first = await uploadDeploy(slipway, 'shop', await sampleSource('queued-a'));
  const second = await uploadDeploy(slipway, 'shop', await sampleSource('queued-b'));
  const during = (await api<{ run: { status: string } }>(slipway, 'GET', `/api/runs/${second}`)).json.run.status;
  assert.equal(during, 'queued');
  assert.equal((await waitForRunEnd(slipway, first)).status, 'succeeded');
  assert.equal((await waitForRunEnd(slipway, second)).status, 'succeeded');
  const logA = await runLog(slipway, first);
  const logB = await runLog(slipway, second);
  assert.doesNotMatch(logA, /queued-b/);
  assert.doesNotMatch(logB, /queued-a/);
  const rels = await releases();
  assert.equal(rels[0]!.status, 'live');
  assert.equal(rels.filter((r) => r.status === 'live').length, 1);
  await assertStillServing('queued-b');
});

for (const phase of ['build', 'deploy'] as const) {
  test(`Slipway killed during ${phase} finishes the deploy on the next start, never a half state`, async () => {
    const version = `restart-${phase}`;
    const run = await uploadDeploy(slipway, 'shop', await sampleSource(version));
    const deadline = Date.now() + 120_000;
    for (;;) {
      const r = (await api<{ run: { phase: string; status: string } }>(slipway, 'GET', `/api/runs/${run}`)).json.run;
      if (r.phase === phase) break;
      assert.ok(Date.now() < deadline && r.status !== 'failed' && r.status !== 'succeeded', `run never reached ${phase}: ${JSON.stringify(r)}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    await slipway.kill();
    await slipway.restart();
    const end = await waitForRunEnd(slipway, run);
    assert.equal(end.status, 'succeeded', JSON.stringify(end));
    const log = await runLog(slipway, run);
    assert.match(log, phase === 'build' ? /restarted during the build; building again/ : /restarted during this deploy; resuming/);
    const rels = await releases();
    assert.equal(rels.filter((r) => r.status === 'live').length, 1);
    assert.equal(rels.filter((r) => r.status === 'deploying').length, 0);
    await waitForBody(client, new RegExp(`version ${version}`));
  });
}

test('an upload that is not a gzipped tar is refused without creating a run', async () => {
  const res = await fetch(`${slipway.url}/api/apps/shop/deploy`, {
    method: 'POST',
    headers: { authorization: `Bearer ${slipway.token}`, 'content-type': 'application/gzip' },
    body: 'this is not a tarball',
  });
  assert.equal(res.status, 400);
  const body = (await res.json()) as ErrorBody;
  assert.match(body.error.message, /not a gzipped tar/);
  await rm(join(slipway.dataDir, 'uploads', '.incoming-x'), { force: true });
});
