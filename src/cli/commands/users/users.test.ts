// `slipway users …`: the request each makes (grants from --role/--app, password from stdin, never an argument) and
// what it prints.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main } from '../../main.js';
import { bodyJson, json, noContent, startFakeApi, type FakeApi } from '../../testing/fake-api.js';
import { apiIO } from '../../testing/test-io.js';
import { grantsFrom } from './grants.js';
import { usersCommandWith } from './index.js';

const ann = { name: 'ann', grants: [{ role: 'deployer', app: 'web' }, { role: 'deployer', app: 'api' }], totp: false, createdAt: '2030-01-01T00:00:00.000Z' };

describe('slipway users', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi({
      'POST /api/users': json({ user: ann }, 201),
      'GET /api/users': json({ users: [ann] }),
      'DELETE /api/users/ann': noContent(),
      'PUT /api/users/ann/password': noContent(),
      'PATCH /api/users/ann': json({ user: { ...ann, grants: [{ role: 'viewer', app: '*' }] } }),
      'POST /api/users/ann/totp': json({ uri: 'otpauth://totp/Slipway%3Aann?secret=ABC', secret: 'ABC' }, 201),
      'DELETE /api/users/ann/totp': noContent(),
    });
  });
  after(() => api.close());
  const users = usersCommandWith(async () => 'correct horse battery\n');

  it('turns --role/--app into grants: the role on each app, or on all apps', () => {
    assert.deepEqual(grantsFrom('deployer', ['web', 'api']), [{ role: 'deployer', app: 'web' }, { role: 'deployer', app: 'api' }]);
    assert.deepEqual(grantsFrom(undefined, undefined), [{ role: 'viewer', app: '*' }]);
  });

  it('add: POSTs name, the password read from stdin, and grants', async () => {
    const io = await apiIO(api);
    assert.equal(await users.run(['add', 'ann', '--role', 'deployer', '--app', 'web', '--app', 'api'], io), 0, io.stderr.text);
    assert.deepEqual(bodyJson(api.requests.at(-1)), { name: 'ann', password: 'correct horse battery', grants: ann.grants });
    assert.equal(io.stdout.text, 'added user ann: deployer on web, deployer on api\n');
    assert.doesNotMatch(io.stdout.text, /horse/);
  });

  it('refuses an unknown role before calling the server', async () => {
    const io = await apiIO(api);
    const before = api.requests.length;
    assert.equal(await main(['users', 'add', 'ann', '--role', 'root'], io), 2);
    assert.match(io.stderr.text, /unknown role "root"/);
    assert.equal(api.requests.length, before);
  });

  it('ls, grant, passwd, totp, totp --off, rm', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['users', 'ls'], io), 0, io.stderr.text);
    assert.match(io.stdout.text, /ann\s+deployer on web, deployer on api\s+off/);
    assert.equal(await users.run(['grant', 'ann', '--role', 'viewer'], io), 0);
    assert.deepEqual(bodyJson(api.requests.at(-1)), { grants: [{ role: 'viewer', app: '*' }] });
    assert.equal(await users.run(['passwd', 'ann'], io), 0);
    assert.deepEqual(bodyJson(api.requests.at(-1)), { password: 'correct horse battery' });
    assert.equal(await users.run(['totp', 'ann'], io), 0);
    assert.match(io.stdout.text, /otpauth:\/\/totp\/Slipway%3Aann\?secret=ABC/);
    assert.equal(await users.run(['totp', 'ann', '--off'], io), 0);
    assert.equal(api.requests.at(-1)?.method, 'DELETE');
    assert.equal(await users.run(['rm', 'ann'], io), 0);
    assert.deepEqual([api.requests.at(-1)?.method, api.requests.at(-1)?.path], ['DELETE', '/api/users/ann']);
  });
});
