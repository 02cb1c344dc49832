// `slipway status`, `releases` and `runs`: the GET each makes and the text it prints.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main } from '../main.js';
import { json, startFakeApi, type FakeApi } from '../testing/fake-api.js';
import { appStatus, DIGEST, release, run } from '../testing/fixtures.js';
import { apiIO } from '../testing/test-io.js';

describe('slipway status, releases, runs', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi({
      'GET /api/apps/hello': json(appStatus()),
      'GET /api/apps/fresh': json(appStatus({ release: null, lastRun: null, tasks: [], replicas: { desired: 1, running: 0, healthy: 0 } })),
      'GET /api/apps/hello/releases': json({
        releases: [
          release({ number: 4, status: 'live', rollbackOf: 2, commit: 'aaaaaaaaaa' }),
          release({ number: 3, status: 'failed', deployedAt: null }),
        ],
      }),
      'GET /api/apps/hello/runs': json({
        runs: [
          run({ id: 13, status: 'failed', source: 'git', ref: 'main', error: { kind: 'build_failed', message: 'npm ci exited 1' } }),
          run({ id: 12, status: 'succeeded', source: 'rollback', targetRelease: 2 }),
        ],
      }),
      'GET /api/apps/fresh/runs': json({ runs: [] }),
    });
  });
  after(() => api.close());

  it('status shows release, digest, replicas, tasks and last run', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['status', 'hello'], io), 0);
    assert.equal(api.requests.at(-1)?.path, '/api/apps/hello');
    const out = io.stdout.text;
    assert.match(out, /^release   #3 live \(commit 1234567, 2024-05-01 12:32Z\)$/m);
    assert.match(out, new RegExp(`^image     127\\.0\\.0\\.1:5000/slipway/hello@${DIGEST}$`, 'm'));
    assert.match(out, /^replicas  2\/2 running, 1 healthy$/m);
    assert.match(out, /^last run  #12 succeeded \(upload, 2024-05-01 12:30Z\)$/m);
    assert.match(out, /^TASK +STATE +DESIRED +IMAGE +NODE +MESSAGE$/m);
    assert.match(out, /^task1abcdefg +running +running +sha256:ab12cd34ef56 +node-1 +started$/m);
    assert.match(out, /^task2abcdefg +starting +running +sha256:ab12cd34ef56 +- +starting$/m);
  });

  it('status of an app that never deployed', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['status', 'fresh'], io), 0);
    assert.match(io.stdout.text, /^release   none yet$/m);
    assert.match(io.stdout.text, /^replicas  0\/1 running, 0 healthy$/m);
    assert.doesNotMatch(io.stdout.text, /TASK/);
  });

  it('releases prints number, status, short commit, short digest, created', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['releases', 'hello'], io), 0);
    assert.equal(
      io.stdout.text,
      [
        'RELEASE  STATUS                 COMMIT   IMAGE                CREATED',
        '#4       live (rollback to #2)  aaaaaaa  sha256:ab12cd34ef56  2024-05-01 12:31Z',
        '#3       failed                 1234567  sha256:ab12cd34ef56  2024-05-01 12:31Z',
        '',
      ].join('\n'),
    );
  });

  it('runs lists runs with their source and error', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['runs', 'hello'], io), 0);
    const lines = io.stdout.text.split('\n');
    assert.match(lines[0] ?? '', /^RUN +STATUS +SOURCE +COMMIT +CREATED +ERROR$/);
    assert.match(lines[1] ?? '', /^#13 +failed +git main +9f8e7d6 +2024-05-01 12:30Z +build_failed: npm ci exited 1$/);
    assert.match(lines[2] ?? '', /^#12 +succeeded +rollback to #2 +9f8e7d6 +2024-05-01 12:30Z$/);
    const fresh = await apiIO(api);
    assert.equal(await main(['runs', 'fresh'], fresh), 0);
    assert.equal(fresh.stdout.text, 'fresh has no runs yet\n');
  });

  it('colours statuses only on a terminal', async () => {
    const io = await apiIO(api);
    const tty = { ...io, stdout: Object.assign(io.stdout, { isTTY: true }) };
    assert.equal(await main(['runs', 'hello'], tty), 0);
    assert.match(io.stdout.text, /\u001b\[31mfailed\u001b\[0m/);
    const noColour = await apiIO(api);
    const off = { ...noColour, env: { ...noColour.env, NO_COLOR: '1' }, stdout: Object.assign(noColour.stdout, { isTTY: true }) };
    assert.equal(await main(['runs', 'hello'], off), 0);
    assert.doesNotMatch(noColour.stdout.text, /\u001b\[/);
  });
});
