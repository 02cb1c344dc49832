// An app that follows a repository on a forge: connected with an access token (checked at once), then signed
// GitHub, Gitea and GitLab webhook deliveries start runs — a push deploys, a pull request from the same repository
// runs its pipeline with secrets but does not deploy, a merge request from a fork runs without secrets, caches or
// pushes; unsigned, malformed or oversized deliveries are refused and start nothing.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { api, runLog, waitForRunEnd } from './support/api.js';
import { gitInit, removeSources, sampleSource } from './support/app-source.js';
import {
  mergeRequestPayload, pullRequestPayload, pushPayload, signedDelivery, startFakeForge, type FakeForge, type ForgeKind,
} from './support/fake-forge.js';
import { appClient, waitForBody, type AppClient } from './support/https-client.js';
import { startTestSlipway, type TestSlipway } from './support/slipway-process.js';

const git = promisify(execFile);
const FORGE_TOKEN = 'ghp_e2eForgeToken0123456789';
const SECRET = 'forge-s3cret-api-key-77';
type Step = { name: string; status: string; skipReason: string | null; error: string | null };
type Status = FakeForge['statuses'][number];
type Delivered = { status: number; json: { runs?: { id: number; event: string }[]; note?: string; error?: { kind: string; message: string } } };

const PIPELINE = `
steps:
  - name: check
    image: busybox:latest
    failure: ignore
    environment:
      API_KEY: { from_secret: API_KEY }
    commands:
      - echo "event=$DRONE_BUILD_EVENT pr=$DRONE_PULL_REQUEST src=$DRONE_SOURCE_BRANCH target=$DRONE_TARGET_BRANCH key=$API_KEY"
  - name: image
    build: {}
  - name: push
    push: {}
  - name: deploy
    deploy: {}
`;

let slipway: TestSlipway;
let forge: FakeForge;
let client: AppClient | undefined;
let webhookSecret = '';

before(async () => {
  forge = await startFakeForge({ token: FORGE_TOKEN });
  await forge.create('acme/web');
  slipway = await startTestSlipway();
  assert.equal((await api(slipway, 'POST', '/api/apps', { name: 'forged', domain: 'forged.e2e.test' })).status, 201);
  assert.equal((await api(slipway, 'PUT', '/api/apps/forged/secrets', { name: 'API_KEY', value: SECRET })).status, 204);
});

after(async () => {
  client?.close();
  await slipway?.destroy();
  await forge?.close();
  await removeSources();
});

async function deliver(forgeKind: ForgeKind, event: string, payload: unknown, secret = webhookSecret, app = 'forged'): Promise<Delivered> {
  const { headers, body } = signedDelivery(forgeKind, event, payload, secret);
  const res = await fetch(`${slipway.url}/hooks/${app}`, { method: 'POST', headers, body });
  return { status: res.status, json: (await res.json()) as Delivered['json'] };
}

/** A commit of the sample app (with the pipeline file unless told not to) pushed to the forge under `remoteRef`. */
async function pushToForge(version: string, remoteRef: string, withPipeline = true): Promise<string> {
  const dir = await sampleSource(version);
  if (withPipeline) await writeFile(join(dir, '.slipway.yml'), PIPELINE);
  await gitInit(dir);
  await forge.push(dir, 'acme/web', 'HEAD', remoteRef);
  return (await git('git', ['-C', dir, 'rev-parse', 'HEAD'])).stdout.trim();
}

async function steps(runId: number): Promise<Record<string, Step>> {
  const list = (await api<{ steps: Step[] }>(slipway, 'GET', `/api/runs/${runId}/steps`)).json.steps;
  return Object.fromEntries(list.map((s) => [s.name, s]));
}

