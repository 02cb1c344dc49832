// The stack routes' own authorization beyond the table: following another app needs deploy on it (review finding).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testHttpApp } from './testing-app.js';

const COMPOSE = { path: 'compose.yml', text: 'services:\n  web:\n    image: busybox:latest\n' };

describe('stack routes', () => {
  it('a deployer of one app cannot make its stack follow another app (whose releases would start runs here)', async () => {
    const t = await testHttpApp();
    const token = await t.tokenFor([{ role: 'deployer', app: 'web' }]);
    const res = await t.send('POST', '/api/apps/web/stacks/s/deploy', token, { files: [COMPOSE], redeployOn: ['api'] });
    assert.equal(res.status, 403, JSON.stringify(res.json));
    assert.match(String((res.json?.error as { message?: string })?.message), /needs deploy on app api/);
    assert.equal(await t.store.getSetting('stack-follow:api'), null, 'nothing was recorded');
  });

  it('a viewer cannot read a whole stack release (environment values, the .env text)', async () => {
    const t = await testHttpApp();
    const token = await t.tokenFor([{ role: 'viewer', app: 'web' }]);
    assert.equal((await t.send('GET', '/api/apps/web/stacks/s/releases/1', token)).status, 403);
  });
});
