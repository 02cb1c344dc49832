// `slipway apps create|list|delete`: argv bound into the API request, and what the user is shown.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main } from '../../main.js';
import { bodyJson, fail, json, noContent, startFakeApi, TOKEN, type FakeApi } from '../../testing/fake-api.js';
import { appSummary } from '../../testing/fixtures.js';
import { apiIO } from '../../testing/test-io.js';

describe('slipway apps', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi({
      'POST /api/apps': (req, res) => {
        const body = bodyJson(req) as { name: string; domain: string; branch?: string };
        if (body.name === 'taken') return fail('conflict', 'app "taken" already exists', 'pick another name', 'name')(req, res);
        return json(appSummary({ name: body.name, domain: body.domain, branch: body.branch ?? 'main', url: `https://${body.domain}`, gitUrl: `http://127.0.0.1:7070/git/${body.name}.git` }), 201)(req, res);
      },
      'GET /api/apps': json({ apps: [appSummary({ liveRelease: 4, replicas: 2 }), appSummary({ name: 'api-2', url: 'https://api.example.com', branch: 'prod' })] }),
      'DELETE /api/apps/hello': noContent(),
      'PATCH /api/apps/web': (req, res) => json(appSummary({ name: 'web', ...(bodyJson(req) as object) }))(req, res),
    });
  });
  after(() => api.close());

  it('create binds name and flags into CreateAppRequest and prints the URL and git remote line', async () => {
    const io = await apiIO(api);
    const argv = ['apps', 'create', 'web', '--domain', 'web.example.com', '--port', '8080', '--replicas', '3', '--branch', 'prod'];
    assert.equal(await main(argv, io), 0, io.stderr.text);
    const req = api.requests.at(-1);
    assert.equal(req?.method, 'POST');
    assert.equal(req?.path, '/api/apps');
    assert.equal(req?.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(req?.headers['content-type'], 'application/json');
    assert.deepEqual(bodyJson(req), { name: 'web', domain: 'web.example.com', port: 8080, replicas: 3, branch: 'prod' });
    assert.match(io.stdout.text, /^url +https:\/\/web\.example\.com$/m);
    assert.match(io.stdout.text, /^ {2}git remote add slipway http:\/\/127\.0\.0\.1:7070\/git\/web\.git$/m);
    assert.match(io.stdout.text, /^ {2}git push slipway prod$/m);
  });

  it('set sends only the settings given and prints the app as the server now has it', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['apps', 'set', 'web', '--concurrency', '3', '--replicas', '2'], io), 0, io.stderr.text);
    const req = api.requests.at(-1);
    assert.equal(req?.method, 'PATCH');
    assert.equal(req?.path, '/api/apps/web');
    assert.deepEqual(bodyJson(req), { replicas: 2, concurrency: 3 });
    assert.match(io.stdout.text, /^concurrency +3$/m);
  });

  it('set refuses nothing to change and an out-of-range concurrency before calling the server', async () => {
    const calls = api.requests.length;
    const none = await apiIO(api);
    assert.equal(await main(['apps', 'set', 'web'], none), 2);
    assert.match(none.stderr.text, /at least one setting/);
    const bad = await apiIO(api);
    assert.equal(await main(['apps', 'set', 'web', '--concurrency', '40'], bad), 2);
    assert.match(bad.stderr.text, /invalid concurrency 40/);
    assert.match(bad.stderr.text, /1 to 16/);
    assert.equal(api.requests.length, calls);
  });

  it('create leaves out flags that were not given, so the server defaults apply', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['apps', 'create', 'web', '--domain', 'web.example.com'], io), 0);
    assert.deepEqual(bodyJson(api.requests.at(-1)), { name: 'web', domain: 'web.example.com' });
  });

  it('create rejects a bad port before calling the server', async () => {
    const io = await apiIO(api);
    const before = api.requests.length;
    assert.equal(await main(['apps', 'create', 'web', '--domain', 'w.example.com', '--port', '99999'], io), 2);
    assert.match(io.stderr.text, /error: invalid port "99999"\nhint: .*1–65535/);
    assert.equal(api.requests.length, before);
  });

  it('create reports a conflict with exit 5', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['apps', 'create', 'taken', '--domain', 't.example.com'], io), 5);
    assert.equal(io.stderr.text, 'error: app "taken" already exists\nhint: pick another name\n');
  });

  it('list prints an aligned table', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['apps', 'list'], io), 0);
    assert.equal(
      io.stdout.text,
      [
        'APP    URL                        RELEASE  REPLICAS  BRANCH',
        'hello  https://hello.example.com  #4       2         main',
        'api-2  https://api.example.com    -        1         prod',
        '',
      ].join('\n'),
    );
    assert.equal(api.requests.at(-1)?.method, 'GET');
  });

  it('delete sends DELETE /api/apps/:app', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['apps', 'delete', 'hello'], io), 0);
    const req = api.requests.at(-1);
    assert.deepEqual([req?.method, req?.path], ['DELETE', '/api/apps/hello']);
    assert.match(io.stdout.text, /deleted app hello/);
  });

  it('delete of an unknown app exits 4', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['apps', 'delete', 'ghost'], io), 4);
  });
});
