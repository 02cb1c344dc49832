// Cron schedules on a real server: a schedule's run (run now, and then by the scheduler itself) has event cron and
// the schedule's name, so `when: { event: cron, cron: [nightly] }` runs and push-only steps are skipped.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { api, runLog, waitForRunEnd } from './support/api.js';
import { gitInit, gitPush, remoteUrl, removeSources, sampleSource } from './support/app-source.js';
import { startTestSlipway, type TestSlipway } from './support/slipway-process.js';

type Step = { name: string; status: string; skipReason: string | null };
type Schedule = { name: string; expr: string; branch: string; nextAt: string; lastRunId: number | null };
type Run = { id: number; status: string; ref: string | null };

const PIPELINE = `
steps:
  - name: nightly-job
    image: busybox:latest
    commands: [echo "cron=$DRONE_CRON/$CI_PIPELINE_CRON event=$CI_PIPELINE_EVENT"]
    when:
      event: cron
      cron: [nightly]
  - name: on-push
    image: busybox:latest
    commands: [echo pushed]
    when:
      event: push
`;

let slipway: TestSlipway;

before(async () => {
  slipway = await startTestSlipway({ schedulerIntervalMs: 1000 });
  assert.equal((await api(slipway, 'POST', '/api/apps', { name: 'tick', domain: 'tick.e2e.test' })).status, 201);
});

after(async () => {
  await slipway?.destroy();
  await removeSources();
});

const steps = async (runId: number) => (await api<{ steps: Step[] }>(slipway, 'GET', `/api/runs/${runId}/steps`)).json.steps;
const runs = async () => (await api<{ runs: Run[] }>(slipway, 'GET', '/api/apps/tick/runs')).json.runs;

test('a schedule runs the cron steps of the branch head, skipping push steps; run now and by the clock', async () => {
  const dir = await sampleSource('tick-1');
  await writeFile(join(dir, '.slipway.yml'), PIPELINE);
  await gitInit(dir);
  const push = await gitPush(dir, remoteUrl(slipway.url, 'tick', slipway.token), 'main');
  assert.equal(push.code, 0, push.output);
  const [pushRun] = await runs();
  assert.equal((await waitForRunEnd(slipway, pushRun!.id)).status, 'succeeded');
  assert.deepEqual((await steps(pushRun!.id)).map((s) => [s.name, s.status]), [['nightly-job', 'skipped'], ['on-push', 'succeeded']]);

  // An invalid expression is refused with the field at fault.
  const bad = await api<{ error: { kind: string; field?: string; message: string } }>(slipway, 'PUT', '/api/apps/tick/schedules', { name: 'nightly', expr: '* * 32 * *' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'expr');
  assert.match(bad.json.error.message, /day-of-month/);

  // First a schedule the clock will not fire during the test (New Year, midnight), so run-now is the only cron run.
  const yearly = await api<{ schedule: Schedule }>(slipway, 'PUT', '/api/apps/tick/schedules', { name: 'nightly', expr: '0 0 1 1 *' });
  assert.equal(yearly.status, 200, JSON.stringify(yearly.json));
  assert.deepEqual([yearly.json.schedule.name, yearly.json.schedule.branch], ['nightly', 'main']);
  assert.match(yearly.json.schedule.nextAt, /^\d{4}-01-01T00:00:00/);

  // Run now: a cron run of the head of main.
  const now = await api<{ run: Run }>(slipway, 'POST', '/api/apps/tick/schedules/nightly/run');
  assert.equal(now.status, 202, JSON.stringify(now.json));
  assert.equal(now.json.run.ref, 'refs/heads/main');
  assert.equal((await waitForRunEnd(slipway, now.json.run.id)).status, 'succeeded');
  assert.deepEqual((await steps(now.json.run.id)).map((s) => [s.name, s.status]), [['nightly-job', 'succeeded'], ['on-push', 'skipped']]);
  assert.match(await runLog(slipway, now.json.run.id), /\[nightly-job\] cron=nightly\/nightly event=cron/);
  const listed = (await api<{ schedules: Schedule[] }>(slipway, 'GET', '/api/apps/tick/schedules')).json.schedules;
  assert.equal(listed[0]?.lastRunId, now.json.run.id);

  // Replaced by one due every minute.
  const put = await api<{ schedule: Schedule }>(slipway, 'PUT', '/api/apps/tick/schedules', { name: 'nightly', expr: '* * * * *' });
  assert.equal(put.status, 200, JSON.stringify(put.json));
  assert.ok(Date.parse(put.json.schedule.nextAt) > Date.now() - 1000 && Date.parse(put.json.schedule.nextAt) <= Date.now() + 60_000);

  // By the clock: within a minute the scheduler queues the next cron run by itself.
  const deadline = Date.now() + 75_000;
  let scheduled: Run | undefined;
  while (!scheduled) {
    assert.ok(Date.now() < deadline, 'the scheduler never fired');
    await new Promise((r) => setTimeout(r, 1000));
    scheduled = (await runs()).find((r) => r.id > now.json.run.id);
  }
  assert.equal((await waitForRunEnd(slipway, scheduled.id)).status, 'succeeded');
  assert.deepEqual((await steps(scheduled.id)).map((s) => [s.name, s.status]), [['nightly-job', 'succeeded'], ['on-push', 'skipped']]);

  // Removed: no more cron runs, and run-now says so.
  assert.equal((await api(slipway, 'DELETE', '/api/apps/tick/schedules/nightly')).status, 204);
  assert.equal((await api(slipway, 'POST', '/api/apps/tick/schedules/nightly/run')).status, 404);
  assert.deepEqual((await api<{ schedules: Schedule[] }>(slipway, 'GET', '/api/apps/tick/schedules')).json.schedules, []);
});
