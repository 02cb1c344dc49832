// The one-time re-seal at start: old unbound (v1) secrets, webhook secrets and tokens become v2 values bound to their
// app and name, on the in-memory and the SQLite store; current values and unopenable ones are left as they are.

import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createSealer } from '../adapters/secrets/sealer.js';
import { createMemoryStore } from '../adapters/store/memory.js';
import { openSqliteStore } from '../adapters/store/sqlite.js';
import { repoTokenContext, secretContext, webhookSecretContext } from '../core/ports/sealer.js';
import type { Store } from '../core/ports/store.js';
import { resealOldValues } from './reseal.js';

/** What Slipway before issue 12 stored: v1, AES-256-GCM with no additional data. */
function sealV1(key: Uint8Array, value: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return `v1:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${ciphertext.toString('base64')}`;
}

const stores: Record<string, () => Promise<{ store: Store; done: () => Promise<void> }>> = {
  memory: async () => ({ store: createMemoryStore(), done: async () => undefined }),
  sqlite: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-reseal-'));
    const store = await openSqliteStore(join(dir, 'slipway.db'));
    return { store, done: async () => { await store.close(); await rm(dir, { recursive: true, force: true }); } };
  },
};

for (const [kind, open] of Object.entries(stores)) {
  describe(`re-seal at start (${kind} store)`, () => {
    it('binds every v1 value to its app and name, never losing one', async () => {
      const { store, done } = await open();
      try {
        const key = randomBytes(32);
        const sealer = createSealer(key, 'test.key');
        for (const name of ['web', 'api', 'bare']) await store.createApp({ name, domain: `${name}.example.com`, port: 3000, replicas: 1, branch: 'main' });
        await store.setSecret('web', 'NPM_TOKEN', sealV1(key, 'web-npm'));
        await store.setSecret('web', 'CURRENT', sealer.seal('already-v2', secretContext('web', 'CURRENT')));
        await store.setSecret('api', 'NPM_TOKEN', sealV1(key, 'api-npm'));
        await store.setSecret('api', 'LOST_KEY', sealV1(randomBytes(32), 'other-key'));
        await store.setAppRepo({ app: 'web', url: 'https://git.example.com/a/web.git', webhookSecret: sealV1(key, 'hook'), token: sealV1(key, 'tok'), forge: 'gitea' });
        await store.setAppRepo({ app: 'api', url: 'https://git.example.com/a/api.git', webhookSecret: sealV1(key, 'api-hook'), token: null, forge: null });
        const before = await store.getSealedSecrets('web');

        const warnings: string[] = [];
        assert.equal(await resealOldValues({ store, sealer, warn: (l) => void warnings.push(l) }), 5);
        assert.equal(warnings.length, 1);
        assert.match(warnings[0] ?? '', /secret LOST_KEY of app api, left as it is/);
        assert.ok(!warnings[0]?.includes('other-key'));

        const web = await store.getSealedSecrets('web');
        const api = await store.getSealedSecrets('api');
        assert.equal(web.CURRENT, before.CURRENT, 'a current value is not rewritten');
        assert.equal(api.LOST_KEY?.slice(0, 3), 'v1:', 'an unopenable value stays as it was');
        assert.equal(sealer.open(web.NPM_TOKEN ?? '', secretContext('web', 'NPM_TOKEN')).reveal(), 'web-npm');
        assert.equal(sealer.open(api.NPM_TOKEN ?? '', secretContext('api', 'NPM_TOKEN')).reveal(), 'api-npm');
        assert.throws(() => sealer.open(web.NPM_TOKEN ?? '', secretContext('api', 'NPM_TOKEN')), /cannot be decrypted/);
        const repo = await store.getAppRepo('web');
        assert.equal(repo?.url, 'https://git.example.com/a/web.git');
        assert.equal(repo?.forge, 'gitea');
        assert.equal(sealer.open(repo?.webhookSecret ?? '', webhookSecretContext('web')).reveal(), 'hook');
        assert.equal(sealer.open(repo?.token ?? '', repoTokenContext('web')).reveal(), 'tok');
        assert.throws(() => sealer.open(repo?.webhookSecret ?? '', repoTokenContext('web')), /cannot be decrypted/);
        const apiRepo = await store.getAppRepo('api');
        assert.equal(apiRepo?.token, null);
        assert.equal(sealer.open(apiRepo?.webhookSecret ?? '', webhookSecretContext('api')).reveal(), 'api-hook');

        // The second start finds nothing left to do.
        assert.equal(await resealOldValues({ store, sealer, warn: (l) => void warnings.push(l) }), 0);
      } finally {
        await done();
      }
    });
  });
}
