// What only a SQLite file can show about the pipeline tables: upgrading a 0001 database, reopening, corrupt rows.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { newApp, newRun, slipwayError } from './conformance-kit.js';
import { openSqliteStore } from './sqlite.js';

const FIXTURE_0001 = new URL('./fixtures/schema-0001.sql', import.meta.url);
const sealed = 'v1:aXY=:dGFn:Y2lwaGVy';

describe('sqlite store, pipeline tables', () => {
  let root = '';
  let count = 0;
  const freshFile = () => join(root, `t${++count}.db`);
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipway-store-pipelines-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  function raw<T>(file: string, fn: (db: BetterSqlite3.Database) => T): T {
    const db = new BetterSqlite3(file);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  }

  it('upgrades a database made by 0001 alone, keeping its data and reading old runs as pushes and rollbacks', async () => {
    const file = freshFile();
    const dump = await readFile(FIXTURE_0001, 'utf8');
    raw(file, (db) => db.exec(dump));
    const store = await openSqliteStore(file);
    try {
      const applied = raw(file, (db) => db.prepare('SELECT name FROM kysely_migration ORDER BY name').all());
      assert.deepEqual(applied, [{ name: '0001_initial' }, { name: '0002_pipelines' }, { name: '0003_schedules' }, { name: '0004_deploy_targets' }, { name: '0005_forges' }, { name: '0006_app_concurrency' }, { name: '0007_run_resumes' }, { name: '0008_app_domain_unique' }, { name: '0009_run_logs_pruned' }, { name: '0010_users_roles' }, { name: '0011_stack_releases' }, { name: '0012_app_config' }]);

      assert.equal((await store.getApp('web'))?.replicas, 2);
      assert.equal((await store.getApp('web'))?.concurrency, 1, 'apps made before the setting run one at a time, as they did');
      const [rollback, push] = await store.listRuns('web', 10);
      assert.equal(push?.status, 'succeeded');
      assert.equal(rollback?.source, 'rollback');
      assert.equal(await store.readRunLog(1), 'Step 1/3 : FROM node:20\n');
      assert.equal((await store.liveRelease('web'))?.number, 1);
      assert.equal(await store.getSetting('registry'), 'registry.local');
      assert.deepEqual((await store.listEvents(5)).map((e) => e.data), [{ release: 1 }]);
      const plain = { params: {}, restartOf: null, workspace: null, plan: null, cancelRequested: false, cronName: null, target: null, fromFork: false, sourceBranch: null, resumes: 0 };
      assert.deepEqual(await store.getRunDetails(1), { event: 'push', ...plain });
      assert.deepEqual(await store.getRunDetails(2), { event: 'rollback', ...plain });

      // The new parts work on the upgraded file, and numbering continues.
      await store.setSecret('web', 'TOKEN', sealed);
      await store.upsertSchedule({ app: 'web', name: 'nightly', expr: '@daily', branch: 'main', nextAt: '2030-01-01T00:00:00.000Z' });
      await store.markScheduleFired('web', 'nightly', 1, '2030-01-02T00:00:00.000Z');
      assert.equal((await store.listSchedules('web'))[0]?.lastRunId, 1);
      await assert.rejects(store.createRun({ ...newRun('web'), restartOf: 9999 }), slipwayError('not_found', 'restartOf'));
      const restart = await store.createRun({ ...newRun('web'), restartOf: 1 });
      assert.equal(restart.id, 3);
      await store.saveRunSteps(restart.id, [{ pipeline: 'test', name: 'unit', status: 'pending', skipReason: null }]);
      await store.appendStepLog(restart.id, 'test', 'unit', 'ok\n');
      assert.equal(await store.readStepLog(restart.id, 'test', 'unit'), 'ok\n');
      assert.equal((await store.createRelease({
        app: 'web', image: 'i', commit: 'c', runId: restart.id, rollbackOf: null,
        spec: { app: 'web', image: 'i', port: 3000, replicas: 1, env: {} },
      })).number, 2);
    } finally {
      await store.close();
    }
    // An upgraded database has exactly the schema of a new one.
    const fresh = freshFile();
    await (await openSqliteStore(fresh)).close();
    const schema = (f: string) => raw(f, (db) => db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all());
    assert.deepEqual(schema(file), schema(fresh));
  });

  it('keeps details, steps, step logs and secrets across close and reopen', async () => {
    const file = freshFile();
    const first = await openSqliteStore(file);
    await first.createApp(newApp('web'));
    await first.setSecret('web', 'TOKEN', sealed);
    const run = await first.createRun({ ...newRun('web'), event: 'manual', params: { A: '1' } });
    const details = await first.updateRunDetails(run.id, { workspace: 'ws', plan: { pipelines: [] }, cancelRequested: true });
    await first.saveRunSteps(run.id, [{ pipeline: 'p', name: 's', status: 'pending', skipReason: null }]);
    const stepped = await first.updateRunStep(run.id, 'p', 's', { status: 'failed', exitCode: 2, error: 'e', startedAt: 'a', finishedAt: 'b' });
    await first.appendStepLog(run.id, 'p', 's', 'out\n');
    const names = await first.listSecretNames('web');
    await first.close();

    const second = await openSqliteStore(file);
    try {
      assert.deepEqual(await second.getRunDetails(run.id), details);
      assert.deepEqual(await second.listRunSteps(run.id), [stepped]);
      assert.equal(await second.readStepLog(run.id, 'p', 's'), 'out\n');
      assert.deepEqual(await second.listSecretNames('web'), names);
      assert.deepEqual(await second.getSealedSecrets('web'), { TOKEN: sealed });
    } finally {
      await second.close();
    }
    // What is on disk is the sealed text, nothing else.
    assert.deepEqual(raw(file, (db) => db.prepare('SELECT app, name, sealed FROM secrets').all()), [{ app: 'web', name: 'TOKEN', sealed }]);
  });

  it('reports corrupt pipeline columns as a SlipwayError naming the column', async () => {
    const file = freshFile();
    const store = await openSqliteStore(file);
    try {
      const run = await store.createRun(newRun('web'));
      await store.saveRunSteps(run.id, [{ pipeline: 'p', name: 's', status: 'pending', skipReason: null }]);
      const cases: [string, () => Promise<unknown>, string][] = [
        ["UPDATE run_steps SET status = 'paused'", () => store.listRunSteps(run.id), 'run_steps.status'],
        ["UPDATE runs SET event = 'bogus'", () => store.getRunDetails(run.id), 'runs.event'],
        ["UPDATE runs SET event = 'push', params = '[1]'", () => store.getRunDetails(run.id), 'runs.params'],
        ['UPDATE runs SET params = \'{"A":1}\'', () => store.updateRunDetails(run.id, {}), 'runs.params'],
        ["UPDATE runs SET params = NULL, plan = '{'", () => store.getRunDetails(run.id), 'runs.plan'],
        ['UPDATE runs SET plan = NULL, cancel_requested = 2', () => store.getRunDetails(run.id), 'runs.cancel_requested'],
      ];
      for (const [update, read, field] of cases) {
        raw(file, (db) => db.exec(update));
        await assert.rejects(read(), slipwayError('internal', field), update);
      }
    } finally {
      await store.close();
    }
  });
});
