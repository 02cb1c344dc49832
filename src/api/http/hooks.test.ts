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
import { hookRoutes } from './forge-routes.js';

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
