// `slipway tokens …` and `slipway audit`: requests, the token printed once, states and last use, audit rows.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main } from '../../main.js';
import { bodyJson, json, noContent, startFakeApi, type FakeApi } from '../../testing/fake-api.js';
import { apiIO } from '../../testing/test-io.js';

const record = (id: number, name: string, extra: Record<string, unknown> = {}) => ({
  id, name, kind: 'api', grants: [{ role: 'deployer', app: 'web' }], user: null, createdAt: '2030-01-01T00:00:00.000Z',
  lastUsedAt: null, expiresAt: null, revokedAt: null, ...extra,
});

describe('slipway tokens and audit', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi({
      'POST /api/tokens': json({ token: 'slw_new-secret', record: record(7, 'ci') }, 201),
      'GET /api/tokens': json({ tokens: [record(1, 'admin', { grants: [{ role: 'owner', app: '*' }], lastUsedAt: '2030-01-02T00:00:00.000Z' }), record(2, 'old', { revokedAt: '2030-01-03T00:00:00.000Z' })] }),
      'DELETE /api/tokens/7': noContent(),
      'POST /api/tokens/1/rotate': json({ token: 'slw_rotated', record: record(8, 'admin') }, 201),
      'GET /api/audit': json({ events: [
        { id: 2, type: 'api.change', app: 'web', data: { route: 'POST /api/apps/:app/rollback', path: '/api/apps/web/rollback' }, at: '2030-01-01T00:00:00.000Z', actor: 'ann', source: '10.0.0.7' },
        { id: 1, type: 'run.succeeded', app: 'web', data: { runId: 3 }, at: '2030-01-01T00:00:00.000Z', actor: null, source: null },
      ] }),
    });
  });
  after(() => api.close());

  it('create: sends the scope and expiry, prints the token once', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['tokens', 'create', 'ci', '--role', 'deployer', '--app', 'web', '--expires', '30d'], io), 0, io.stderr.text);
    assert.deepEqual(bodyJson(api.requests.at(-1)), { name: 'ci', grants: [{ role: 'deployer', app: 'web' }], expires: '30d' });
    assert.match(io.stdout.text, /^created token ci \(id 7\): deployer on web\nslw_new-secret\n\(shown once/);
    assert.equal(await main(['tokens', 'create', 'ci', '--expires', 'forever'], io), 2);
  });

  it('ls shows active ones with last use; --all the revoked too', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['tokens', 'ls'], io), 0, io.stderr.text);
    assert.match(io.stdout.text, /1\s+admin\s+api\s+owner on all apps\s+active/);
    assert.doesNotMatch(io.stdout.text, /old/);
    const all = await apiIO(api);
    assert.equal(await main(['tokens', 'ls', '--all'], all), 0);
    assert.match(all.stdout.text, /2\s+old\s+api\s+deployer on web\s+revoked/);
  });

  it('revoke and rotate', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['tokens', 'revoke', '7'], io), 0, io.stderr.text);
    assert.deepEqual([api.requests.at(-1)?.method, api.requests.at(-1)?.path], ['DELETE', '/api/tokens/7']);
    assert.equal(await main(['tokens', 'rotate', '1'], io), 0);
    assert.match(io.stdout.text, /rotated token admin \(id 8\).*\nslw_rotated\n/);
    assert.equal(await main(['tokens', 'revoke', 'x'], io), 2);
  });

  it('audit: who, from where, app and what, newest first; --app and --limit in the query', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['audit', '--app', 'web', '--limit', '5'], io), 0, io.stderr.text);
    assert.equal(api.requests.at(-1)?.path, '/api/audit?limit=5&app=web');
    const [, first, second] = io.stdout.text.split('\n');
    assert.match(first ?? '', /ann\s+10\.0\.0\.7\s+web\s+POST \/api\/apps\/:app\/rollback \/api\/apps\/web\/rollback/);
    assert.match(second ?? '', /slipway\s+-\s+web\s+run\.succeeded runId=3/);
  });
});
