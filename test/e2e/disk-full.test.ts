// The data folder full (issue 12): Slipway's data directory on a size-limited filesystem, filled up while the app
// runs. A deploy then fails with a clear error, the running version keeps serving, nothing recorded is lost, and the
// next deploy works once space is freed, without restarting anything.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { api, runLog, uploadDeploy, waitForRunEnd } from './support/api.js';
import { appClient, waitForBody, type AppClient } from './support/https-client.js';
import { removeSources, sampleSource } from './support/app-source.js';
import { startTestSlipway, type TestSlipway } from './support/slipway-process.js';
import { packDirectory } from '../../src/cli/tarball.js';

const exec = promisify(execFile);
let slipway: TestSlipway;
let client: AppClient;
let mountPoint = '';
const domain = 'full.e2e.test';
type Release = { number: number; status: string };

before(async () => {
  mountPoint = await mkdtemp(join(tmpdir(), 'slipway-full-'));
  // Room for the registry's copy of the sample image (node:20-slim layers) and little more.
  await exec('mount', ['-t', 'tmpfs', '-o', 'size=400m,mode=0700', 'tmpfs', mountPoint]);
  slipway = await startTestSlipway({ rolloutTimeoutSeconds: 40, dataDir: join(mountPoint, 'data') });
  assert.equal((await api(slipway, 'POST', '/api/apps', { name: 'full', domain })).status, 201);
  const run = await uploadDeploy(slipway, 'full', await sampleSource('full-1'));
  assert.equal((await waitForRunEnd(slipway, run)).status, 'succeeded', await runLog(slipway, run));
  client = await appClient(slipway, domain);
  await waitForBody(client, /version full-1/);
});

after(async () => {
  client?.close();
  await slipway?.destroy();
  await removeSources();
  if (mountPoint) {
    await exec('umount', [mountPoint]).catch(() => undefined);
    await rmdir(mountPoint).catch(() => undefined);
  }
});

/** Writes a file until the filesystem has no space left; returns its path. */
async function fill(dir: string): Promise<string> {
  const path = join(dir, 'filler');
  const file = await open(path, 'w');
  const chunk = Buffer.alloc(1024 * 1024, 1);
  try {
    for (;;) await file.write(chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    await file.close();
  }
  // The last partial megabyte too.
  const small = await open(path, 'a');
  try {
    for (;;) await small.write(Buffer.alloc(4096, 1));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    await small.close();
  }
  return path;
}

test('a deploy while the data folder is full fails clearly, the app keeps serving, and the next one works once space is back', async (t) => {
  const before = (await api<{ releases: Release[] }>(slipway, 'GET', '/api/apps/full/releases')).json.releases;
  const filler = await fill(mountPoint);
  let failure = '';
  try {
    const upload = await fetch(`${slipway.url}/api/apps/full/deploy`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slipway.token}`, 'content-type': 'application/gzip' },
      body: await packDirectory(await sampleSource('full-2')),
    });
    const answer = (await upload.json()) as { run?: { id: number }; error?: { kind: string; message: string } };
    if (upload.status >= 400) {
      assert.ok(upload.status < 500 || upload.status === 507, `a full disk is not a crash: HTTP ${upload.status} ${JSON.stringify(answer)}`);
      failure = answer.error?.message ?? '';
    } else {
      const end = await waitForRunEnd(slipway, answer.run!.id);
      assert.equal(end.status, 'failed');
      failure = end.error?.message ?? '';
    }
    assert.match(failure, /space|full/i, `the error says the disk is full: ${failure}`);
    t.diagnostic(`data folder full: ${failure}`);
    await waitForBody(client, /version full-1/);
  } finally {
    await rm(filler, { force: true });
  }
  const rels = (await api<{ releases: Release[] }>(slipway, 'GET', '/api/apps/full/releases')).json.releases;
  for (const r of before) assert.ok(rels.some((x) => x.number === r.number), `release ${r.number} is still recorded`);
  assert.equal(rels.filter((r) => r.status === 'live').length, 1);
  assert.equal(rels.filter((r) => r.status === 'deploying').length, 0);
  const run = await uploadDeploy(slipway, 'full', await sampleSource('full-3'));
  const end = await waitForRunEnd(slipway, run);
  assert.equal(end.status, 'succeeded', await runLog(slipway, run));
  await waitForBody(client, /version full-3/);
});

// TODO(issue 12, open): measured failing once — a run whose writes hit the full disk mid-build stayed `running`
// (its status could not be written). Kept as todo until run state writes are retried once space is back.
test('the data folder filling up during a build: the run ends (never stuck running), the app keeps serving, and deploys work once space is back', { todo: 'known defect: a run can stay running when its state cannot be written (issue 12)' }, async (t) => {
  const run = await uploadDeploy(slipway, 'full', await sampleSource('full-4'));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const r = (await api<{ run: { phase: string; status: string } }>(slipway, 'GET', `/api/runs/${run}`)).json.run;
    if (r.phase === 'build') break;
    assert.ok(Date.now() < deadline && r.status !== 'failed' && r.status !== 'succeeded', `run never reached build: ${JSON.stringify(r)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
  const filler = await fill(mountPoint);
  // Full for a while: long enough for the build's log lines and the push to need space.
  await new Promise((res) => setTimeout(res, 5000));
  await rm(filler, { force: true });
  const end = await waitForRunEnd(slipway, run);
  t.diagnostic(`run during a full disk: ${end.status} ${end.error?.message ?? ''}`);
  assert.ok(end.status === 'succeeded' || end.status === 'failed', JSON.stringify(end));
  const rels = (await api<{ releases: Release[] }>(slipway, 'GET', '/api/apps/full/releases')).json.releases;
  assert.equal(rels.filter((r) => r.status === 'live').length, 1, JSON.stringify(rels));
  assert.equal(rels.filter((r) => r.status === 'deploying').length, 0, JSON.stringify(rels));
  await waitForBody(client, end.status === 'succeeded' ? /version full-4/ : /version full-3/);
  const next = await uploadDeploy(slipway, 'full', await sampleSource('full-5'));
  assert.equal((await waitForRunEnd(slipway, next)).status, 'succeeded', await runLog(slipway, next));
  await waitForBody(client, /version full-5/);
});
