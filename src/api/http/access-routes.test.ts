// Users, sessions, tokens, audit and rate limits through the HTTP API: sign in (with TOTP), sign out revokes, a
// scoped and expiring token, rotation of the bootstrap token, the audit trail with actor and address, 429s.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base32Decode, totp } from '../totp.js';
import { testHttpApp } from './testing-app.js';

const OWNER = [{ role: 'owner' as const, app: '*' }];

function clock(start = Date.parse('2030-01-01T00:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('access routes', () => {
  it('adds a user, signs in with password and TOTP, sees only granted apps, signs out for good', async () => {
    const time = clock();
    const t = await testHttpApp({ now: time.now });
    const owner = await t.tokenFor(OWNER, 'admin');
    assert.equal((await t.send('POST', '/api/users', owner, { name: 'ann', password: 'correct horse battery', grants: [{ role: 'deployer', app: 'web' }] })).status, 201);
    const enabled = await t.send('POST', '/api/users/ann/totp', owner);
    const secret = String(enabled.json?.secret);
    assert.match(String(enabled.json?.uri), /^otpauth:\/\/totp\/Slipway%3Aann\?secret=/);

    const code = totp(base32Decode(secret), time.now().getTime() / 1000);
    assert.equal((await t.send('POST', '/api/session', null, { name: 'ann', password: 'correct horse battery' })).status, 401);
    assert.equal((await t.send('POST', '/api/session', null, { name: 'ann', password: 'wrong password!', totp: code })).status, 401);
    const signedIn = await t.send('POST', '/api/session', null, { name: 'ann', password: 'correct horse battery', totp: code });
    assert.equal(signedIn.status, 201);
    const session = String(signedIn.json?.token);
    const replayed = await t.send('POST', '/api/session', null, { name: 'ann', password: 'correct horse battery', totp: code });
    assert.equal(replayed.status, 401, 'a TOTP code is accepted once');
    assert.equal(signedIn.json?.expiresAt, new Date(time.now().getTime() + 12 * 3600_000).toISOString());

    assert.deepEqual((await t.send('GET', '/api/me', session)).json, { me: { name: 'ann', kind: 'session', grants: [{ role: 'deployer', app: 'web' }] } });
    assert.deepEqual(((await t.send('GET', '/api/apps', session)).json?.apps as { name: string }[]).map((a) => a.name), ['web']);
    assert.equal((await t.send('POST', '/api/apps/web/rollback', session, {})).status, 202);
    assert.equal((await t.send('POST', '/api/apps/api/rollback', session, {})).status, 403);
    assert.equal((await t.send('GET', '/api/users', session)).status, 403);

    // A role change applies to the open session at once.
    await t.send('PATCH', '/api/users/ann', owner, { grants: [{ role: 'viewer', app: 'web' }] });
    assert.equal((await t.send('POST', '/api/apps/web/rollback', session, {})).status, 403);

    assert.equal((await t.send('DELETE', '/api/session', session)).status, 204);
    const after = await t.send('GET', '/api/me', session);
    assert.equal(after.status, 401);
    assert.match(String((after.json?.error as { message: string }).message), /signed out/);

    time.advance(12 * 3600_000);
    const late = await t.send('POST', '/api/session', null, { name: 'ann', password: 'correct horse battery', totp: totp(base32Decode(secret), time.now().getTime() / 1000) });
    time.advance(12 * 3600_000 + 1);
    assert.match(String(((await t.send('GET', '/api/me', String(late.json?.token))).json?.error as { message: string }).message), /expired/);
  });

  it('a user changes their own password with the current one; removing a user ends their sessions', async () => {
    const t = await testHttpApp();
    const owner = await t.tokenFor(OWNER, 'admin');
    await t.send('POST', '/api/users', owner, { name: 'bob', password: 'correct horse battery', grants: [{ role: 'viewer', app: '*' }] });
    const session = String((await t.send('POST', '/api/session', null, { name: 'bob', password: 'correct horse battery' })).json?.token);
    assert.equal((await t.send('PUT', '/api/me/password', session, { current: 'not it at all', password: 'staple battery horse' })).status, 403);
    assert.equal((await t.send('PUT', '/api/me/password', session, { current: 'correct horse battery', password: 'short' })).status, 400);
    assert.equal((await t.send('PUT', '/api/me/password', session, { current: 'correct horse battery', password: 'staple battery horse' })).status, 204);
    assert.equal((await t.send('POST', '/api/session', null, { name: 'bob', password: 'correct horse battery' })).status, 401);
    assert.equal((await t.send('POST', '/api/session', null, { name: 'bob', password: 'staple battery horse' })).status, 201);
    assert.equal((await t.send('DELETE', '/api/users/bob', owner)).status, 204);
    assert.equal((await t.send('GET', '/api/apps', session)).status, 401);
    assert.equal((await t.send('POST', '/api/users', owner, { name: 'carl', password: 'correct horse battery', grants: [{ role: 'root', app: '*' }] })).status, 400);
  });

  it('creates a scoped, expiring token shown once, lists it without its hash, revokes and rotates', async () => {
    const time = clock();
    const t = await testHttpApp({ now: time.now });
    const owner = await t.tokenFor(OWNER, 'admin');
    const created = await t.send('POST', '/api/tokens', owner, { name: 'ci', grants: [{ role: 'deployer', app: 'web' }], expires: '30d' });
    assert.equal(created.status, 201);
    const ci = String(created.json?.token);
    assert.match(ci, /^slw_/);
    const listed = (await t.send('GET', '/api/tokens', owner)).json?.tokens as Record<string, unknown>[];
    const row = listed.find((x) => x.name === 'ci')!;
    assert.equal(row.hash, undefined);
    assert.equal(row.expiresAt, new Date(time.now().getTime() + 30 * 86_400_000).toISOString());
    assert.equal((await t.send('POST', '/api/apps/web/rollback', ci, {})).status, 202);
    assert.notEqual(((await t.send('GET', '/api/tokens', owner)).json?.tokens as Record<string, unknown>[]).find((x) => x.name === 'ci')?.lastUsedAt, null);
    time.advance(30 * 86_400_000);
    assert.equal((await t.send('POST', '/api/apps/web/rollback', ci, {})).status, 401);

    const adminId = (listed.find((x) => x.name === 'admin')!).id as number;
    const rotated = await t.send('POST', `/api/tokens/${adminId}/rotate`, owner);
    assert.equal(rotated.status, 201);
    assert.equal((await t.send('GET', '/api/me', owner)).status, 401, 'the old bootstrap token stops working');
    const fresh = String(rotated.json?.token);
    assert.equal(((await t.send('GET', '/api/me', fresh)).json?.me as { name: string }).name, 'admin');
    const ci2 = String((await t.send('POST', '/api/tokens', fresh, { name: 'ci2', grants: [{ role: 'viewer', app: '*' }] })).json?.token);
    const ci2Id = ((await t.send('GET', '/api/tokens', fresh)).json?.tokens as { id: number; name: string }[]).find((x) => x.name === 'ci2')!.id;
    assert.equal((await t.send('DELETE', `/api/tokens/${ci2Id}`, fresh)).status, 204);
    assert.equal((await t.send('GET', '/api/apps', ci2)).status, 401);
    assert.equal((await t.send('DELETE', `/api/tokens/${ci2Id}`, fresh)).status, 404);
  });

  it('audits every change with who and from where, shows each caller only its apps', async () => {
    const t = await testHttpApp();
    const owner = await t.tokenFor(OWNER, 'admin');
    const viewer = await t.tokenFor([{ role: 'viewer', app: 'web' }], 'watcher');
    await t.send('POST', '/api/apps/web/rollback', owner, {});
    await t.send('POST', '/api/apps/api/rollback', owner, {});
    await t.send('POST', '/api/apps/api/rollback', viewer, {});
    const all = (await t.send('GET', '/api/audit', owner)).json?.events as { type: string; app: string | null; actor: string | null; data: { route?: string } }[];
    assert.deepEqual(all.filter((e) => e.actor !== null).map((e) => [e.type, e.app, e.actor, e.data.route]), [
      ['access.denied', 'api', 'watcher', 'POST /api/apps/:app/rollback'],
      ['api.change', 'api', 'admin', 'POST /api/apps/:app/rollback'],
      ['api.change', 'web', 'admin', 'POST /api/apps/:app/rollback'],
    ]);
    const mine = (await t.send('GET', '/api/audit', viewer)).json?.events as { app: string | null }[];
    assert.ok(mine.length > 0 && mine.every((e) => e.app === 'web'));
    assert.deepEqual(((await t.send('GET', '/api/audit?app=api&limit=5', owner)).json?.events as { app: string }[]).map((e) => e.app), ['api', 'api']);
  });

  it('answers 429 with Retry-After after 10 failed sign-ins or token uses, until the window passes', async () => {
    const time = clock();
    const t = await testHttpApp({ now: time.now });
    const owner = await t.tokenFor(OWNER, 'admin');
    await t.send('POST', '/api/users', owner, { name: 'bob', password: 'correct horse battery', grants: OWNER });
    for (let i = 0; i < 10; i++) assert.equal((await t.send('POST', '/api/session', null, { name: 'bob', password: `guess number ${i}` })).status, 401);
    const limited = await t.send('POST', '/api/session', null, { name: 'bob', password: 'correct horse battery' });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '300');
    // Tokens from the same (unknown, in tests) address are limited too: guessing tokens is guessing.
    assert.equal((await t.send('GET', '/api/me', 'slw_guess')).status, 429);
    time.advance(300_000);
    assert.equal((await t.send('POST', '/api/session', null, { name: 'bob', password: 'correct horse battery' })).status, 201);
    for (let i = 0; i < 10; i++) assert.equal((await t.send('GET', '/api/me', `slw_guess${i}`)).status, 401);
    assert.equal((await t.send('GET', '/api/me', owner)).status, 429, 'a good token waits too: the address is limited before any lookup');
  });

  it('lets a deployer push to its app over git and a viewer only fetch', async () => {
    const t = await testHttpApp();
    const basic = (token: string) => `Basic ${Buffer.from(`x:${token}`).toString('base64')}`;
    const git = async (path: string, token: string) => (await t.http.request(path, { headers: { authorization: basic(token) } })).status;
    const deployer = await t.tokenFor([{ role: 'deployer', app: 'web' }]);
    const viewer = await t.tokenFor([{ role: 'viewer', app: 'web' }]);
    // 404: past the guard, the fake git answers "not found"; 403: refused before it.
    assert.equal(await git('/git/web.git/info/refs?service=git-receive-pack', deployer), 404);
    assert.equal(await git('/git/web.git/info/refs?service=git-receive-pack', viewer), 403);
    assert.equal(await git('/git/web.git/info/refs?service=git-upload-pack', viewer), 404);
    assert.equal(await git('/git/api.git/info/refs?service=git-upload-pack', deployer), 403);
    // git reads the last `service=`, Hono the first: two are refused, so a push cannot pass as a fetch.
    assert.equal(await git('/git/web.git/info/refs?service=git-upload-pack&service=git-receive-pack', viewer), 400);
    const res = await t.http.request('/git/web.git/info/refs', {});
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Basic realm="Slipway"');
  });
});
