// The dashboard's stacks calls: paths escaped, the rollback body, and answers read as the API gives them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FetchInit } from '../client/api-client.js';
import { StacksClient } from './stacks-client.js';

describe('dashboard stacks client', () => {
  it('calls the stacks routes with escaped names and reads their answers', async () => {
    const sent: [string, FetchInit | undefined][] = [];
    const answers: Record<string, unknown> = {
      '/api/apps/a%20b/stacks': { stacks: [{ name: 'back', liveRelease: 2, releases: 2, services: 1 }] },
      '/api/apps/a%20b/stacks/back/services': { services: [] },
      '/api/apps/a%20b/stacks/back/releases': {},
      '/api/apps/a%20b/stacks/back/rollback': { run: { id: 9 } },
      '/api/apps/a%20b/stacks/back/diff?from=1&to=2': { from: 1, to: 2, services: [] },
    };
    const stacks = new StacksClient({
      send: async (path: string, init?: FetchInit) => {
        sent.push([path, init]);
        return new Response(JSON.stringify(answers[path]), { status: 200 });
      },
    });
    assert.equal((await stacks.list('a b'))[0]?.name, 'back');
    assert.deepEqual(await stacks.services('a b', 'back'), []);
    assert.deepEqual(await stacks.releases('a b', 'back'), []);
    assert.equal((await stacks.rollback('a b', 'back', 1)).id, 9);
    assert.deepEqual(sent.at(-1)?.[1], { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"release":1}' });
    assert.deepEqual(await stacks.diff('a b', 'back', 1, 2), { from: 1, to: 2, services: [] });
  });
});
