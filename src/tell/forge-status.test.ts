import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createSealer } from '../adapters/secrets/sealer.js';
import { createMemoryStore } from '../adapters/store/memory.js';
import { repoTokenContext, webhookSecretContext } from '../core/ports/sealer.js';
import { EventBus } from '../core/events.js';
import { statusRequest, subscribeForgeStatuses } from './forge-status.js';

const SHA = 'a'.repeat(40);
const info = { targetUrl: 'https://ci.example.com/#/apps/web/runs/7', description: 'run 7 succeeded', context: 'slipway/web' };

describe('statusRequest', () => {
  it('addresses each forge\'s statuses API from the clone URL, with its auth header and state names', () => {
    const gh = statusRequest('github', 'https://github.com/acme/web.git', SHA, 'succeeded', 'tok', info)!;
    assert.equal(gh.url, `https://api.github.com/repos/acme/web/statuses/${SHA}`);
    assert.equal(gh.headers.authorization, 'Bearer tok');
    assert.deepEqual(JSON.parse(gh.body), { state: 'success', target_url: info.targetUrl, description: info.description, context: 'slipway/web' });

    const ghe = statusRequest('github', 'ssh://git@ghe.example.com/acme/web.git', SHA, 'running', 'tok', info)!;
    assert.equal(ghe.url, `https://ghe.example.com/api/v3/repos/acme/web/statuses/${SHA}`);
    assert.equal(JSON.parse(ghe.body).state, 'pending');

    const gitea = statusRequest('gitea', 'http://127.0.0.1:3000/acme/web.git', SHA, 'failed', 'tok', info)!;
    assert.equal(gitea.url, `http://127.0.0.1:3000/api/v1/repos/acme/web/statuses/${SHA}`);
    assert.equal(gitea.headers.authorization, 'token tok');
    assert.equal(JSON.parse(gitea.body).state, 'failure');

    const gl = statusRequest('gitlab', 'https://gitlab.example.com/group/sub/web.git', SHA, 'cancelled', 'tok', info)!;
    assert.equal(gl.url, `https://gitlab.example.com/api/v4/projects/group%2Fsub%2Fweb/statuses/${SHA}`);
    assert.equal(gl.headers['private-token'], 'tok');
    assert.deepEqual(JSON.parse(gl.body), { state: 'canceled', target_url: info.targetUrl, description: info.description, name: 'slipway/web' });
    assert.equal(JSON.parse(statusRequest('gitlab', 'https://gitlab.example.com/a/b', SHA, 'running', 't', info)!.body).state, 'running');
  });

  it('cuts descriptions to GitHub\'s 140 characters and gives up on URLs without a repository path', () => {
    const long = statusRequest('github', 'https://github.com/a/b', SHA, 'failed', 't', { ...info, description: 'x'.repeat(500) })!;
    assert.equal(JSON.parse(long.body).description.length, 140);
    assert.equal(statusRequest('github', 'https://github.com/', SHA, 'failed', 't', info), null);
  });
});

describe('subscribeForgeStatuses', () => {
  it('reports queued, running and the outcome of git runs of connected apps, in order; others are left alone', async () => {
    const store = createMemoryStore();
    const bus = new EventBus();
    await store.createApp({ name: 'web', domain: 'web.example.com', port: 3000, replicas: 1, branch: 'main' });
    await store.createApp({ name: 'api', domain: 'api.example.com', port: 3000, replicas: 1, branch: 'main' });
    // The real sealer: the token opens only for the app's token column (issue 12).
    const sealer = createSealer(randomBytes(32), 'test.key');
    await store.setAppRepo({ app: 'web', url: 'https://git.example.com/acme/web.git', webhookSecret: sealer.seal('x', webhookSecretContext('web')), token: sealer.seal('tok', repoTokenContext('web')), forge: 'gitea' });
    const sent: { url: string; state: string; auth: string }[] = [];
    let slow = true;
    const fakeFetch = (async (url: string, init: RequestInit) => {
      // The first report is slow: later ones must still arrive after it.
      if (slow) {
        slow = false;
        await new Promise((r) => setTimeout(r, 50));
      }
      sent.push({ url, state: JSON.parse(String(init.body)).state, auth: (init.headers as Record<string, string>).authorization! });
      return new Response(null, { status: 201 });
    }) as unknown as typeof fetch;
    const warnings: string[] = [];
    const off = subscribeForgeStatuses({ bus, store, open: (s, c) => sealer.open(s, c).reveal(), publicUrl: 'https://ci.example.com/', warn: (l) => void warnings.push(l), fetch: fakeFetch });
    const run = await store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: SHA });
    const upload = await store.createRun({ app: 'web', source: 'upload', ref: null, commit: 'b'.repeat(64) });
    const other = await store.createRun({ app: 'api', source: 'git', ref: 'refs/heads/main', commit: SHA });
    bus.emit('run.queued', { runId: run.id, app: 'web' });
    bus.emit('run.started', { runId: run.id, app: 'web' });
    bus.emit('run.finished', { runId: run.id, app: 'web', status: 'succeeded', error: null });
    bus.emit('run.finished', { runId: upload.id, app: 'web', status: 'succeeded', error: null });
    bus.emit('run.finished', { runId: other.id, app: 'api', status: 'failed', error: null });
    await new Promise((r) => setTimeout(r, 200));
    off();
    assert.deepEqual(sent.map((s) => s.state), ['pending', 'pending', 'success']);
    assert.ok(sent.every((s) => s.url === `https://git.example.com/api/v1/repos/acme/web/statuses/${SHA}` && s.auth === 'token tok'));
    assert.deepEqual(warnings, []);
  });

  it('logs a forge that refuses, without the token', async () => {
    const store = createMemoryStore();
    const bus = new EventBus();
    await store.createApp({ name: 'web', domain: 'web.example.com', port: 3000, replicas: 1, branch: 'main' });
    await store.setAppRepo({ app: 'web', url: 'https://github.com/acme/web.git', webhookSecret: 'v1:x', token: 'v1:sekrit', forge: 'github' });
    const warnings: string[] = [];
    const off = subscribeForgeStatuses({
      bus, store, open: (s) => s.slice(3), publicUrl: 'https://ci.example.com', warn: (l) => void warnings.push(l),
      fetch: (async () => new Response('{"message":"Bad credentials"}', { status: 401 })) as unknown as typeof fetch,
    });
    const run = await store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: SHA });
    bus.emit('run.finished', { runId: run.id, app: 'web', status: 'succeeded', error: null });
    await new Promise((r) => setTimeout(r, 50));
    off();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /github answered 401/);
    assert.ok(!warnings[0]!.includes('sekrit'));
  });
});
