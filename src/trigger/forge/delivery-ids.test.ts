// Webhook redeliveries start nothing: ids are remembered per app after verification, a failed delivery is forgotten
// (so the forge's retry runs), and only the last ids are kept.

import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../../adapters/store/memory.js';
import { createSealer } from '../../adapters/secrets/sealer.js';
import { webhookSecretContext } from '../../core/ports/sealer.js';
import { SlipwayError } from '../../core/errors.js';
import type { App } from '../../core/types.js';
import { DeliveryIds, deliveryId } from './delivery-ids.js';
import { receiveDelivery, type ReceiveDeps } from './receive.js';

const SECRET = 'correct horse battery staple';
const APP: App = { name: 'web', domain: 'web.example.com', port: 3000, replicas: 1, branch: 'main', concurrency: 1, createdAt: '2030-01-01T00:00:00.000Z' };

function signed(payload: unknown, id: string | null, secret = SECRET) {
  const body = Buffer.from(JSON.stringify(payload));
  const headers: Record<string, string> = {
    'content-type': 'application/json', 'x-github-event': 'push',
    'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    ...(id === null ? {} : { 'x-github-delivery': id }),
  };
  return { headers, body };
}

/** The real sealer: the webhook secret opens only for its app's webhook secret column (issue 12). */
const SEALER = createSealer(randomBytes(32), 'test.key');

async function setup() {
  const store = createMemoryStore();
  await store.createApp({ name: 'web', domain: 'web.example.com', port: 3000, replicas: 1, branch: 'main' });
  await store.setAppRepo({ app: 'web', url: 'https://example.com/acme/web.git', webhookSecret: SEALER.seal(SECRET, webhookSecretContext('web')), token: null, forge: 'github' });
  const d: ReceiveDeps = {
    store, repos: { fetch: async () => assert.fail('nothing is fetched in these tests') },
    push: { receive: async () => assert.fail('no push in these tests'), hasPipeline: async () => false },
    enqueue: async () => assert.fail('nothing is queued in these tests'),
    reveal: (sealed, context) => SEALER.open(sealed, context).reveal(),
    seen: new DeliveryIds(store),
  };
  return { store, receive: (id: string | null, payload: unknown, secret?: string) => {
    const { headers, body } = signed(payload, id, secret);
    return receiveDelivery(d, APP, headers, body);
  } };
}

const DELETED = { ref: 'refs/heads/old', after: '0'.repeat(40), before: 'a'.repeat(40), deleted: true };

