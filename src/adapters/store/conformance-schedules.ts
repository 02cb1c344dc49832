// Store conformance: cron schedules — upsert keeps history, listing, due selection and order, firing, deletion,
// leaving with the app — and the cron name a cron run carries in its details.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NewSchedule } from '../../core/ports/store.js';
import { newApp, newRun, slipwayError, tickingClock, withStore, type OpenStore } from './conformance-kit.js';

const schedule = (app: string, name: string, nextAt: string, expr = '0 3 * * *', branch = 'main'): NewSchedule => ({ app, name, expr, branch, nextAt });

export function scheduleConformance(open: OpenStore): void {
  describe('schedules', () => {
    it('upserts: a new schedule starts without a run; replacing keeps createdAt and lastRunId', async () => {
      const clock = tickingClock();
      await withStore(open, async (store) => {
        await store.createApp(newApp('web')); // tick 0
        const created = await store.upsertSchedule(schedule('web', 'nightly', '2030-01-02T03:00:00.000Z')); // tick 1
        assert.deepEqual(created, { ...schedule('web', 'nightly', '2030-01-02T03:00:00.000Z'), lastRunId: null, createdAt: clock.at(1) });
        const run = await store.createRun(newRun('web'));
        await store.markScheduleFired('web', 'nightly', run.id, '2030-01-03T03:00:00.000Z');
        const replaced = await store.upsertSchedule(schedule('web', 'nightly', '2030-01-01T05:00:00.000Z', '0 5 * * *', 'release'));
        assert.deepEqual(replaced, { ...schedule('web', 'nightly', '2030-01-01T05:00:00.000Z', '0 5 * * *', 'release'), lastRunId: run.id, createdAt: clock.at(1) });
        assert.deepEqual(await store.listSchedules('web'), [replaced]);
      }, { now: clock.now });
    });

    it('lists an app\'s schedules by name; other apps and unknown apps are separate', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        await store.createApp(newApp('api'));
        await store.upsertSchedule(schedule('web', 'weekly', '2030-01-05T00:00:00.000Z'));
        await store.upsertSchedule(schedule('web', 'hourly', '2030-01-01T01:00:00.000Z'));
        await store.upsertSchedule(schedule('api', 'hourly', '2030-01-01T01:00:00.000Z'));
        assert.deepEqual((await store.listSchedules('web')).map((s) => s.name), ['hourly', 'weekly']);
        assert.deepEqual((await store.listSchedules('api')).map((s) => [s.app, s.name]), [['api', 'hourly']]);
        assert.deepEqual(await store.listSchedules('nope'), []);
      });
    });

    it('refuses schedules of an unknown app and invalid names', async () => {
      await withStore(open, async (store) => {
        await assert.rejects(store.upsertSchedule(schedule('nope', 'nightly', '2030-01-01T00:00:00.000Z')), slipwayError('not_found', 'app'));
        await store.createApp(newApp('web'));
        for (const name of ['', '-x', '.x', 'a b', 'a/b', 'ä', `n${'x'.repeat(63)}`]) {
          await assert.rejects(store.upsertSchedule(schedule('web', name, '2030-01-01T00:00:00.000Z')), slipwayError('invalid_input', 'name'), JSON.stringify(name));
        }
        for (const name of ['nightly', 'A', '0', 'db.backup-2_x', `n${'x'.repeat(62)}`]) await store.upsertSchedule(schedule('web', name, '2030-01-01T00:00:00.000Z'));
        assert.equal((await store.listSchedules('web')).length, 5);
      });
    });

    it('gives the due schedules (nextAt <= now), soonest first, then by app and name', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        await store.createApp(newApp('api'));
        await store.upsertSchedule(schedule('web', 'b', '2030-01-01T02:00:00.000Z'));
        await store.upsertSchedule(schedule('web', 'a', '2030-01-01T02:00:00.000Z'));
        await store.upsertSchedule(schedule('api', 'z', '2030-01-01T02:00:00.000Z'));
        await store.upsertSchedule(schedule('web', 'early', '2030-01-01T01:00:00.000Z'));
        await store.upsertSchedule(schedule('web', 'later', '2030-01-01T02:00:00.001Z'));
        assert.deepEqual(await store.dueSchedules('2030-01-01T00:59:59.999Z'), []);
        assert.deepEqual((await store.dueSchedules('2030-01-01T02:00:00.000Z')).map((s) => `${s.app}/${s.name}`), ['web/early', 'api/z', 'web/a', 'web/b']);
        assert.equal((await store.dueSchedules('2031-01-01T00:00:00.000Z')).length, 5);
      });
    });

    it('marks a firing: nextAt moves on, lastRunId is set (kept when nothing was queued)', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        await store.upsertSchedule(schedule('web', 'nightly', '2030-01-01T03:00:00.000Z'));
        const run = await store.createRun(newRun('web'));
        const fired = await store.markScheduleFired('web', 'nightly', run.id, '2030-01-02T03:00:00.000Z');
        assert.deepEqual([fired.nextAt, fired.lastRunId], ['2030-01-02T03:00:00.000Z', run.id]);
        const skipped = await store.markScheduleFired('web', 'nightly', null, '2030-01-03T03:00:00.000Z');
        assert.deepEqual([skipped.nextAt, skipped.lastRunId], ['2030-01-03T03:00:00.000Z', run.id]);
        assert.deepEqual(await store.listSchedules('web'), [skipped]);
        assert.deepEqual(await store.dueSchedules('2030-01-02T12:00:00.000Z'), []);
        await assert.rejects(store.markScheduleFired('web', 'nope', null, '2030-01-01T00:00:00.000Z'), slipwayError('not_found', 'name'));
        await assert.rejects(store.markScheduleFired('web', 'nightly', 9999, '2030-01-01T00:00:00.000Z'), slipwayError('not_found', 'runId'));
        assert.deepEqual(await store.listSchedules('web'), [skipped]);
      });
    });

    it('deletes one schedule; a missing one is not_found', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        await store.upsertSchedule(schedule('web', 'a', '2030-01-01T00:00:00.000Z'));
        await store.upsertSchedule(schedule('web', 'b', '2030-01-01T00:00:00.000Z'));
        await store.deleteSchedule('web', 'a');
        assert.deepEqual((await store.listSchedules('web')).map((s) => s.name), ['b']);
        await assert.rejects(store.deleteSchedule('web', 'a'), slipwayError('not_found', 'name'));
        await assert.rejects(store.deleteSchedule('nope', 'b'), slipwayError('not_found', 'name'));
      });
    });

    it('removes an app\'s schedules with the app', async () => {
      await withStore(open, async (store) => {
        await store.createApp(newApp('web'));
        await store.createApp(newApp('api'));
        await store.upsertSchedule(schedule('web', 'nightly', '2030-01-01T00:00:00.000Z'));
        await store.upsertSchedule(schedule('api', 'nightly', '2030-01-01T00:00:00.000Z'));
        await store.deleteApp('web');
        assert.deepEqual((await store.dueSchedules('2031-01-01T00:00:00.000Z')).map((s) => s.app), ['api']);
        await store.createApp(newApp('web'));
        assert.deepEqual(await store.listSchedules('web'), []);
      });
    });

    it('a cron run carries its schedule\'s name in its details; other runs carry null', async () => {
      await withStore(open, async (store) => {
        const cron = await store.createRun({ ...newRun('web'), event: 'cron', cronName: 'nightly' });
        const push = await store.createRun(newRun('web'));
        assert.deepEqual([(await store.getRunDetails(cron.id))?.event, (await store.getRunDetails(cron.id))?.cronName], ['cron', 'nightly']);
        assert.equal((await store.getRunDetails(push.id))?.cronName, null);
        assert.equal((await store.updateRunDetails(cron.id, { cancelRequested: true })).cronName, 'nightly');
      });
    });
  });
}
