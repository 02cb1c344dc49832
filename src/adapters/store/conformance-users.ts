// Store conformance: scoped tokens and sessions (list, revoke), users (create, update, delete revokes sessions), and
// who made each audited change.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Grant } from '../../core/access.js';
import { newApp, slipwayError, tickingClock, withStore, type OpenStore } from './conformance-kit.js';

const deployerOnWeb: Grant[] = [{ role: 'deployer', app: 'web' }];

export function userConformance(open: OpenStore): void {
  describe('scoped tokens', () => {
    it('keeps kind, grants, user and expiry; lists oldest first; revokes once', async () => {
      const clock = tickingClock();
      await withStore(open, async (store) => {
        const ci = await store.createToken('ci', 'h1', { grants: deployerOnWeb, expiresAt: '2030-02-01T00:00:00.000Z' }); // tick 0
        const session = await store.createToken('ann', 'h2', { kind: 'session', user: 'ann', grants: [{ role: 'viewer', app: '*' }] }); // tick 1
        assert.deepEqual(ci, {
          id: ci.id, name: 'ci', hash: 'h1', kind: 'api', grants: deployerOnWeb, user: null,
          createdAt: clock.at(0), lastUsedAt: null, expiresAt: '2030-02-01T00:00:00.000Z', revokedAt: null,
        });
        assert.deepEqual(await store.findTokenByHash('h2'), session);
        assert.deepEqual((await store.listTokens()).map((t) => [t.name, t.kind, t.user]), [['ci', 'api', null], ['ann', 'session', 'ann']]);
        assert.equal(await store.revokeToken(ci.id), true); // tick 2
        assert.equal(await store.revokeToken(ci.id), false);
        assert.equal(await store.revokeToken(9999), false);
        assert.equal((await store.findTokenByHash('h1'))?.revokedAt, clock.at(2));
        assert.equal((await store.findTokenByHash('h2'))?.revokedAt, null);
        assert.equal(await store.countTokens(), 2); // revoked is kept for the audit trail
      }, { now: clock.now });
    });

    it('refuses a role that does not exist', async () => {
      await withStore(open, async (store) => {
        await assert.rejects(store.createToken('x', 'h', { grants: [{ role: 'root', app: '*' }] as unknown as Grant[] }), slipwayError('invalid_input', 'grants'));
        assert.equal(await store.countTokens(), 0);
      });
    });
  });

  describe('users', () => {
    it('creates, reads, lists by name, updates and refuses duplicates', async () => {
      const clock = tickingClock();
      await withStore(open, async (store) => {
        const bob = await store.createUser({ name: 'bob', password: 'scrypt$1', grants: deployerOnWeb }); // tick 0
        await store.createUser({ name: 'ann', password: 'scrypt$2', grants: [{ role: 'owner', app: '*' }] });
        assert.deepEqual(bob, { name: 'bob', password: 'scrypt$1', totp: null, grants: deployerOnWeb, createdAt: clock.at(0) });
        await assert.rejects(store.createUser({ name: 'bob', password: 'x', grants: [] }), slipwayError('conflict', 'name'));
        assert.deepEqual((await store.listUsers()).map((u) => u.name), ['ann', 'bob']);
        const changed = await store.updateUser('bob', { password: 'scrypt$3', totp: 'v2:sealed' });
        assert.deepEqual(changed, { ...bob, password: 'scrypt$3', totp: 'v2:sealed' });
        assert.deepEqual(await store.updateUser('bob', {}), changed);
        assert.deepEqual((await store.updateUser('bob', { totp: null, grants: [] })).totp, null);
        assert.deepEqual((await store.getUser('bob'))?.grants, []);
        assert.equal(await store.getUser('carl'), null);
        await assert.rejects(store.updateUser('carl', { password: 'x' }), slipwayError('not_found', 'user'));
      }, { now: clock.now });
    });

    it('deleting a user revokes their sessions and no other token', async () => {
      await withStore(open, async (store) => {
        await store.createUser({ name: 'bob', password: 'p', grants: deployerOnWeb });
        await store.createToken('bob', 's1', { kind: 'session', user: 'bob', grants: deployerOnWeb });
        await store.createToken('ci', 't1');
        await store.deleteUser('bob');
        assert.equal(await store.getUser('bob'), null);
        assert.notEqual((await store.findTokenByHash('s1'))?.revokedAt, null);
        assert.equal((await store.findTokenByHash('t1'))?.revokedAt, null);
        await assert.rejects(store.deleteUser('bob'), slipwayError('not_found', 'user'));
      });
    });

    it('revoking a user\'s sessions (a password change) keeps the user and every API token', async () => {
      await withStore(open, async (store) => {
        await store.createUser({ name: 'bob', password: 'p', grants: deployerOnWeb });
        await store.createToken('bob', 's1', { kind: 'session', user: 'bob', grants: deployerOnWeb });
        await store.createToken('bob', 's2', { kind: 'session', user: 'bob', grants: deployerOnWeb });
        await store.createToken('ci', 't1');
        await store.revokeUserSessions('bob');
        await store.revokeUserSessions('nobody');
        assert.notEqual((await store.findTokenByHash('s1'))?.revokedAt, null);
        assert.notEqual((await store.findTokenByHash('s2'))?.revokedAt, null);
        assert.equal((await store.findTokenByHash('t1'))?.revokedAt, null);
        assert.notEqual(await store.getUser('bob'), null);
      });
    });
  });

  describe('audit origin', () => {
    it('records who and from where, null for Slipway itself, and filters by app', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        await store.recordEvent('run.succeeded', 'web', { runId: 1 });
        await store.recordEvent('api.change', 'web', { route: 'DELETE /api/apps/:app' }, { actor: 'ann', source: '10.0.0.7' });
        await store.recordEvent('api.change', 'api', {}, { actor: 'ci', source: null });
        assert.deepEqual((await store.listEvents(10, { app: 'web' })).map((e) => [e.type, e.actor, e.source]), [
          ['api.change', 'ann', '10.0.0.7'],
          ['run.succeeded', null, null],
        ]);
        assert.deepEqual((await store.listEvents(1)).map((e) => [e.app, e.actor]), [['api', 'ci']]);
        assert.deepEqual(await store.listEvents(10, { app: 'none' }), []);
      });
    });
  });
}