describe('webhook delivery ids', () => {
  it('reads each forge\'s id header', () => {
    assert.equal(deliveryId({ 'x-github-delivery': 'g-1' }), 'g-1');
    assert.equal(deliveryId({ 'x-gitea-delivery': 'gt-1' }), 'gt-1');
    assert.equal(deliveryId({ 'x-forgejo-delivery': 'fj-1', 'x-gitea-delivery': 'gt-1' }), 'fj-1');
    assert.equal(deliveryId({ 'idempotency-key': 'k-1', 'x-gitlab-event-uuid': 'u-1' }), 'k-1', 'GitLab\'s key is the same on retries');
    assert.equal(deliveryId({ 'x-gitlab-event-uuid': 'u-1' }), 'u-1');
    assert.equal(deliveryId({ 'x-github-delivery': '  ' }), null);
    assert.equal(deliveryId({}), null);
  });

  it('answers a redelivered id without acting on it again', async () => {
    const { receive } = await setup();
    assert.match((await receive('id-1', DELETED)).note, /deleted/);
    const again = await receive('id-1', DELETED);
    assert.deepEqual(again.runs, []);
    assert.match(again.note, /delivery id-1 was already received/);
    const other = { ...DELETED, ref: 'refs/heads/older' };
    assert.match((await receive('id-2', other)).note, /deleted/, 'another id with another payload is another delivery');
    assert.match((await receive(null, { ...DELETED, ref: 'refs/heads/oldest' })).note, /deleted/, 'so is one without an id');
  });

  it('a signed payload replayed under a new id (the id header is not signed), or without one, starts nothing (abuse suite)', async () => {
    const { receive } = await setup();
    assert.match((await receive('id-1', DELETED)).note, /deleted/);
    for (const id of ['id-forged', null]) {
      const again = await receive(id, DELETED);
      assert.deepEqual(again.runs, []);
      assert.match(again.note, /already received \(the same signed payload\)/, String(id));
    }
    assert.match((await receive('id-forged', { ...DELETED, ref: 'refs/heads/x' })).note, /deleted/, 'the new id was not used up by the refused replay');
  });

  it('remembers only verified deliveries, and forgets one that failed so the retry is read again', async () => {
    const { receive } = await setup();
    await assert.rejects(receive('id-3', DELETED, 'not-the-secret'), (err) => err instanceof SlipwayError && err.kind === 'unauthorized');
    assert.match((await receive('id-3', DELETED)).note, /deleted/, 'a forged delivery did not use up the id');
    const malformed = { ref: '--upload-pack=x', after: 'a'.repeat(40) };
    for (let i = 0; i < 2; i++) {
      await assert.rejects(receive('id-4', malformed), (err) => err instanceof SlipwayError && err.kind === 'invalid_input', `attempt ${i}`);
    }
  });

  it('keeps the last ids of each app, per app', async () => {
    const store = createMemoryStore();
    const seen = new DeliveryIds(store, 3);
    for (const id of ['a', 'b', 'c', 'd']) assert.equal(await seen.claim('web', id), true);
    assert.deepEqual(await Promise.all(['b', 'c', 'd'].map((id) => seen.claim('web', id))), [false, false, false]);
    assert.equal(await seen.claim('web', 'a'), true, 'the oldest was let go');
    assert.equal(await seen.claim('api', 'd'), true, 'ids are per app');
    const racing = await Promise.all([seen.claim('web', 'z'), seen.claim('web', 'z')]);
    assert.deepEqual(racing.sort(), [false, true], 'two claims at once: one wins');
  });
});

describe('replayed pushes under a fresh delivery id', () => {
  const SHA = 'b'.repeat(40);
  const OLDER = 'c'.repeat(40);
  async function pushSetup() {
    const { store } = await setup();
    const fetched: string[] = [];
    const received: string[] = [];
    const d: ReceiveDeps = {
      store, repos: { fetch: async (_app, f) => { fetched.push(f.commit); } },
      push: { receive: async (_app, ref, commit) => { received.push(commit); return { run: null, note: `received ${ref} ${commit}` }; }, hasPipeline: async () => true },
      enqueue: async () => assert.fail('pushes go through the push trigger'),
      reveal: (sealed, context) => SEALER.open(sealed, context).reveal(),
      seen: new DeliveryIds(store),
    };
    const receive = (id: string, after: string) => {
      const { headers, body } = signed({ ref: 'refs/heads/main', before: 'd'.repeat(40), after, deleted: false }, id);
      return receiveDelivery(d, APP, headers, body);
    };
    return { store, fetched, received, receive };
  }

  it('starts nothing when the ref\'s newest run already took that commit, and says which run', async () => {
    const { store, fetched, received, receive } = await pushSetup();
    const run = await store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: SHA });
    const replay = await receive('fresh-id-1', SHA);
    assert.deepEqual(replay.runs, []);
    assert.match(replay.note, new RegExp(`already took.*runs restart ${run.id}`));
    assert.deepEqual([fetched, received], [[], []], 'nothing fetched, nothing queued');
  });

  it('a push back to an older commit (the ref moved since) still runs', async () => {
    const { store, received, receive } = await pushSetup();
    await store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: OLDER });
    await store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: SHA });
    await receive('fresh-id-2', OLDER);
    await store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/other', commit: SHA });
    assert.deepEqual(received, [OLDER]);
  });
});
