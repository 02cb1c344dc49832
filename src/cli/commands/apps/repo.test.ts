// `slipway apps connect|repo|disconnect`: the token from stdin only, and the webhook settings printed once.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main } from '../../main.js';
import { bodyJson, json, noContent, startFakeApi, type FakeApi } from '../../testing/fake-api.js';
import { apiIO } from '../../testing/test-io.js';
import { appsConnectCommandWith } from './repo.js';

const link = { app: 'web', repo: 'https://github.com/acme/web.git', webhookUrl: 'http://127.0.0.1:7070/hooks/web', hasToken: true, updatedAt: '2030-01-01T00:00:00.000Z' };

describe('slipway apps connect / repo / disconnect', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi({
      'PUT /api/apps/web/repo': json({ repo: { ...link, webhookSecret: 'whsec-123' } }),
      'GET /api/apps/web/repo': json({ repo: link }),
      'DELETE /api/apps/web/repo': noContent(),
    });
  });
  after(() => api.close());

  it('connect sends the URL and the token read from stdin, and prints the webhook settings', async () => {
    const io = await apiIO(api);
    const command = appsConnectCommandWith({ readStdin: async () => 'ghp_secret_token\n' });
    assert.equal(await command.run(['web', '--repo', 'https://github.com/acme/web.git', '--token-stdin'], io), 0, io.stderr.text);
    assert.deepEqual(bodyJson(api.requests.at(-1)), { repo: 'https://github.com/acme/web.git', token: 'ghp_secret_token' });
    assert.match(io.stdout.text, /^payload URL +http:\/\/127\.0\.0\.1:7070\/hooks\/web$/m);
    assert.match(io.stdout.text, /^secret +whsec-123$/m);
    assert.ok(!io.stdout.text.includes('ghp_secret_token'));
  });

  it('connect without --token-stdin sends no token; an empty stdin token is refused before calling', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['apps', 'connect', 'web', '--repo', 'https://github.com/acme/web.git'], io), 0, io.stderr.text);
    assert.deepEqual(bodyJson(api.requests.at(-1)), { repo: 'https://github.com/acme/web.git' });
    const before = api.requests.length;
    const io2 = await apiIO(api);
    const command = appsConnectCommandWith({ readStdin: async () => '\n' });
    await assert.rejects(command.run(['web', '--repo', 'https://x/y.git', '--token-stdin'], io2), /no token on stdin/);
    assert.equal(api.requests.length, before);
    const io3 = await apiIO(api);
    assert.equal(await main(['apps', 'connect', 'web'], io3), 2);
    assert.match(io3.stderr.text, /--repo/);
  });

  it('repo shows the link; disconnect deletes it', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['apps', 'repo', 'web'], io), 0, io.stderr.text);
    assert.match(io.stdout.text, /^access token +set$/m);
    const io2 = await apiIO(api);
    assert.equal(await main(['apps', 'disconnect', 'web'], io2), 0, io2.stderr.text);
    assert.equal(api.requests.at(-1)?.method, 'DELETE');
  });
});
