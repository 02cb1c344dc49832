// The scheduler against the memory store and a fake clock: due schedules queue cron runs with their name, next
// times move on, missed slots fire once, unpushed branches queue nothing (audited), and start/stop.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../adapters/store/memory.js';
import type { NewRun, Schedule, Store } from '../core/ports/store.js';
import { Scheduler } from './scheduler.js';

const HEAD = 'f'.repeat(40);

interface World {
  readonly store: Store;
  readonly scheduler: Scheduler;
  readonly queued: NewRun[];
  readonly errors: unknown[];
  setNow(iso: string): void;
}

async function world(start: string, heads: Record<string, string> = { 'web/main': HEAD }, intervalMs?: number): Promise<World> {
  let now = new Date(start);
  const store = createMemoryStore({ now: () => now });
  await store.createApp({ name: 'web', domain: 'web.example.com', port: 3000, replicas: 1, branch: 'main' });
  const queued: NewRun[] = [];
  const errors: unknown[] = [];
  const scheduler = new Scheduler({
    store,
    now: () => now,
    headOf: async (app, branch) => heads[`${app}/${branch}`] ?? null,
    enqueue: async (run) => {
      queued.push(run);
      return store.createRun(run);
    },
    onError: (err) => errors.push(err),
    ...(intervalMs !== undefined && { intervalMs }),
  });
  return { store, scheduler, queued, errors, setNow: (iso) => (now = new Date(iso)) };
}

const nightly = (nextAt: string, extra: Partial<Schedule> = {}) => ({ app: 'web', name: 'nightly', expr: '0 3 * * *', branch: 'main', nextAt, ...extra });

