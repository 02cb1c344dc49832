// `slipway stacks …` against the fake API: the requests each makes (files' texts and the .env for deploy and lint),
// what it prints, and argument errors before any request.

import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../main.js';
import { bodyJson, fail, json, noContent, startFakeApi, text, type FakeApi } from '../../testing/fake-api.js';
import { run } from '../../testing/fixtures.js';
import { apiIO } from '../../testing/test-io.js';

const summary = (number: number, status: string, extra: Record<string, unknown> = {}) => ({
  number, status, runId: 40 + number, user: 'ana', rollbackOf: null, error: null, createdAt: '2030-01-01T00:00:00.000Z', deployedAt: null,
  images: { web: `busybox:${number}` }, files: ['compose.yml', '.env'], ...extra,
});
const task = { id: 'abcdef1234567890', image: 'busybox:1', state: 'running', desiredState: 'running', message: '', error: null, node: 'n1', createdAt: '2030-01-01T00:00:00.000Z', updatedAt: '2030-01-01T00:00:00.000Z' };

describe('slipway stacks', () => {
  let api: FakeApi;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-stacks-'));
    await writeFile(join(dir, 'compose.yml'), 'services:\n  web:\n    image: busybox\n');
    await writeFile(join(dir, 'override.yml'), 'services:\n  web:\n    deploy: { replicas: 2 }\n');
    await writeFile(join(dir, '.env'), 'TAG=1\n');
    api = await startFakeApi({
      'POST /api/apps/shop/stacks/back/deploy': json({ run: run({ id: 50, app: 'shop', source: 'upload', ref: 'stack:back' }) }, 202),
      'GET /api/runs/50/logs': text('--> stack back: release 3\n'),
      'GET /api/runs/50': json({ run: run({ id: 50, app: 'shop', status: 'succeeded' }) }),
      'GET /api/apps/shop/stacks/back/releases': json({ releases: [summary(4, 'live', { rollbackOf: 1 }), summary(3, 'failed', { error: 'service web did not become healthy' }), summary(1, 'superseded')] }),
      'POST /api/apps/shop/stacks/back/rollback': json({ run: run({ id: 51, app: 'shop', source: 'rollback', targetRelease: 1 }) }, 202),
      'GET /api/runs/51/logs': text(''),
      'GET /api/runs/51': json({ run: run({ id: 51, app: 'shop', status: 'succeeded' }) }),
      'GET /api/apps/shop/stacks': json({ stacks: [{ name: 'back', liveRelease: 4, releases: 3, services: 2 }] }),
      'GET /api/apps/shop/stacks/back/services': json({ services: [{ name: 'web', serviceName: 'slipway-stack-shop_back_web', image: 'busybox:1', desired: 2, running: 1, tasks: [task] }] }),
      'GET /api/apps/shop/stacks/back/diff': json({ from: 1, to: 4, services: [{ service: 'web', change: 'changed', details: ['image busybox:1 → busybox:4'] }, { service: 'db', change: 'removed', details: ['image postgres'] }] }),
      'DELETE /api/apps/shop/stacks/back': noContent(),
      'GET /api/apps/shop/stacks/gone/releases': fail('not_found', 'app shop has no stack gone', 'list the stacks with `slipway stacks ls --app shop`'),
      'POST /api/apps/shop/stacks/lint': json({ services: [{ name: 'web', image: 'busybox', replicas: 2 }] }),
    });
  });
  after(() => api.close());

  it('deploy sends every -c file and the .env beside the first, follows the run and names the live release', async () => {
    const io = await apiIO(api, dir);
    assert.equal(await main(['stacks', 'deploy', 'back', '-c', 'compose.yml', '-c', 'override.yml', '--app', 'shop'], io), 0, io.stderr.text);
    assert.deepEqual(bodyJson(api.requests.find((r) => r.path === '/api/apps/shop/stacks/back/deploy')), {
      files: [
        { path: 'compose.yml', text: 'services:\n  web:\n    image: busybox\n' },
        { path: 'override.yml', text: 'services:\n  web:\n    deploy: { replicas: 2 }\n' },
        { path: '.env', text: 'TAG=1\n' },
      ],
    });
    assert.match(io.stdout.text, /--> stack back: release 3\nsucceeded: stack back of shop: release #4 \(rollback to #1\) is live\n/);
  });

  it('deploy --redeploy-on sends the apps to follow', async () => {
    const io = await apiIO(api, dir);
    assert.equal(await main(['stacks', 'deploy', 'back', '-c', 'compose.yml', '--redeploy-on', 'api', '--redeploy-on', 'worker', '--app', 'shop'], io), 0, io.stderr.text);
    const body = bodyJson(api.requests.filter((r) => r.path === '/api/apps/shop/stacks/back/deploy').at(-1)) as { redeployOn?: string[] };
    assert.deepEqual(body.redeployOn, ['api', 'worker']);
  });

  it('deploy and lint need -c and --app, and refuse a bad stack name, before any request', async () => {
    const before = api.requests.length;
    for (const [argv, message] of [
      [['stacks', 'deploy', 'back', '--app', 'shop'], /no compose file given/],
      [['stacks', 'deploy', 'back', '-c', 'compose.yml'], /--app/],
      [['stacks', 'deploy', 'Back', '-c', 'compose.yml', '--app', 'shop'], /invalid stack name "Back"/],
      [['stacks', 'deploy', 'back', '-c', 'missing.yml', '--app', 'shop'], /cannot read missing\.yml/],
    ] as const) {
      const io = await apiIO(api, dir);
      assert.equal(await main([...argv], io), 2, io.stderr.text);
      assert.match(io.stderr.text, message);
    }
    assert.equal(api.requests.length, before);
  });

  it('lint prints the services the files would deploy', async () => {
    const io = await apiIO(api, dir);
    assert.equal(await main(['stacks', 'lint', '-c', 'compose.yml', '--app', 'shop'], io), 0, io.stderr.text);
    assert.equal(bodyJson(api.requests.at(-1)) !== null, true);
    assert.match(io.stdout.text, /^SERVICE\s+IMAGE\s+REPLICAS\nweb\s+busybox\s+2\nok\n$/);
  });

  it('releases lists them newest first with errors; an unknown stack says how to list them', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['stacks', 'releases', 'back', '--app', 'shop'], io), 0, io.stderr.text);
    const lines = io.stdout.text.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^RELEASE\s+STATUS\s+RUN\s+BY\s+CREATED\s+FILES$/);
    assert.match(lines[1] ?? '', /^#4\s+live \(rollback to #1\)\s+#44\s+ana\s+2030-01-01 00:00Z\s+compose\.yml, \.env$/);
    assert.equal(lines.at(-1), '#3: service web did not become healthy');
    const gone = await apiIO(api);
    assert.equal(await main(['stacks', 'releases', 'gone', '--app', 'shop'], gone), 4);
    assert.match(gone.stderr.text, /app shop has no stack gone\nhint: list the stacks with `slipway stacks ls --app shop`/);
  });

  it('rollback sends the release number (or none) and follows the run', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['stacks', 'rollback', 'back', '#1', '--app', 'shop'], io), 0, io.stderr.text);
    assert.deepEqual(bodyJson(api.requests.filter((r) => r.path === '/api/apps/shop/stacks/back/rollback').at(-1)), { release: 1 });
    const none = await apiIO(api);
    assert.equal(await main(['stacks', 'rollback', 'back', '--app', 'shop'], none), 0, none.stderr.text);
    assert.deepEqual(bodyJson(api.requests.filter((r) => r.path === '/api/apps/shop/stacks/back/rollback').at(-1)), {});
  });

  it('ls, services, ps, diff and rm print in domain words', async () => {
    const ls = await apiIO(api);
    assert.equal(await main(['stacks', 'ls', '--app', 'shop'], ls), 0, ls.stderr.text);
    assert.match(ls.stdout.text, /^STACK\s+LIVE\s+RELEASES\s+SERVICES\nback\s+#4\s+3\s+2\n$/);
    const services = await apiIO(api);
    assert.equal(await main(['stacks', 'services', 'back', '--app', 'shop'], services), 0);
    assert.match(services.stdout.text, /\nweb\s+busybox:1\s+1\/2\s+slipway-stack-shop_back_web\n$/);
    const ps = await apiIO(api);
    assert.equal(await main(['stacks', 'ps', 'back', '--app', 'shop'], ps), 0);
    assert.match(ps.stdout.text, /\nweb\s+abcdef123456\s+running\s+running\s+n1\s+2030-01-01 00:00Z/);
    const diff = await apiIO(api);
    assert.equal(await main(['stacks', 'diff', 'back', '1', '4', '--app', 'shop'], diff), 0);
    assert.equal(api.requests.at(-1)?.path, '/api/apps/shop/stacks/back/diff?from=1&to=4');
    assert.equal(diff.stdout.text, 'stack back: release #1 → #4\n~ web\n    image busybox:1 → busybox:4\n- db\n    image postgres\n');
    const rm = await apiIO(api);
    assert.equal(await main(['stacks', 'rm', 'back', '--app', 'shop'], rm), 0);
    assert.equal(rm.stdout.text, 'removed stack back of shop\n');
  });
});
