// `slipway logs`: app logs with follow/tail in the query, or the latest run's build log with --build.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main } from '../main.js';
import { json, startFakeApi, text, type FakeApi } from '../testing/fake-api.js';
import { run } from '../testing/fixtures.js';
import { apiIO } from '../testing/test-io.js';

describe('slipway logs', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi({
      'GET /api/apps/hello/logs': text('listening on :3000\n', 'GET / 200\n'),
      'GET /api/apps/hello/runs': json({ runs: [run({ id: 9, status: 'failed' }), run({ id: 8 })] }),
      'GET /api/runs/9/logs': text('Step 1/3 : FROM node:20-slim\n'),
      'GET /api/apps/new/runs': json({ runs: [] }),
    });
  });
  after(() => api.close());

  it('streams the running app output', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['logs', 'hello'], io), 0);
    assert.equal(api.requests.at(-1)?.path, '/api/apps/hello/logs');
    assert.equal(io.stdout.text, 'listening on :3000\nGET / 200\n');
  });

  it('puts -f and --tail into the query', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['logs', 'hello', '-f', '--tail', '50'], io), 0);
    assert.equal(api.requests.at(-1)?.path, '/api/apps/hello/logs?follow=1&tail=50');
    assert.equal(await main(['logs', '--tail=5', 'hello'], io), 0);
    assert.equal(api.requests.at(-1)?.path, '/api/apps/hello/logs?tail=5');
  });

  it('--build shows the latest run log, following with -f', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['logs', 'hello', '--build', '--follow'], io), 0);
    assert.deepEqual(api.requests.slice(-2).map((r) => r.path), ['/api/apps/hello/runs', '/api/runs/9/logs?follow=1']);
    assert.equal(io.stdout.text, 'Step 1/3 : FROM node:20-slim\n');
    assert.equal(io.stderr.text, 'run #9 (upload, failed)\n');
    assert.equal(await main(['logs', 'hello', '--build'], io), 0);
    assert.equal(api.requests.at(-1)?.path, '/api/runs/9/logs');
  });

  it('--build on an app without runs exits 4 with a hint', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['logs', 'new', '--build'], io), 4);
    assert.match(io.stderr.text, /error: new has no runs yet\nhint: deploy with/);
  });

  it('rejects a bad --tail and --tail with --build', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['logs', 'hello', '--tail', 'all'], io), 2);
    assert.equal(await main(['logs', 'hello', '--build', '--tail', '5'], io), 2);
    assert.match(io.stderr.text, /--tail applies to app logs/);
  });
});
