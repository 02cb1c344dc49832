// ScheduleOps with the memory store: validation of name, expression and branch, next time from now, the app's
// branch by default, replacing, removing, and "run now" (a cron run that leaves the next time alone).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../adapters/store/memory.js';
import { SlipwayError } from '../core/errors.js';
import type { Store } from '../core/ports/store.js';
import type { App } from '../core/types.js';
import { Scheduler } from '../trigger/scheduler.js';
import { parseInput } from './http/body.js';
import { scheduleBody } from './http/schemas.js';
import { ScheduleOps } from './schedules.js';

const NOW = new Date('2030-01-01T12:00:30.000Z');

type CheckedOps = Pick<ScheduleOps, 'list' | 'remove' | 'runNow'> & { put(app: string, body: unknown): ReturnType<ScheduleOps['put']> };

async function setup(): Promise<{ store: Store; ops: CheckedOps }> {
  const store = createMemoryStore({ now: () => NOW });
  await store.createApp({ name: 'web', domain: 'web.example.com', port: 3000, replicas: 1, branch: 'trunk' });
  const apps = {
    async get(name: string): Promise<App> {
      const app = await store.getApp(name);
      if (!app) throw new SlipwayError('not_found', `no app named ${JSON.stringify(name)}`);
      return app;
    },
  };
  const scheduler = new Scheduler({
    store,
    now: () => NOW,
    headOf: async (_app, branch) => (branch === 'trunk' ? 'a'.repeat(40) : null),
    enqueue: (run) => store.createRun(run),
  });
  const ops = new ScheduleOps({ store, apps, scheduler, now: () => NOW });
  // As the route does: the body checked by its schema, then the operation.
  const checked: CheckedOps = {
    put: async (app, body) => ops.put(app, parseInput(scheduleBody, body)),
    list: (app) => ops.list(app),
    remove: (app, name) => ops.remove(app, name),
    runNow: (app, name) => ops.runNow(app, name),
  };
  return { store, ops: checked };
}

const kind = (k: string, field?: string) => (err: unknown) => {
  assert.ok(err instanceof SlipwayError, String(err));
  assert.equal(err.kind, k, err.message);
  if (field !== undefined) assert.equal(err.field, field);
  return true;
};

describe('schedule operations', () => {
  it('sets a schedule on the app\'s branch with its next time from now, and replaces it', async () => {
    const { ops } = await setup();
    const s = await ops.put('web', { name: 'nightly', expr: ' 0 3 * * * ' });
    assert.deepEqual([s.name, s.expr, s.branch, s.nextAt, s.lastRunId], ['nightly', '0 3 * * *', 'trunk', '2030-01-02T03:00:00.000Z', null]);
    const replaced = await ops.put('web', { name: 'nightly', expr: '*/10 * * * *', branch: 'release/1.x' });
    assert.deepEqual([replaced.branch, replaced.nextAt], ['release/1.x', '2030-01-01T12:10:00.000Z']);
    assert.deepEqual((await ops.list('web')).map((x) => x.name), ['nightly']);
  });

  it('refuses a bad body, expression, name, branch or app', async () => {
    const { ops } = await setup();
    await assert.rejects(ops.put('web', {}), kind('invalid_input'));
    await assert.rejects(ops.put('web', { name: 'n', expr: 5 }), kind('invalid_input'));
    await assert.rejects(ops.put('web', { name: 'n', expr: '61 * * * *' }), kind('invalid_input', 'expr'));
    await assert.rejects(ops.put('web', { name: 'bad name', expr: '@daily' }), kind('invalid_input', 'name'));
    for (const branch of ['', '-x', 'a..b', 'a b', 7]) {
      await assert.rejects(ops.put('web', { name: 'n', expr: '@daily', branch }), kind('invalid_input', 'branch'), String(branch));
    }
    await assert.rejects(ops.put('ghost', { name: 'n', expr: '@daily' }), kind('not_found'));
    await assert.rejects(ops.list('ghost'), kind('not_found'));
    assert.deepEqual(await ops.list('web'), []);
  });

  it('removes a schedule; a missing one is not_found', async () => {
    const { store, ops } = await setup();
    await ops.put('web', { name: 'nightly', expr: '@daily' });
    await ops.remove('web', 'nightly');
    assert.deepEqual(await ops.list('web'), []);
    await assert.rejects(ops.remove('web', 'nightly'), kind('not_found', 'name'));
    assert.deepEqual((await store.listEvents(2)).map((e) => e.type), ['schedule.deleted', 'schedule.set']);
  });

  it('runs a schedule now: a cron run with its name; the next time stays, the last run is recorded', async () => {
    const { store, ops } = await setup();
    await ops.put('web', { name: 'nightly', expr: '0 3 * * *' });
    const run = await ops.runNow('web', 'nightly');
    const details = await store.getRunDetails(run.id);
    assert.deepEqual([run.ref, details?.event, details?.cronName], ['refs/heads/trunk', 'cron', 'nightly']);
    const [s] = await ops.list('web');
    assert.deepEqual([s?.nextAt, s?.lastRunId], ['2030-01-02T03:00:00.000Z', run.id]);
    await assert.rejects(ops.runNow('web', 'nope'), kind('not_found', 'name'));
    await ops.put('web', { name: 'rel', expr: '@daily', branch: 'release' });
    await assert.rejects(ops.runNow('web', 'rel'), kind('not_found', 'branch'));
  });
});