describe('scheduler', () => {
  it('queues nothing before a schedule is due', async () => {
    const w = await world('2030-01-01T02:59:59.000Z');
    await w.store.upsertSchedule(nightly('2030-01-01T03:00:00.000Z'));
    await w.scheduler.tick();
    assert.deepEqual(w.queued, []);
    assert.equal((await w.store.listSchedules('web'))[0]?.nextAt, '2030-01-01T03:00:00.000Z');
  });

  it('a due schedule queues one cron run of the branch head with its name, and its next time moves on', async () => {
    const w = await world('2030-01-01T03:00:05.000Z');
    await w.store.upsertSchedule(nightly('2030-01-01T03:00:00.000Z'));
    await w.scheduler.tick();
    assert.deepEqual(w.queued, [{ app: 'web', source: 'git', ref: 'refs/heads/main', commit: HEAD, event: 'cron', cronName: 'nightly' }]);
    const [s] = await w.store.listSchedules('web');
    assert.deepEqual([s?.nextAt, s?.lastRunId], ['2030-01-02T03:00:00.000Z', 1]);
    const details = await w.store.getRunDetails(1);
    assert.deepEqual([details?.event, details?.cronName], ['cron', 'nightly']);
    // The same tick again fires nothing: it is no longer due.
    await w.scheduler.tick();
    assert.equal(w.queued.length, 1);
    w.setNow('2030-01-02T03:00:00.000Z');
    await w.scheduler.tick();
    assert.equal(w.queued.length, 2);
    assert.equal((await w.store.listSchedules('web'))[0]?.nextAt, '2030-01-03T03:00:00.000Z');
  });

  it('slots missed while Slipway was down fire once, and the next time is computed from now', async () => {
    const w = await world('2030-01-05T12:34:56.000Z');
    await w.store.upsertSchedule({ ...nightly('2030-01-01T03:00:00.000Z'), name: 'often', expr: '*/5 * * * *' });
    await w.store.upsertSchedule(nightly('2030-01-01T03:00:00.000Z'));
    await w.scheduler.tick();
    assert.deepEqual(w.queued.map((r) => r.cronName), ['nightly', 'often']);
    assert.deepEqual((await w.store.listSchedules('web')).map((s) => [s.name, s.nextAt]), [
      ['nightly', '2030-01-06T03:00:00.000Z'],
      ['often', '2030-01-05T12:35:00.000Z'],
    ]);
    await w.scheduler.tick();
    assert.equal(w.queued.length, 2);
  });

  it('a branch that was never pushed queues no run, records why, and still moves on', async () => {
    const w = await world('2030-01-01T03:00:00.000Z');
    await w.store.upsertSchedule(nightly('2030-01-01T03:00:00.000Z', { branch: 'release' }));
    await w.scheduler.tick();
    assert.deepEqual(w.queued, []);
    assert.deepEqual(await w.store.listRuns('web', 10), []);
    const [s] = await w.store.listSchedules('web');
    assert.deepEqual([s?.nextAt, s?.lastRunId], ['2030-01-02T03:00:00.000Z', null]);
    const [event] = await w.store.listEvents(1);
    assert.deepEqual([event?.type, event?.app, event?.data], ['schedule.skipped', 'web', { name: 'nightly', branch: 'release', reason: 'branch release has not been pushed' }]);
  });

  it('a slot whose run cannot even be asked for (a branch git refuses) is skipped and moves on, not retried every tick', async () => {
    const w = await world('2030-01-01T03:00:00.000Z');
    const scheduler = new Scheduler({
      store: w.store,
      now: () => new Date('2030-01-01T03:00:00.000Z'),
      headOf: async () => {
        throw new Error('invalid branch name "x.lock": a part starts with . or ends with .lock');
      },
      enqueue: async () => assert.fail('nothing is queued'),
      onError: (err) => w.errors.push(err),
    });
    await w.store.upsertSchedule(nightly('2030-01-01T03:00:00.000Z', { branch: 'x.lock' }));
    await scheduler.tick();
    await scheduler.tick();
    assert.equal(w.errors.length, 1, 'reported once, at its slot');
    const [s] = await w.store.listSchedules('web');
    assert.equal(s?.nextAt, '2030-01-02T03:00:00.000Z');
    const [event] = await w.store.listEvents(1);
    assert.equal(event?.type, 'schedule.skipped');
  });

  it('one failing schedule does not stop the others; a broken expression is retried an hour later', async () => {
    const w = await world('2030-01-01T03:00:00.000Z');
    await w.store.upsertSchedule(nightly('2030-01-01T03:00:00.000Z', { name: 'broken', expr: 'not cron' }));
    await w.store.upsertSchedule(nightly('2030-01-01T03:00:00.000Z'));
    await w.scheduler.tick();
    assert.deepEqual(w.queued.map((r) => r.cronName), ['nightly']);
    assert.equal(w.errors.length, 1);
    assert.equal((await w.store.listSchedules('web'))[0]?.nextAt, '2030-01-01T04:00:00.000Z');
  });

  it('queueRun fires a schedule now without touching its next time; null for an unpushed branch', async () => {
    const w = await world('2030-01-01T00:00:00.000Z');
    const s = await w.store.upsertSchedule(nightly('2030-01-01T03:00:00.000Z'));
    const run = await w.scheduler.queueRun({ ...s, lastRunId: null, createdAt: '' });
    assert.equal(run?.id, 1);
    assert.equal(w.queued[0]?.event, 'cron');
    assert.equal(await w.scheduler.queueRun({ ...s, branch: 'nope' }), null);
    assert.equal((await w.store.listSchedules('web'))[0]?.nextAt, '2030-01-01T03:00:00.000Z');
  });

  it('start ticks at once and then on its interval; stop ends it; overlapping ticks are joined', async () => {
    const w = await world('2030-01-01T03:00:00.000Z', undefined, 20);
    await w.store.upsertSchedule(nightly('2030-01-01T03:00:00.000Z', { expr: '* * * * *' }));
    w.scheduler.start();
    w.scheduler.start(); // a second start is harmless
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(w.queued.length, 1);
    w.setNow('2030-01-01T03:01:00.000Z');
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(w.queued.length, 2);
    await w.scheduler.stop();
    w.setNow('2030-01-01T03:02:00.000Z');
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(w.queued.length, 2);
    const [a, b] = [w.scheduler.tick(), w.scheduler.tick()];
    assert.equal(a, b);
    await a;
    assert.equal(w.queued.length, 3);
  });
});
