// `slipway cron add|list|rm|run`: the request each makes against the fake API, what it prints, and argument errors.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main } from '../../main.js';
import { bodyJson, fail, json, noContent, startFakeApi, TOKEN, type FakeApi } from '../../testing/fake-api.js';
import { apiIO } from '../../testing/test-io.js';

const nightly = { app: 'hello', name: 'nightly', expr: '0 3 * * *', branch: 'main', nextAt: '2030-01-02T03:00:00.000Z', lastRunId: null, createdAt: '2030-01-01T00:00:00.000Z' };
const run = { id: 42, app: 'hello', source: 'git', ref: 'refs/heads/main', commit: 'a'.repeat(40), status: 'queued', phase: 'queued', targetRelease: null, releaseId: null, error: null, createdAt: '2030-01-01T00:00:00.000Z', startedAt: null, finishedAt: null };

describe('slipway cron', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi({
      'PUT /api/apps/hello/schedules': (req, res) => {
        const body = bodyJson(req) as { name: string; expr: string; branch?: string };
        if (body.expr === 'bogus') return fail('invalid_input', 'invalid cron expression "bogus": it has 1 field, not 5', 'use five fields', 'expr')(req, res);
        return json({ schedule: { ...nightly, name: body.name, expr: body.expr, branch: body.branch ?? 'main' } })(req, res);
      },
      'GET /api/apps/hello/schedules': json({ schedules: [nightly, { ...nightly, name: 'weekly', expr: '@weekly', branch: 'develop', nextAt: '2030-01-06T00:00:00.000Z', lastRunId: 7 }] }),
      'GET /api/apps/bare/schedules': json({ schedules: [] }),
      'DELETE /api/apps/hello/schedules/nightly': noContent(),
      'DELETE /api/apps/hello/schedules/gone': fail('not_found', 'schedule "gone" of app "hello" not found'),
      'POST /api/apps/hello/schedules/nightly/run': json({ run }, 202),
      'POST /api/apps/hello/schedules/unpushed/run': fail('not_found', 'branch release has not been pushed to hello', 'push it first'),
    });
  });
  after(() => api.close());

  describe('add', () => {
    it('PUTs {name, expr} with the token and prints the next run', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['cron', 'add', 'hello', 'nightly', '0 3 * * *'], io), 0, io.stderr.text);
      const req = api.requests.at(-1);
      assert.deepEqual([req?.method, req?.path], ['PUT', '/api/apps/hello/schedules']);
      assert.equal(req?.headers.authorization, `Bearer ${TOKEN}`);
      assert.deepEqual(bodyJson(req), { name: 'nightly', expr: '0 3 * * *' });
      assert.equal(io.stdout.text, 'schedule nightly of hello: "0 3 * * *" on main, next run 2030-01-02 03:00Z\n');
    });

    it('--branch is sent; a bad branch is refused before any request', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['cron', 'add', 'hello', 'dev', '@daily', '--branch', 'develop'], io), 0, io.stderr.text);
      assert.deepEqual(bodyJson(api.requests.at(-1)), { name: 'dev', expr: '@daily', branch: 'develop' });
      const before = api.requests.length;
      const bad = await apiIO(api);
      assert.equal(await main(['cron', 'add', 'hello', 'dev', '@daily', '--branch=a..b'], bad), 2);
      assert.match(bad.stderr.text, /^error: invalid branch "a..b"/);
      assert.equal(api.requests.length, before);
    });

    it('shows the server\'s error for an invalid expression, with its hint', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['cron', 'add', 'hello', 'nightly', 'bogus'], io), 2);
      assert.equal(io.stderr.text, 'error: invalid cron expression "bogus": it has 1 field, not 5\nhint: use five fields\n');
    });

    it('needs app, name and expression, and refuses an unquoted expression', async () => {
      for (const [argv, message] of [
        [['cron', 'add', 'hello', 'nightly'], /^error: missing <expr>\n/],
        [['cron', 'add', 'hello'], /^error: missing <name>\n/],
        [['cron', 'add', 'hello', 'nightly', '0', '3', '*', '*', '*'], /^error: unexpected argument "3"\n/],
      ] as const) {
        const io = await apiIO(api);
        assert.equal(await main([...argv], io), 2);
        assert.match(io.stderr.text, message);
      }
    });
  });

  describe('list', () => {
    it('prints a table of the schedules', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['cron', 'list', 'hello'], io), 0, io.stderr.text);
      assert.deepEqual([api.requests.at(-1)?.method, api.requests.at(-1)?.path], ['GET', '/api/apps/hello/schedules']);
      const lines = io.stdout.text.trimEnd().split('\n');
      assert.equal(lines.length, 3);
      assert.match(lines[0] ?? '', /^NAME\s+SCHEDULE\s+BRANCH\s+NEXT\s+LAST RUN$/);
      assert.match(lines[1] ?? '', /^nightly\s+0 3 \* \* \*\s+main\s+2030-01-02 03:00Z\s+-$/);
      assert.match(lines[2] ?? '', /^weekly\s+@weekly\s+develop\s+2030-01-06 00:00Z\s+#7$/);
    });

    it('says how to add one when there are none', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['cron', 'list', 'bare'], io), 0);
      assert.equal(io.stdout.text, 'bare has no schedules; add one with "slipway cron add bare nightly \\"0 3 * * *\\""\n');
    });
  });

  describe('rm', () => {
    it('DELETEs the schedule', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['cron', 'rm', 'hello', 'nightly'], io), 0, io.stderr.text);
      assert.deepEqual([api.requests.at(-1)?.method, api.requests.at(-1)?.path], ['DELETE', '/api/apps/hello/schedules/nightly']);
      assert.equal(io.stdout.text, 'removed schedule nightly from hello\n');
    });

    it('a missing schedule is an error', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['cron', 'rm', 'hello', 'gone'], io), 4);
      assert.match(io.stderr.text, /^error: schedule "gone" of app "hello" not found\n/);
    });
  });

  describe('run', () => {
    it('POSTs to run the schedule now and says how to follow the run', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['cron', 'run', 'hello', 'nightly'], io), 0, io.stderr.text);
      assert.deepEqual([api.requests.at(-1)?.method, api.requests.at(-1)?.path], ['POST', '/api/apps/hello/schedules/nightly/run']);
      assert.match(io.stdout.text, /^run #42 queued for hello: cron run of schedule nightly\n/);
    });

    it('an unpushed branch is an error with the hint', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['cron', 'run', 'hello', 'unpushed'], io), 4);
      assert.equal(io.stderr.text, 'error: branch release has not been pushed to hello\nhint: push it first\n');
    });
  });

  it('is listed in help, and the group lists its commands', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['help'], io), 0);
    assert.match(io.stdout.text, /cron\s+run an app's pipeline on a schedule/);
    const group = await apiIO(api);
    assert.equal(await main(['cron', '--help'], group), 0);
    for (const sub of ['add', 'list', 'rm', 'run']) assert.match(group.stdout.text, new RegExp(`\\b${sub}\\b`));
  });
});
