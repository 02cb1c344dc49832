// Store conformance: an app's runtime config (set, replace, unset all or nothing, leaving with the app) and the
// config a release ran with (written once, kept with the release).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newApp, newRelease, slipwayError, tickingClock, withStore, type OpenStore } from './conformance-kit.js';

const sealed = (tag: string) => `v2:aXY=:dGFn:${Buffer.from(tag).toString('base64')}`;
const plain = (tag: string) => ({ sealed: sealed(tag), secret: false });
const secret = (tag: string) => ({ sealed: sealed(tag), secret: true });

export function appConfigConformance(open: OpenStore): void {
  describe('app config', () => {
    it('sets, replaces and unsets keys, listing them by name with their time', async () => {
      const clock = tickingClock();
      await withStore(open, async (store) => {
        await store.createApp(newApp('web')); // tick 0
        await store.createApp(newApp('api')); // tick 1
        await store.changeAppConfig('web', { set: { B: plain('b'), A: secret('a') }, unset: [] }); // tick 2
        await store.changeAppConfig('api', { set: { A: plain('api') }, unset: [] }); // tick 3
        const after = await store.changeAppConfig('web', { set: { B: plain('b2'), C: plain('c') }, unset: ['A'] }); // tick 4
        assert.deepEqual(after, [
          { name: 'B', sealed: sealed('b2'), secret: false, updatedAt: clock.at(4) },
          { name: 'C', sealed: sealed('c'), secret: false, updatedAt: clock.at(4) },
        ]);
        assert.deepEqual(await store.getAppConfig('web'), after);
        assert.deepEqual(await store.getAppConfig('api'), [{ name: 'A', sealed: sealed('api'), secret: false, updatedAt: clock.at(3) }]);
        assert.deepEqual(await store.getAppConfig('nope'), []);
      }, { now: clock.now });
    });

    it('replaces the whole config when asked, keeping other apps\' config', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        await store.createApp(newApp('api'));
        await store.changeAppConfig('web', { set: { A: plain('a'), B: plain('b') }, unset: [] });
        await store.changeAppConfig('api', { set: { A: plain('api') }, unset: [] });
        const after = await store.changeAppConfig('web', { set: { B: secret('b2') }, unset: [], replace: true });
        assert.deepEqual(after.map((e) => [e.name, e.sealed, e.secret]), [['B', sealed('b2'), true]]);
        assert.deepEqual(await store.changeAppConfig('web', { set: {}, unset: [], replace: true }), []);
        assert.equal((await store.getAppConfig('api')).length, 1);
      });
    });

    it('applies nothing when one key of a change is missing or invalid', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        await store.changeAppConfig('web', { set: { A: plain('a') }, unset: [] });
        await assert.rejects(store.changeAppConfig('web', { set: { B: plain('b') }, unset: ['A', 'MISSING'] }), slipwayError('not_found', 'name'));
        await assert.rejects(store.changeAppConfig('web', { set: { B: plain('b'), '1X': plain('x') }, unset: [] }), slipwayError('invalid_input', 'name'));
        await assert.rejects(store.changeAppConfig('web', { set: { A: plain('a2') }, unset: ['A'] }), slipwayError('invalid_input', 'name'));
        await assert.rejects(store.changeAppConfig('web', { set: {}, unset: ['A'], replace: true }), slipwayError('invalid_input', 'unset'));
        assert.deepEqual((await store.getAppConfig('web')).map((e) => [e.name, e.sealed]), [['A', sealed('a')]]);
        await assert.rejects(store.changeAppConfig('nope', { set: { A: plain('a') }, unset: [] }), slipwayError('not_found', 'app'));
      });
    });

    it('refuses a value that is not sealed, without echoing it', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        await assert.rejects(store.changeAppConfig('web', { set: { PASSWORD: { sealed: 'hunter2', secret: true } }, unset: [] }), (err) => {
          slipwayError('invalid_input', 'value')(err);
          assert.ok(err instanceof Error && !err.message.includes('hunter2'));
          return true;
        });
        assert.deepEqual(await store.getAppConfig('web'), []);
      });
    });

    it('accepts keys that are environment variable names up to 128 characters', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        const long = `K${'x'.repeat(127)}`;
        await store.changeAppConfig('web', { set: { _: plain('1'), a_B_1: plain('2'), [long]: plain('3') }, unset: [] });
        for (const name of ['', '1A', 'A-B', 'A B', 'ÄPFEL', `${long}x`, 'A\n']) {
          await assert.rejects(store.changeAppConfig('web', { set: { [name]: plain('x') }, unset: [] }), slipwayError('invalid_input', 'name'), JSON.stringify(name));
        }
        assert.equal((await store.getAppConfig('web')).length, 3);
      });
    });

    it('removes an app\'s config with the app: a new app of that name starts without it', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        await store.changeAppConfig('web', { set: { A: plain('a') }, unset: [] });
        await store.deleteApp('web');
        assert.deepEqual(await store.getAppConfig('web'), []);
        await store.createApp(newApp('web'));
        assert.deepEqual(await store.getAppConfig('web'), []);
      });
    });

    it('records a release\'s config once and gives it back; a release without one has {}', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        const r1 = await store.createRelease(newRelease('web'));
        const r2 = await store.createRelease(newRelease('web'));
        const config = { DATABASE_URL: secret('db'), MODE: plain('x') };
        await store.setReleaseConfig(r1.id, config);
        assert.deepEqual(await store.getReleaseConfig(r1.id), config);
        assert.deepEqual(await store.getReleaseConfig(r2.id), {});
        await assert.rejects(store.setReleaseConfig(r1.id, {}), slipwayError('conflict', 'releaseId'));
        await assert.rejects(store.setReleaseConfig(9999, {}), slipwayError('not_found', 'releaseId'));
        await assert.rejects(store.setReleaseConfig(r2.id, { X: { sealed: 'plain', secret: false } }), slipwayError('invalid_input', 'value'));
        await store.deleteApp('web');
        assert.deepEqual(await store.getReleaseConfig(r1.id), config, 'release history keeps its config');
      });
    });
  });
}
