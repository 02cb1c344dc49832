// Store conformance: an app's secrets, stored sealed — names, replacement, deletion, and leaving with the app.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newApp, slipwayError, tickingClock, withStore, type OpenStore } from './conformance-kit.js';

/** Sealed-looking values: the store checks the version prefix only; the sealer owns the rest. */
const sealed = (tag: string) => `v1:aXY=:dGFn:${Buffer.from(tag).toString('base64')}`;

export function secretConformance(open: OpenStore): void {
  describe('secrets', () => {
    it('sets, replaces, lists by name and returns sealed values', async () => {
      const clock = tickingClock();
      await withStore(open, async (store) => {
        await store.createApp(newApp('web')); // tick 0
        await store.createApp(newApp('api')); // tick 1
        await store.setSecret('web', 'NPM_TOKEN', sealed('npm')); // tick 2
        await store.setSecret('web', 'DB_PASSWORD', sealed('db')); // tick 3
        await store.setSecret('api', 'NPM_TOKEN', sealed('api-npm')); // tick 4
        await store.setSecret('web', 'NPM_TOKEN', sealed('npm2')); // tick 5
        assert.deepEqual(await store.listSecretNames('web'), [
          { name: 'DB_PASSWORD', updatedAt: clock.at(3) },
          { name: 'NPM_TOKEN', updatedAt: clock.at(5) },
        ]);
        assert.deepEqual(await store.getSealedSecrets('web'), { DB_PASSWORD: sealed('db'), NPM_TOKEN: sealed('npm2') });
        assert.deepEqual(await store.getSealedSecrets('api'), { NPM_TOKEN: sealed('api-npm') });
        assert.deepEqual(await store.listSecretNames('nope'), []);
        assert.deepEqual(await store.getSealedSecrets('nope'), {});
      }, { now: clock.now });
    });

    it('accepts names that can be environment variables, refusing others with a hint', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        for (const name of ['A', '_', '_x9', 'a_B_1', `K${'x'.repeat(63)}`]) await store.setSecret('web', name, sealed(name));
        for (const name of ['', '1A', 'A-B', 'A B', 'A.B', 'ÄPFEL', `K${'x'.repeat(64)}`, 'A\n']) {
          await assert.rejects(store.setSecret('web', name, sealed('x')), (err) => {
            slipwayError('invalid_input', 'name')(err);
            assert.ok(err instanceof Error && 'hint' in err && typeof err.hint === 'string' && err.hint.length > 0);
            return true;
          }, JSON.stringify(name));
          await assert.rejects(store.deleteSecret('web', name), slipwayError('invalid_input', 'name'));
        }
        assert.equal((await store.listSecretNames('web')).length, 5);
      });
    });

    it('refuses a value that is not sealed, without echoing it', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        for (const value of ['hunter2', '', 'V1:abc', '1:abc']) {
          await assert.rejects(store.setSecret('web', 'PASSWORD', value), (err) => {
            slipwayError('invalid_input', 'value')(err);
            assert.ok(err instanceof Error && (value === '' || !err.message.includes(value)));
            return true;
          });
        }
        assert.deepEqual(await store.getSealedSecrets('web'), {});
      });
    });

    it('refuses secrets of an app that does not exist', async () => {
      await withStore(open, async (store) => {
        await assert.rejects(store.setSecret('nope', 'TOKEN', sealed('x')), slipwayError('not_found', 'app'));
      });
    });

    it('deletes one secret; a missing one is not_found', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        await store.createApp(newApp('api'));
        await store.setSecret('web', 'A', sealed('a'));
        await store.setSecret('web', 'B', sealed('b'));
        await store.setSecret('api', 'A', sealed('api-a'));
        await store.deleteSecret('web', 'A');
        assert.deepEqual(await store.getSealedSecrets('web'), { B: sealed('b') });
        assert.deepEqual(await store.getSealedSecrets('api'), { A: sealed('api-a') });
        await assert.rejects(store.deleteSecret('web', 'A'), slipwayError('not_found', 'name'));
        await assert.rejects(store.deleteSecret('nope', 'A'), slipwayError('not_found', 'name'));
      });
    });

    it('removes an app\'s secrets with the app: a new app of that name starts without them', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        await store.createApp(newApp('api'));
        await store.setSecret('web', 'TOKEN', sealed('t'));
        await store.setSecret('api', 'TOKEN', sealed('api'));
        await store.deleteApp('web');
        assert.deepEqual(await store.getSealedSecrets('web'), {});
        await store.createApp(newApp('web'));
        assert.deepEqual(await store.listSecretNames('web'), []);
        assert.deepEqual(await store.getSealedSecrets('api'), { TOKEN: sealed('api') });
      });
    });
  });
}
