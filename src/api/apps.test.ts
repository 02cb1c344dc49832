// Apps may not take Slipway's own domain: the edge routes it to Slipway's API, git remote and webhooks.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../adapters/store/memory.js';
import { SlipwayError } from '../core/errors.js';
import { EventBus } from '../core/events.js';
import { Apps } from './apps.js';

function apps(reservedDomain: string | null) {
  const store = createMemoryStore();
  return new Apps({
    store, bus: new EventBus(), engine: {} as never, repos: { ensure: async () => undefined }, queue: { kick: () => undefined },
    routes: { sync: async () => undefined, stackServiceOf: async () => null, leave: async () => undefined } as never, instance: 't', httpsPort: 443, publicUrl: 'https://deploy.example.com', reservedDomain,
  });
}

const reserved = (err: unknown) => err instanceof SlipwayError && err.kind === 'conflict' && err.field === 'domain' && /Slipway's own/.test(err.message);

describe('Slipway\'s own domain', () => {
  it('no app is created on it, and none is moved onto it', async () => {
    const a = apps('deploy.example.com');
    await assert.rejects(a.create({ name: 'web', domain: 'deploy.example.com' }), reserved);
    await a.create({ name: 'web', domain: 'web.example.com' });
    await assert.rejects(a.update('web', { domain: 'deploy.example.com' }), reserved);
  });

  it('is an ordinary domain when Slipway has none', async () => {
    await apps(null).create({ name: 'web', domain: 'deploy.example.com' });
  });
});
