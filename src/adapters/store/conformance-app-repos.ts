// Store conformance: the forge repository an app follows — set, replace, read, delete, sealed, leaves with the app;
// and the pull-request fields of a run's details.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newApp, newRun, slipwayError, tickingClock, withStore, type OpenStore } from './conformance-kit.js';

const sealed = (tag: string) => `v1:aXY=:dGFn:${Buffer.from(tag).toString('base64')}`;

export function appRepoConformance(open: OpenStore): void {
  describe('app repositories', () => {
    it('sets, replaces and reads one repository per app', async () => {
      const clock = tickingClock();
      await withStore(open, async (store) => {
        await store.createApp(newApp('web')); // tick 0
        await store.createApp(newApp('api')); // tick 1
        assert.equal(await store.getAppRepo('web'), null);
        await store.setAppRepo({ app: 'web', url: 'https://git.example.com/a/web.git', webhookSecret: sealed('s1'), token: null, forge: null }); // tick 2
        const replaced = await store.setAppRepo({ app: 'web', url: 'https://git.example.com/a/web2.git', webhookSecret: sealed('s2'), token: sealed('t'), forge: 'gitlab' }); // tick 3
        const expected = { app: 'web', url: 'https://git.example.com/a/web2.git', webhookSecret: sealed('s2'), token: sealed('t'), forge: 'gitlab', updatedAt: clock.at(3) };
        assert.deepEqual(replaced, expected);
        assert.deepEqual(await store.getAppRepo('web'), expected);
        assert.equal(await store.getAppRepo('api'), null);
      }, { now: clock.now });
    });

    it('refuses unsealed secrets and unknown apps, and deletes with not_found when missing', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        await assert.rejects(store.setAppRepo({ app: 'web', url: 'https://x/y.git', webhookSecret: 'plain', token: null, forge: null }), slipwayError('invalid_input'));
        await assert.rejects(store.setAppRepo({ app: 'web', url: 'https://x/y.git', webhookSecret: sealed('s'), token: 'plain', forge: null }), slipwayError('invalid_input'));
        await assert.rejects(store.setAppRepo({ app: 'nope', url: 'https://x/y.git', webhookSecret: sealed('s'), token: null, forge: null }), slipwayError('not_found', 'app'));
        await assert.rejects(store.deleteAppRepo('web'), slipwayError('not_found', 'app'));
        await store.setAppRepo({ app: 'web', url: 'https://x/y.git', webhookSecret: sealed('s'), token: null, forge: null });
        await store.deleteAppRepo('web');
        assert.equal(await store.getAppRepo('web'), null);
      });
    });

    it('goes with its app', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        await store.setAppRepo({ app: 'web', url: 'https://x/y.git', webhookSecret: sealed('s'), token: null, forge: null });
        await store.deleteApp('web');
        await store.createApp(newApp('web'));
        assert.equal(await store.getAppRepo('web'), null);
      });
    });

    it('keeps whether a run is a pull request from a fork, and its source branch', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        const pr = await store.createRun({ ...newRun('web'), ref: 'refs/pull/7/head', event: 'pull_request', target: 'main', fromFork: true, sourceBranch: 'feature' });
        const details = await store.getRunDetails(pr.id);
        assert.equal(details?.fromFork, true);
        assert.equal(details?.sourceBranch, 'feature');
        assert.equal(details?.target, 'main');
        const push = await store.createRun(newRun('web'));
        assert.equal((await store.getRunDetails(push.id))?.fromFork, false);
        assert.equal((await store.getRunDetails(push.id))?.sourceBranch, null);
      });
    });
  });
}