/** The statuses posted for a commit once the final one (not pending/running) has arrived. */
async function statusesOf(sha: string): Promise<Status[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const mine = forge.statuses.filter((s) => s.path.endsWith(`/statuses/${sha}`));
    if (mine.some((s) => !['pending', 'running'].includes(String(s.body.state)))) return mine;
    if (Date.now() > deadline) throw new Error(`no final status for ${sha}: ${JSON.stringify(mine)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function runCount(): Promise<number> {
  return (await api<{ runs: unknown[] }>(slipway, 'GET', '/api/apps/forged/runs')).json.runs.length;
}

test('connecting checks the repository can be read with the token, and stores nothing when it cannot', async () => {
  await pushToForge('forge-1', 'refs/heads/main');
  const noToken = await api<{ error: { kind: string; message: string; hint: string } }>(slipway, 'PUT', '/api/apps/forged/repo', { repo: forge.urlOf('acme/web') });
  assert.equal(noToken.status, 502, JSON.stringify(noToken.json));
  assert.match(noToken.json.error.hint, /access token/);
  const badUrl = await api<{ error: { field: string } }>(slipway, 'PUT', '/api/apps/forged/repo', { repo: 'file:///etc' });
  assert.equal(badUrl.status, 400);
  assert.equal(badUrl.json.error.field, 'repo');
  assert.equal((await api(slipway, 'GET', '/api/apps/forged/repo')).status, 404);

  const ok = await api<{ repo: { webhookUrl: string; webhookSecret: string; hasToken: boolean } }>(slipway, 'PUT', '/api/apps/forged/repo', { repo: forge.urlOf('acme/web'), token: FORGE_TOKEN });
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
  assert.equal(ok.json.repo.webhookUrl, `${slipway.url}/hooks/forged`);
  assert.ok(ok.json.repo.webhookSecret.length >= 24);
  webhookSecret = ok.json.repo.webhookSecret;
  const shown = await api<{ repo: Record<string, unknown> }>(slipway, 'GET', '/api/apps/forged/repo');
  assert.equal(shown.json.repo.hasToken, true);
  assert.equal(shown.json.repo.webhookSecret, undefined, 'the secret is shown only once');
  const db = new BetterSqlite3(join(slipway.dataDir, 'slipway.db'), { readonly: true });
  const row = db.prepare('SELECT webhook_secret AS secret, token FROM app_repos WHERE app = ?').get('forged') as { secret: string; token: string };
  db.close();
  // Sealed and bound to the app and the column (v2: AES-GCM with the app, kind and name as associated data).
  assert.match(row.secret, /^v2:/);
  assert.match(row.token, /^v2:/);
  assert.ok(!JSON.stringify(row).includes(FORGE_TOKEN) && !JSON.stringify(row).includes(webhookSecret), 'token and secret are sealed at rest');
});

test('a signed GitHub push delivery fetches the branch and deploys it', async () => {
  const sha = await pushToForge('forge-1', 'refs/heads/main');
  const res = await deliver('github', 'push', pushPayload('refs/heads/main', sha));
  assert.equal(res.status, 200, JSON.stringify(res.json));
  assert.equal(res.json.runs?.length, 1);
  const runId = res.json.runs![0]!.id;
  const end = await waitForRunEnd(slipway, runId);
  assert.equal(end.status, 'succeeded', await runLog(slipway, runId));
  const s = await steps(runId);
  assert.deepEqual(Object.values(s).map((x) => x.status), ['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  client = await appClient(slipway, 'forged.e2e.test');
  await waitForBody(client, /version forge-1/);
  assert.ok(!(await runLog(slipway, runId)).includes(SECRET));
  // The commit's status on the forge: GitHub's API on a non-github.com host is /api/v3, with the token as Bearer.
  const statuses = await statusesOf(sha);
  assert.ok(statuses.every((x) => x.path === `/api/v3/repos/acme/web/statuses/${sha}` && x.authorization === `Bearer ${FORGE_TOKEN}`), JSON.stringify(statuses));
  assert.deepEqual(statuses.map((x) => x.body.state), ['pending', 'pending', 'success']);
  assert.equal(statuses.at(-1)!.body.context, 'slipway/forged');
  assert.equal(statuses.at(-1)!.body.target_url, `${slipway.url}/#/apps/forged/runs/${runId}`);
});

test('a pull request from the same repository (Gitea) runs with its secret and pull request variables, but does not deploy', async () => {
  const sha = await pushToForge('forge-pr', 'refs/pull/2/head');
  const res = await deliver('gitea', 'pull_request', pullRequestPayload('opened', 2, sha, 'feature', 'acme/web'));
  assert.equal(res.status, 200, JSON.stringify(res.json));
  const runId = res.json.runs![0]!.id;
  assert.equal(res.json.runs![0]!.event, 'pull_request');
  const end = await waitForRunEnd(slipway, runId);
  assert.equal(end.status, 'succeeded', await runLog(slipway, runId));
  const s = await steps(runId);
  assert.equal(s.check!.status, 'succeeded');
  assert.equal(s.push!.status, 'succeeded');
  assert.equal(s.deploy!.status, 'skipped');
  assert.match(s.deploy!.skipReason ?? '', /pull requests do not deploy/);
  const log = await runLog(slipway, runId);
  assert.match(log, /event=pull_request pr=2 src=feature target=main key=\*\*\*/);
  assert.ok(!log.includes(SECRET));
  assert.match((await client!.get()).body, /version forge-1/, 'the live app is unchanged');
  const statuses = await statusesOf(sha);
  assert.ok(statuses.every((x) => x.path === `/api/v1/repos/acme/web/statuses/${sha}` && x.authorization === `token ${FORGE_TOKEN}`), JSON.stringify(statuses));
  assert.equal(statuses.at(-1)!.body.state, 'success');
});

