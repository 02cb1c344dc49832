// The access client: the requests it makes (method, path, JSON body, the token) and how answers are read.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccessClient } from './access-client.js';
import { ApiClient, type FetchInit } from './api-client.js';

function fake(answer: (path: string) => Response) {
  const calls: { path: string; init: FetchInit }[] = [];
  const api = new ApiClient({ token: () => 'slw_t', onUnauthorized: () => undefined, fetch: async (path, init) => (calls.push({ path, init }), answer(path)) });
  return { client: new AccessClient(api), calls };
}

const jsonRes = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('access client', () => {
  it('signs in with a JSON body and reads the session token', async () => {
    const { client, calls } = fake(() => jsonRes({ token: 'slw_s', user: { name: 'ann' }, expiresAt: 'x' }, 201));
    const answer = await client.signIn({ name: 'ann', password: 'pw', totp: '123456' });
    assert.equal(answer.token, 'slw_s');
    assert.deepEqual([calls[0]?.path, calls[0]?.init.method, calls[0]?.init.body], ['/api/session', 'POST', '{"name":"ann","password":"pw","totp":"123456"}']);
  });

  it('lists, creates, revokes and rotates tokens; asks the audit of one app', async () => {
    const { client, calls } = fake((path) => (path.includes('revoke') || path === '/api/tokens/3' ? new Response(null, { status: 204 }) : jsonRes({ tokens: [], token: 'slw_n', record: {}, events: [{ id: 1 }] })));
    await client.tokens();
    await client.createToken({ name: 'ci', grants: [{ role: 'viewer', app: '*' }], expires: '30d' });
    await client.revokeToken(3);
    await client.rotateToken(3);
    assert.deepEqual(await client.audit('web'), [{ id: 1 }]);
    assert.deepEqual(calls.map((c) => `${c.init.method ?? 'GET'} ${c.path}`), [
      'GET /api/tokens', 'POST /api/tokens', 'DELETE /api/tokens/3', 'POST /api/tokens/3/rotate', 'GET /api/audit?limit=200&app=web',
    ]);
    assert.equal(calls[0]?.init.headers?.Authorization, 'Bearer slw_t');
  });
});
