// The webhook URL does not tell strangers which apps exist: an unknown app, an app without a repository and a wrong
// signature are answered alike; only the right signature is read.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { createMemoryStore } from '../../adapters/store/memory.js';
import { SlipwayError } from '../../core/errors.js';
import { EventBus } from '../../core/events.js';
import { wireTriggers } from '../triggers.js';
import { errorResponse } from './errors.js';
import { hookRoutes, MAX_DELIVERIES_RUNNING, MAX_DELIVERIES_WAITING } from './forge-routes.js';

const SECRET = 'correct horse battery staple';

async function setup() {
  const store = createMemoryStore();
  for (const name of ['web', 'lonely']) await store.createApp({ name, domain: `${name}.example.com`, port: 3000, replicas: 1, branch: 'main' });
  await store.setAppRepo({ app: 'web', url: 'https://example.com/acme/web.git', webhookSecret: `v1:${SECRET}`, token: null, forge: 'github' });
  const triggers = wireTriggers({
    store, bus: new EventBus(), wake: () => undefined, repos: {} as never, sources: {} as never, reveal: (s) => s.replace(/^v1:/, ''),
  });
  const apps = {
    async get(name: string) {
      const app = await store.getApp(name);
      if (!app) throw new SlipwayError('not_found', `no app named ${name}`);
      return app;
    },
  };
  const http = new Hono();
  http.onError((err, c) => errorResponse(err, c));
  http.route('/', hookRoutes({ apps, triggers }));
  return async (app: string, secret: string) => {
    const body = JSON.stringify({ zen: 'hi', hook_id: 1 });
    const res = await http.request(`/hooks/${app}`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': `d-${app}-${secret.length}`,
        'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      },
    });
    return { status: res.status, text: await res.text() };
  };
}

describe('POST /hooks/:app', () => {
  it('answers an unknown app, an unconnected app and a wrong signature the same way', async () => {
    const deliver = await setup();
    const wrong = await deliver('web', 'not-the-secret');
    assert.equal(wrong.status, 401);
    for (const app of ['nope', 'lonely', 'Bad_Name']) {
      assert.deepEqual(await deliver(app, SECRET), wrong, app);
    }
    assert.equal((await deliver('web', SECRET)).status, 200, 'the right secret is read');
  });
});

describe('POST /hooks/:app limits (issue 12)', () => {
  function routes(delivery: () => Promise<unknown>) {
    const apps = { get: async (name: string) => ({ name }) as never };
    const http = new Hono();
    http.onError((err, c) => errorResponse(err, c));
    http.route('/', hookRoutes({ apps, triggers: { delivery: delivery as never } }));
    return http;
  }

  it('a delivery over 10 MiB is refused with 413 too_large, and never reaches the trigger', async () => {
    let reached = 0;
    const http = routes(async () => { reached += 1; return { runs: [] }; });
    const res = await http.request('/hooks/web', { method: 'POST', body: 'x'.repeat(10 * 1024 * 1024 + 1) });
    assert.equal(res.status, 413);
    const body = (await res.json()) as { error: { kind: string; message: string } };
    assert.equal(body.error.kind, 'too_large');
    assert.match(body.error.message, /the delivery is larger than 10 MiB/);
    assert.equal(reached, 0);
  });

  it('handles at most 8 deliveries at once, queues 32 more, and answers the rest 503 with Retry-After', async () => {
    let running = 0;
    let most = 0;
    const gates: Array<() => void> = [];
    let hold = true;
    const http = routes(async () => {
      running += 1;
      most = Math.max(most, running);
      if (hold) await new Promise<void>((resolve) => gates.push(resolve));
      running -= 1;
      return { runs: [] };
    });
    const send = () => http.request('/hooks/web', { method: 'POST', body: '{}' });
    const held = Array.from({ length: MAX_DELIVERIES_RUNNING + MAX_DELIVERIES_WAITING }, send);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(running, 8);
    const refused = await send();
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '10');
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /too many webhook deliveries at once \(8 being handled, 32 waiting\)/);
    // Each finished delivery lets one waiting delivery in, never more than 8 at once.
    while (gates.length > 0 || running > 0) {
      gates.splice(0).forEach((open) => open());
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const answers = await Promise.all(held);
    assert.deepEqual(answers.map((r) => r.status), held.map(() => 200));
    assert.equal(most, 8);
    hold = false;
    assert.equal((await send()).status, 200, 'the slots are free again');
  });
});