test('a merge request from a fork (GitLab) gets no secrets, cannot push or deploy, and says why', async () => {
  const sha = await pushToForge('forge-fork', 'refs/merge-requests/3/head');
  const res = await deliver('gitlab', 'Merge Request Hook', mergeRequestPayload('open', 3, sha, 'evil', 99));
  assert.equal(res.status, 200, JSON.stringify(res.json));
  assert.match(res.json.note ?? '', /from a fork \(no secrets\)/);
  const runId = res.json.runs![0]!.id;
  await waitForRunEnd(slipway, runId);
  const s = await steps(runId);
  const log = await runLog(slipway, runId);
  assert.ok(!log.includes(SECRET), 'a fork saw the secret');
  assert.match(log, /needs secret API_KEY, which is not available/);
  assert.equal(s.check!.status, 'failed', JSON.stringify(s.check));
  assert.match(s.check!.error ?? '', /ignored/);
  assert.equal(s.image!.status, 'succeeded', 'a fork can still check that its Dockerfile builds');
  assert.equal(s.push!.status, 'skipped');
  assert.match(s.push!.skipReason ?? '', /forks cannot push/);
  assert.equal(s.deploy!.status, 'skipped');
  assert.match((await client!.get()).body, /version forge-1/);
  const statuses = await statusesOf(sha);
  assert.ok(statuses.every((x) => x.path === `/api/v4/projects/acme%2Fweb/statuses/${sha}` && x.privateToken === FORGE_TOKEN), JSON.stringify(statuses));
  assert.deepEqual(statuses.map((x) => x.body.state), ['pending', 'running', 'success']);
});

test('unsigned, wrongly signed, malformed, oversized and irrelevant deliveries start nothing', async () => {
  const before = await runCount();
  const sha = await pushToForge('forge-2', 'refs/heads/main');
  const forged = await deliver('github', 'push', pushPayload('refs/heads/main', sha), 'not-the-secret');
  assert.equal(forged.status, 401);
  assert.equal(forged.json.error?.kind, 'unauthorized');
  const gitlabWrong = await deliver('gitlab', 'Push Hook', pushPayload('refs/heads/main', sha), 'not-the-secret');
  assert.equal(gitlabWrong.status, 401);
  const unsigned = await fetch(`${slipway.url}/hooks/forged`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(unsigned.status, 400);
  const malformed = await deliver('github', 'push', { ref: '--upload-pack=touch /tmp/x', after: sha });
  assert.equal(malformed.status, 400);
  assert.match(malformed.json.error?.message ?? '', /ref/);
  const big = await fetch(`${slipway.url}/hooks/forged`, { method: 'POST', headers: { 'x-github-event': 'push', 'content-type': 'application/json' }, body: 'x'.repeat(11 * 1024 * 1024) });
  assert.equal(big.status, 413, 'over the 10 MiB delivery cap: too_large');
  const ping = await deliver('github', 'ping', { zen: 'hi' });
  assert.equal(ping.status, 200);
  assert.deepEqual(ping.json.runs, []);
  const unknownApp = await deliver('github', 'push', pushPayload('refs/heads/main', sha), webhookSecret, 'nope');
  assert.equal(unknownApp.status, 401, 'an unknown app is answered like a wrong signature');
  const noPipeline = await pushToForge('forge-np', 'refs/pull/4/head', false);
  const pr = await deliver('github', 'pull_request', pullRequestPayload('synchronize', 4, noPipeline, 'np', 'acme/web'));
  assert.equal(pr.status, 200);
  assert.deepEqual(pr.json.runs, []);
  assert.match(pr.json.note ?? '', /no pipeline file/);
  const gone = await deliver('github', 'push', pushPayload('refs/heads/main', 'c'.repeat(40)));
  assert.equal(gone.status, 409, 'a commit the forge does not have is refused');
  assert.equal(await runCount(), before);
  assert.match((await client!.get()).body, /version forge-1/);
  assert.equal((await fetch(`${slipway.url}/api/health`)).status, 200);
});

test('after disconnecting, deliveries are refused', async () => {
  assert.equal((await api(slipway, 'DELETE', '/api/apps/forged/repo')).status, 204);
  const res = await deliver('github', 'ping', { zen: 'hi' });
  assert.equal(res.status, 401);
});
