import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiClient } from './api-client.js';
import { changeConfig, changeOutcome, loadConfig, shownValue, unsetConfigKey } from './config-client.js';

function client(answer: unknown) {
  const sent: Array<{ url: string; method: string; body: unknown }> = [];
  const api = new ApiClient({
    token: () => 't',
    onUnauthorized: () => undefined,
    fetch: async (url, init) => {
      sent.push({ url, method: init.method ?? 'GET', body: init.body === undefined ? undefined : JSON.parse(init.body) });
      return new Response(JSON.stringify(answer), { status: 200, headers: { 'Content-Type': 'application/json' } });
    },
  });
  return { api, sent };
}

describe('dashboard config client', () => {
  it('reads, changes and unsets with escaped paths', async () => {
    const item = { name: 'A', value: '1', secret: false, updatedAt: '' };
    const { api, sent } = client({ config: [item], applied: 'staged', run: null });
    assert.deepEqual(await loadConfig(api, 'w b'), [item]);
    await changeConfig(api, 'w b', { set: { A: { value: '2', secret: true } } });
    await unsetConfigKey(api, 'w b', 'A');
    assert.deepEqual(sent, [
      { url: '/api/apps/w%20b/config', method: 'GET', body: undefined },
      { url: '/api/apps/w%20b/config', method: 'PATCH', body: { set: { A: { value: '2', secret: true } } } },
      { url: '/api/apps/w%20b/config/A', method: 'DELETE', body: undefined },
    ]);
  });

  it('shows a secret as dots and says what happens to a change', () => {
    assert.equal(shownValue({ name: 'K', value: null, secret: true, updatedAt: '' }), '••••');
    assert.equal(shownValue({ name: 'K', value: 'v', secret: false, updatedAt: '' }), 'v');
    assert.match(changeOutcome('web', { config: [], applied: 'rolling_out', run: { id: 9 } as never }), /run #9.*previous release keeps serving/);
    assert.match(changeOutcome('web', { config: [], applied: 'staged', run: null }), /next deploy/);
  });
});
