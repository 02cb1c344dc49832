// `slipway config set|unset|list|import|apply`: the request each sends, what it prints, and a failed rollout said plainly.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../main.js';
import { bodyJson, json, startFakeApi, text, type FakeApi } from '../../testing/fake-api.js';
import { appStatus, release, run } from '../../testing/fixtures.js';
import { apiIO } from '../../testing/test-io.js';

const item = (name: string, value: string | null, secret = false) => ({ name, value, secret, updatedAt: '2030-01-01T00:00:00.000Z' });

describe('slipway config', () => {
  let api: FakeApi;
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-config-cli-'));
    api = await startFakeApi({
      'GET /api/apps/hello/config': json({ config: [item('API_KEY', null, true), item('MODE', 'fast')] }),
      'GET /api/apps/empty/config': json({ config: [] }),
      'PATCH /api/apps/hello/config': json({ config: [], applied: 'rolling_out', run: run({ id: 40, app: 'hello', source: 'config' }) }, 202),
      'GET /api/runs/40/logs': text('--> deploying release v3\n'),
      'GET /api/runs/40': json({ run: run({ id: 40, app: 'hello', status: 'succeeded' }) }),
      'GET /api/apps/hello': json(appStatus({ url: 'https://hello.example.com', release: release({ number: 3 }) })),
      'PATCH /api/apps/staged/config': json({ config: [], applied: 'staged', run: null }, 202),
      'PATCH /api/apps/bad/config': json({ config: [], applied: 'rolling_out', run: run({ id: 41, app: 'bad', source: 'config' }) }, 202),
      'GET /api/runs/41/logs': text(''),
      'GET /api/runs/41': json({ run: run({ id: 41, app: 'bad', status: 'failed', error: { kind: 'health_gate_failed', message: 'release v4 did not become healthy' } }) }),
      'POST /api/apps/staged/config/apply': json({ config: [], applied: 'no_live_release', run: null }, 202),
    });
  });
  after(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('list prints KEY=value and never a secret value', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['config', 'list', 'hello'], io), 0, io.stderr.text);
    assert.equal(io.stdout.text, 'API_KEY=•••• (secret)\nMODE=fast\n');
    const empty = await apiIO(api);
    assert.equal(await main(['config', 'list', 'empty'], empty), 0);
    assert.match(empty.stdout.text, /empty has no config/);
  });

  it('set sends KEY=VALUE pairs (value after the first =) and follows the rollout', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['config', 'set', 'hello', 'URL=postgres://u:p@h/db?a=b', 'EMPTY=', '--secret'], io), 0, io.stderr.text);
    assert.deepEqual(bodyJson(api.requests.filter((r) => r.method === 'PATCH').at(-1)), {
      set: { URL: { value: 'postgres://u:p@h/db?a=b', secret: true }, EMPTY: { value: '', secret: true } }, deploy: true,
    });
    assert.match(io.stdout.text, /set secret URL, EMPTY for hello\n--> deploying release v3\nsucceeded: hello release #3 is live/);
    assert.ok(!io.stdout.text.includes('postgres://'), 'the value is not echoed');
  });

  it('set --no-deploy stages; refuses a reserved key, a word without = and no words, before any request', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['config', 'set', 'staged', 'A=1', '--no-deploy'], io), 0, io.stderr.text);
    assert.deepEqual(bodyJson(api.requests.at(-1)), { set: { A: { value: '1' } }, deploy: false });
    assert.match(io.stdout.text, /staged: not rolled out; .*slipway config apply staged/);
    const before = api.requests.length;
    for (const [argv, message] of [
      [['PORT=80'], /config key PORT is reserved/],
      [['SLIPWAY_X=1'], /reserved/],
      [['hunter2'], /expected KEY=VALUE, got "hunter2" without "="/],
      [[], /missing KEY=VALUE/],
    ] as const) {
      const bad = await apiIO(api);
      assert.equal(await main(['config', 'set', 'hello', ...argv], bad), 2);
      assert.match(bad.stderr.text, message);
    }
    assert.equal(api.requests.length, before);
  });

  it('a failed rollout says the change is stored and the previous release keeps serving', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['config', 'set', 'bad', 'A=1'], io), 7);
    assert.match(io.stderr.text, /error: the config change is stored, but rolling it out failed: run #41 failed: release v4 did not become healthy/);
    assert.match(io.stderr.text, /hint: the previous release keeps serving with its previous config/);
  });

  it('unset sends the keys; apply posts; import reads a .env file and names a bad line', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['config', 'unset', 'staged', 'A', 'B', '--no-deploy'], io), 0, io.stderr.text);
    assert.deepEqual(bodyJson(api.requests.at(-1)), { unset: ['A', 'B'], deploy: false });
    const apply = await apiIO(api);
    assert.equal(await main(['config', 'apply', 'staged'], apply), 0, apply.stderr.text);
    assert.match(apply.stdout.text, /no live release yet/);

    await writeFile(join(dir, 'prod.env'), '# prod\nexport A="x y"\nB=2 # two\n');
    const imp = await apiIO(api, dir);
    assert.equal(await main(['config', 'import', 'staged', 'prod.env', '--secret', '--no-deploy'], imp), 0, imp.stderr.text);
    assert.deepEqual(bodyJson(api.requests.at(-1)), { set: { A: { value: 'x y', secret: true }, B: { value: '2', secret: true } }, deploy: false });

    await writeFile(join(dir, 'bad.env'), 'A=1\nPORT=80\n');
    const before = api.requests.length;
    const bad = await apiIO(api, dir);
    assert.equal(await main(['config', 'import', 'staged', 'bad.env'], bad), 2);
    assert.match(bad.stderr.text, /error: bad\.env:2: config key PORT is reserved/);
    await writeFile(join(dir, 'broken.env'), 'A=1\n\nB="open\n');
    const broken = await apiIO(api, dir);
    assert.equal(await main(['config', 'import', 'staged', 'broken.env'], broken), 2);
    assert.match(broken.stderr.text, /error: broken\.env:3: the double quote opened here is never closed/);
    assert.equal(api.requests.length, before);
  });
});
