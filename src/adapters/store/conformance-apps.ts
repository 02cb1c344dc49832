// Store conformance: apps, tokens, settings and audit events.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newApp, newRelease, newRun, slipwayError, tickingClock, withStore, type OpenStore } from './conformance-kit.js';

export function appConformance(open: OpenStore): void {
  describe('apps', () => {
    it('creates, reads and lists apps by name', async () => {
      const clock = tickingClock();
      await withStore(open, async (store) => {
        const created = await store.createApp(newApp('web'));
        assert.deepEqual(created, { ...newApp('web'), concurrency: 1, createdAt: clock.at(0) });
        assert.equal((await store.createApp({ ...newApp('ci'), concurrency: 4 })).concurrency, 4);
        await store.createApp(newApp('api'));
        assert.deepEqual(await store.getApp('web'), created);
        assert.equal(await store.getApp('nope'), null);
        assert.deepEqual((await store.listApps()).map((a) => a.name), ['api', 'ci', 'web']);
      }, { now: clock.now });
    });

    it('refuses an existing name with a conflict on the name field, keeping the first', async () => {
      await withStore(open, async (store) => {
        const first = await store.createApp(newApp('web'));
        await assert.rejects(store.createApp({ ...newApp('web'), domain: 'other.example.com' }), (err) => {
          slipwayError('conflict', 'name')(err);
          assert.ok(err instanceof Error && 'hint' in err && typeof err.hint === 'string' && err.hint.length > 0);
          return true;
        });
        assert.deepEqual(await store.getApp('web'), first);
      });
    });

    it('lets exactly one of several concurrent creators of one name win', async () => {
      await withStore(open, async (store) => {
        const results = await Promise.allSettled(Array.from({ length: 8 }, () => store.createApp(newApp('web'))));
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        for (const r of results) if (r.status === 'rejected') slipwayError('conflict', 'name')(r.reason);
      });
    });

    it('refuses a domain another app has, on create and on update, with a conflict on the domain field', async () => {
      await withStore(open, async (store) => {
        const web = await store.createApp(newApp('web'));
        await assert.rejects(store.createApp({ ...newApp('api'), domain: web.domain }), (err) => {
          slipwayError('conflict', 'domain')(err);
          assert.match((err as Error).message, /"web"/);
          return true;
        });
        assert.equal(await store.getApp('api'), null);
        await store.createApp(newApp('api'));
        await assert.rejects(store.updateApp('api', { domain: web.domain, port: 9 }), slipwayError('conflict', 'domain'));
        assert.equal((await store.getApp('api'))?.port, 3000);
        // An app keeps its own domain; a freed domain can be taken.
        assert.equal((await store.updateApp('web', { domain: web.domain })).domain, web.domain);
        await store.updateApp('web', { domain: 'moved.example.com' });
        assert.equal((await store.updateApp('api', { domain: web.domain })).domain, web.domain);
      });
    });

    it('lets exactly one of two concurrent creators of one domain win', async () => {
      await withStore(open, async (store) => {
        const results = await Promise.allSettled([
          store.createApp({ ...newApp('one'), domain: 'shared.example.com' }),
          store.createApp({ ...newApp('two'), domain: 'shared.example.com' }),
        ]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        for (const r of results) if (r.status === 'rejected') slipwayError('conflict', 'domain')(r.reason);
        assert.equal((await store.listApps()).length, 1);
      });
    });

    it('updates only the fields a patch names', async () => {
      await withStore(open, async (store) => {
        const app = await store.createApp(newApp('web'));
        const updated = await store.updateApp('web', { port: 8080, domain: undefined });
        assert.deepEqual(updated, { ...app, port: 8080 });
        assert.deepEqual(await store.updateApp('web', { domain: 'new.example.com', replicas: 3, branch: 'prod', concurrency: 3 }), {
          ...app, port: 8080, domain: 'new.example.com', replicas: 3, branch: 'prod', concurrency: 3,
        });
        assert.deepEqual(await store.updateApp('web', {}), await store.getApp('web'));
        await assert.rejects(store.updateApp('nope', { port: 1 }), slipwayError('not_found'));
        await assert.rejects(store.updateApp('nope', {}), slipwayError('not_found'));
      });
    });

    it('deletes the app row only, keeping runs, releases and events; the name can be used again', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        const run = await store.createRun(newRun('web'));
        const release = await store.createRelease(newRelease('web', run.id));
        await store.recordEvent('app.created', 'web', { domain: 'web.example.com' });
        await store.deleteApp('web');
        await store.deleteApp('web'); // deleting what is gone is not an error
        assert.equal(await store.getApp('web'), null);
        assert.deepEqual(await store.listApps(), []);
        assert.deepEqual(await store.getRun(run.id), run);
        assert.deepEqual(await store.listReleases('web'), [release]);
        assert.equal((await store.listEvents(10)).length, 1);
        await store.createApp(newApp('web'));
        // Release numbers are never reused, even by a new app of the same name.
        assert.equal((await store.createRelease(newRelease('web'))).number, 2);
      });
    });

    it('hands out copies: changing a returned object does not change the store', async () => {
      await withStore(open, async (store) => {
        const app = await store.createApp(newApp('web'));
        (app as { port: number }).port = 1;
        assert.equal((await store.getApp('web'))?.port, 3000);
      });
    });
  });

  describe('tokens', () => {
    it('creates, finds by hash, counts and touches tokens', async () => {
      const clock = tickingClock();
      await withStore(open, async (store) => {
        assert.equal(await store.countTokens(), 0);
        const token = await store.createToken('admin', 'h1');
        assert.deepEqual(token, {
          id: token.id, name: 'admin', hash: 'h1', kind: 'api', grants: [{ role: 'owner', app: '*' }], user: null,
          createdAt: clock.at(0), lastUsedAt: null, expiresAt: null, revokedAt: null,
        });
        const other = await store.createToken('ci', 'h2');
        assert.notEqual(other.id, token.id);
        assert.equal(await store.countTokens(), 2);
        assert.deepEqual(await store.findTokenByHash('h1'), token);
        assert.equal(await store.findTokenByHash('h3'), null);
        await store.touchToken(token.id);
        assert.equal((await store.findTokenByHash('h1'))?.lastUsedAt, clock.at(2));
        assert.equal((await store.findTokenByHash('h2'))?.lastUsedAt, null);
        await store.touchToken(9999); // a vanished token is not worth failing a request over
      }, { now: clock.now });
    });

    it('refuses a second token with the same hash', async () => {
      await withStore(open, async (store) => {
        await store.createToken('a', 'same');
        await assert.rejects(store.createToken('b', 'same'), slipwayError('conflict', 'hash'));
        assert.equal(await store.countTokens(), 1);
      });
    });
  });

  describe('settings', () => {
    it('reads null for unknown keys and overwrites on set', async () => {
      await withStore(open, async (store) => {
        assert.equal(await store.getSetting('registry.password'), null);
        await store.setSetting('registry.password', 'one');
        await store.setSetting('other', '');
        await store.setSetting('registry.password', 'two');
        assert.equal(await store.getSetting('registry.password'), 'two');
        assert.equal(await store.getSetting('other'), '');
      });
    });
  });

  describe('events', () => {
    it('records events and lists them newest first, up to the limit', async () => {
      const clock = tickingClock();
      await withStore(open, async (store) => {
        await store.recordEvent('app.created', 'web', { app: 'web', domain: 'web.example.com', nested: [1, { a: null }] });
        await store.recordEvent('edge.applied', null, { routes: 2 });
        await store.recordEvent('note', null, 'plain string');
        await store.recordEvent('empty', null, undefined);
        const events = await store.listEvents(10);
        assert.deepEqual(events.map((e) => [e.type, e.app, e.data, e.at]), [
          ['empty', null, null, clock.at(3)],
          ['note', null, 'plain string', clock.at(2)],
          ['edge.applied', null, { routes: 2 }, clock.at(1)],
          ['app.created', 'web', { app: 'web', domain: 'web.example.com', nested: [1, { a: null }] }, clock.at(0)],
        ]);
        assert.ok((events[0]?.id ?? 0) > (events[1]?.id ?? 0));
        assert.deepEqual((await store.listEvents(2)).map((e) => e.type), ['empty', 'note']);
        assert.deepEqual(await store.listEvents(0), []);
      }, { now: clock.now });
    });

    it('refuses bad limits and data that JSON cannot carry', async () => {
      await withStore(open, async (store) => {
        await assert.rejects(store.listEvents(-1), slipwayError('invalid_input', 'limit'));
        await assert.rejects(store.listEvents(1.5), slipwayError('invalid_input', 'limit'));
        await assert.rejects(store.recordEvent('x', null, { n: 1n }), slipwayError('internal'));
        assert.deepEqual(await store.listEvents(10), []);
      });
    });
  });
}
