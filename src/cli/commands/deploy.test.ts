// `slipway deploy`: the uploaded tarball, the live log, and exit codes from the run's error kind.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunError } from '../../core/types.js';
import { main } from '../main.js';
import { json, startFakeApi, text, TOKEN, type FakeApi } from '../testing/fake-api.js';
import { appStatus, run } from '../testing/fixtures.js';
import { sourceTree } from '../testing/source-tree.js';
import { apiIO } from '../testing/test-io.js';
import { untar } from '../testing/untar.js';

const FAILURES: Record<string, { id: number; error: RunError | null; status: 'failed' | 'cancelled'; exit: number }> = {
  broken: { id: 13, status: 'failed', exit: 6, error: { kind: 'build_failed', message: 'step 3/5 RUN npm ci exited 1', hint: 'fix the Dockerfile' } },
  sick: { id: 14, status: 'failed', exit: 7, error: { kind: 'health_gate_failed', message: 'release #4 never became healthy; #3 is live again' } },
  stopped: { id: 15, status: 'cancelled', exit: 9, error: null },
};

describe('slipway deploy', () => {
  let api: FakeApi;
  let dir: string;
  before(async () => {
    dir = await sourceTree();
    const routes: Parameters<typeof startFakeApi>[0] = {
      'POST /api/apps/hello/deploy': json({ run: run() }, 202),
      'GET /api/runs/12/logs': text('Step 1/2 : FROM node:20-slim\n', 'Step 2/2 : COPY . /app\n', 'release #3 is healthy\n'),
      'GET /api/runs/12': json({ run: run({ status: 'succeeded', phase: 'done', releaseId: 3 }) }),
      'GET /api/apps/hello': json(appStatus()),
    };
    for (const [app, f] of Object.entries(FAILURES)) {
      routes[`POST /api/apps/${app}/deploy`] = json({ run: run({ id: f.id, app }) }, 202);
      routes[`GET /api/runs/${f.id}/logs`] = text('building…\n');
      routes[`GET /api/runs/${f.id}`] = json({ run: run({ id: f.id, app, status: f.status, error: f.error }) });
    }
    api = await startFakeApi(routes);
  });
  after(() => api.close());

  it('uploads a gzipped tar of the directory without .git, follows the log and prints the URL', async () => {
    const io = await apiIO(api, dir);
    assert.equal(await main(['deploy', '--app', 'hello'], io), 0, io.stderr.text);
    const upload = api.requests.find((r) => r.path === '/api/apps/hello/deploy');
    assert.equal(upload?.method, 'POST');
    assert.equal(upload?.headers['content-type'], 'application/gzip');
    assert.equal(upload?.headers.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual([...(upload?.body.subarray(0, 2) ?? [])], [0x1f, 0x8b]);
    const files = await untar(upload?.body ?? Buffer.alloc(0));
    assert.ok(files.has('Dockerfile') && files.has('src/index.js') && files.has('vendor/lib/lib.js'));
    assert.ok(![...files.keys()].some((p) => p.split('/').includes('.git')), [...files.keys()].join(', '));
    const paths = api.requests.slice(-3).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(paths, ['GET /api/runs/12/logs?follow=1', 'GET /api/runs/12', 'GET /api/apps/hello']);
    assert.equal(
      io.stdout.text,
      'Step 1/2 : FROM node:20-slim\nStep 2/2 : COPY . /app\nrelease #3 is healthy\n' +
        'succeeded: hello release #3 is live at https://hello.example.com\n',
    );
    assert.match(io.stderr.text, /run #12 queued for hello/);
  });

  it('takes the directory as an argument, relative to the working directory', async () => {
    const io = await apiIO(api, '/');
    assert.equal(await main(['deploy', `.${dir}/src`, '--app', 'hello'], io), 0, io.stderr.text);
    const upload = api.requests.filter((r) => r.path === '/api/apps/hello/deploy').at(-1);
    assert.deepEqual([...(await untar(upload?.body ?? Buffer.alloc(0))).keys()], ['index.js']);
  });

  for (const [app, f] of Object.entries(FAILURES)) {
    it(`exits ${f.exit} when the run ends ${f.status} with ${f.error?.kind ?? 'no error'}`, async () => {
      const io = await apiIO(api, dir);
      assert.equal(await main(['deploy', '--app', app], io), f.exit);
      assert.equal(io.stdout.text, 'building…\n');
      const message = f.error?.message ?? 'cancelled';
      assert.match(io.stderr.text, new RegExp(`error: run #${f.id} ${f.status}: ${message}\n`));
      const hint = f.error?.hint ?? `see the log with "slipway logs ${app} --build"`;
      assert.ok(io.stderr.text.endsWith(`hint: ${hint}\n`), io.stderr.text);
    });
  }

  it('exits 4 without following anything when the app does not exist', async () => {
    const io = await apiIO(api, dir);
    assert.equal(await main(['deploy', '--app', 'ghost'], io), 4);
    assert.equal(api.requests.at(-1)?.path, '/api/apps/ghost/deploy');
  });
});
