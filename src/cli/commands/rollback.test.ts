// `slipway rollback <app> [release]`: the RollbackRequest sent, then the run followed like a deploy.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main } from '../main.js';
import { bodyJson, json, startFakeApi, text, type FakeApi } from '../testing/fake-api.js';
import { appStatus, release, run } from '../testing/fixtures.js';
import { apiIO } from '../testing/test-io.js';

describe('slipway rollback', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi({
      'POST /api/apps/hello/rollback': json({ run: run({ id: 30, source: 'rollback', targetRelease: 2 }) }, 202),
      'GET /api/runs/30/logs': text('deploying release #2 again\n'),
      'GET /api/runs/30': json({ run: run({ id: 30, status: 'failed', error: { kind: 'health_gate_failed', message: 'never healthy' } }) }),
      'POST /api/apps/stale/rollback': json({ run: run({ id: 31, app: 'stale', source: 'rollback' }) }, 202),
      'GET /api/runs/31/logs': text(''),
      'GET /api/runs/31': json({ run: run({ id: 31, app: 'stale', status: 'succeeded' }) }),
      'GET /api/apps/stale': json(appStatus({ url: 'https://stale.example.com', release: release({ number: 7, rollbackOf: 5 }) })),
    });
  });
  after(() => api.close());

  it('sends the release number and exits with the run error kind', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['rollback', 'hello', '2'], io), 7);
    const post = api.requests.find((r) => r.path === '/api/apps/hello/rollback');
    assert.equal(post?.method, 'POST');
    assert.deepEqual(bodyJson(post), { release: 2 });
    assert.equal(io.stdout.text, 'deploying release #2 again\n');
    assert.match(io.stderr.text, /error: run #30 failed: never healthy/);
  });

  it('sends an empty request without a release number (the one before live) and accepts "#5"', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['rollback', 'stale'], io), 0, io.stderr.text);
    assert.deepEqual(bodyJson(api.requests.find((r) => r.path === '/api/apps/stale/rollback')), {});
    assert.match(io.stdout.text, /succeeded: stale release #7 \(rollback to #5\) is live at https:\/\/stale\.example\.com/);
    const hash = await apiIO(api);
    assert.equal(await main(['rollback', 'stale', '#5'], hash), 0);
    assert.deepEqual(bodyJson(api.requests.filter((r) => r.path === '/api/apps/stale/rollback').at(-1)), { release: 5 });
  });

  it('rejects a release that is not a number', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['rollback', 'hello', 'latest'], io), 2);
    assert.match(io.stderr.text, /error: invalid release "latest"/);
  });
});
