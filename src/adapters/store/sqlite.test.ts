// Runs the Store conformance suite against real SQLite files, plus what only a file can show: reopen, migrations, corruption.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { newApp, newRelease, newRun, slipwayError } from './conformance-kit.js';
import { openSqliteStore } from './sqlite.js';
import { storeConformance } from './store.conformance.js';

describe('sqlite store', () => {
  let root = '';
  let count = 0;
  const freshFile = () => join(root, `t${++count}`, 'slipway.db');
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipway-store-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  storeConformance(async (options) => {
    const file = freshFile();
    const store = await openSqliteStore(file, options);
    return {
      store,
      dispose: async () => {
        await store.close();
        await rm(join(file, '..'), { recursive: true, force: true });
      },
    };
  });

  /** Runs fn on a raw connection to the file, as an outside tool (or a disk fault) would change it. */
  function raw<T>(file: string, fn: (db: BetterSqlite3.Database) => T): T {
    const db = new BetterSqlite3(file);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  }

  it('keeps everything across close and reopen, and numbers on from where it was', async () => {
    const file = freshFile();
    const first = await openSqliteStore(file);
    const app = await first.createApp(newApp('web'));
    const token = await first.createToken('admin', 'h');
    const run = await first.createRun(newRun('web'));
    await first.appendRunLog(run.id, 'built\n');
    const release = await first.setReleaseStatus((await first.createRelease(newRelease('web', run.id))).id, 'live', 'd');
    const ran = await first.updateRun(run.id, { status: 'succeeded', releaseId: release.id, error: { kind: 'k', message: 'm' } });
    await first.setSetting('k', 'v');
    await first.recordEvent('release.deployed', 'web', { release: 1 });
    const events = await first.listEvents(5);
    await first.close();
    await first.close(); // closing twice is harmless

    const second = await openSqliteStore(file);
    try {
      assert.deepEqual(await second.getApp('web'), app);
      assert.deepEqual(await second.findTokenByHash('h'), token);
      assert.deepEqual(await second.getRun(run.id), ran);
      assert.equal(await second.readRunLog(run.id), 'built\n');
      assert.deepEqual(await second.liveRelease('web'), release);
      assert.equal(await second.getSetting('k'), 'v');
      assert.deepEqual(await second.listEvents(5), events);
      assert.equal((await second.createRelease(newRelease('web'))).number, 2);
      assert.ok((await second.createRun(newRun('web'))).id > run.id);
    } finally {
      await second.close();
    }
  });

  it('applies migrations once: reopening changes nothing and runs none again', async () => {
    const file = freshFile();
    await (await openSqliteStore(file)).close();
    const schema = () => raw(file, (db) => db.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name").all());
    const before = schema();
    const applied = raw(file, (db) => db.prepare('SELECT name FROM kysely_migration ORDER BY name').all());
    for (let i = 0; i < 2; i++) await (await openSqliteStore(file)).close();
    assert.deepEqual(schema(), before);
    assert.deepEqual(raw(file, (db) => db.prepare('SELECT name FROM kysely_migration ORDER BY name').all()), applied);
    assert.deepEqual(applied, [{ name: '0001_initial' }, { name: '0002_pipelines' }, { name: '0003_schedules' }, { name: '0004_deploy_targets' }, { name: '0005_forges' }, { name: '0006_app_concurrency' }, { name: '0007_run_resumes' }, { name: '0008_app_domain_unique' }, { name: '0009_run_logs_pruned' }, { name: '0010_users_roles' }, { name: '0011_stack_releases' }, { name: '0012_app_config' }]);
    assert.equal(raw(file, (db) => db.pragma('journal_mode', { simple: true })), 'wal');
  });

  it('refuses to migrate a database where two apps share a domain, naming them and saying what to do', async () => {
    const file = freshFile();
    const store = await openSqliteStore(file);
    await store.createApp(newApp('web'));
    await store.createApp(newApp('api'));
    await store.close();
    // As a database from before 0008 could be after two racing creates.
    raw(file, (db) => {
      undoUsersRoles(db);
      db.exec("DROP INDEX apps_domain_unique; ALTER TABLE runs DROP COLUMN logs_pruned; DELETE FROM kysely_migration WHERE name >= '0008'");
      db.exec("UPDATE apps SET domain = 'web.example.com'");
    });
    await assert.rejects(openSqliteStore(file), (err) => {
      slipwayError('conflict', 'domain')(err);
      assert.match((err as Error).message, /web\.example\.com \(apps (api, web|web, api)\)/);
      assert.match(String((err as { hint?: unknown }).hint), /UPDATE apps SET domain/);
      return true;
    });
    raw(file, (db) => db.exec("UPDATE apps SET domain = 'api.example.com' WHERE name = 'api'"));
    const fixed = await openSqliteStore(file);
    try {
      await assert.rejects(fixed.updateApp('api', { domain: 'web.example.com' }), slipwayError('conflict', 'domain'));
    } finally {
      await fixed.close();
    }
  });

  it('makes tokens from before roles owner tokens on all apps, so an upgrade locks nobody out', async () => {
    const file = freshFile();
    const store = await openSqliteStore(file);
    await store.createToken('admin', 'h-old');
    await store.close();
    // As a database from before 0010: tokens without kind, grants, user, expiry or revocation; events without origin.
    raw(file, undoUsersRoles);
    const upgraded = await openSqliteStore(file);
    try {
      const token = await upgraded.findTokenByHash('h-old');
      assert.deepEqual([token?.kind, token?.grants, token?.expiresAt, token?.revokedAt], ['api', [{ role: 'owner', app: '*' }], null, null]);
    } finally {
      await upgraded.close();
    }
  });

  /** Takes a database back to before 0010_users_roles (and the migrations after it). */
  function undoUsersRoles(db: BetterSqlite3.Database): void {
    db.exec('DROP TABLE stack_releases; DROP TABLE app_config; DROP TABLE release_config');
    db.exec('DROP INDEX events_app; ALTER TABLE events DROP COLUMN actor; ALTER TABLE events DROP COLUMN source; DROP TABLE users');
    for (const c of ['kind', 'grants', 'user', 'expires_at', 'revoked_at']) db.exec(`ALTER TABLE tokens DROP COLUMN ${c}`);
    db.exec("DELETE FROM kysely_migration WHERE name >= '0010'");
  }

  it('reports corrupted JSON and unknown values in a row as a SlipwayError naming the column', async () => {
    const file = freshFile();
    const store = await openSqliteStore(file);
    try {
      const run = await store.createRun(newRun('web'));
      const release = await store.createRelease(newRelease('web', run.id));
      await store.recordEvent('x', null, { ok: true });
      const cases: [string, () => Promise<unknown>, string][] = [
        ["UPDATE releases SET status = 'bogus'", () => store.getRelease('web', 1), 'releases.status'],
        ["UPDATE releases SET status = 'live', spec = '{not json'", () => store.getReleaseById(release.id), 'releases.spec'],
        ['UPDATE releases SET spec = \'{"app":"web"}\'', () => store.liveRelease('web'), 'releases.spec'],
        ["UPDATE runs SET error = 'oops'", () => store.getRun(run.id), 'runs.error'],
        ['UPDATE runs SET error = \'{"kind":1}\'', () => store.listRuns('web', 5), 'runs.error'],
        ["UPDATE runs SET error = NULL, status = 'paused'", () => store.runsWithStatus('paused' as 'queued'), 'runs.status'],
        ["UPDATE events SET data = '[1,'", () => store.listEvents(5), 'events.data'],
      ];
      for (const [update, read, field] of cases) {
        raw(file, (db) => db.exec(update));
        await assert.rejects(read(), slipwayError('internal', field), update);
      }
    } finally {
      await store.close();
    }
  });

  it('refuses a file that is not a SQLite database with a clear error', async () => {
    const file = freshFile();
    await (await openSqliteStore(file)).close(); // creates the directory
    const junk = join(file, '..', 'junk.db');
    await writeFile(junk, 'this is not a database, just some text that is long enough to have a header'.repeat(20));
    await assert.rejects(openSqliteStore(junk), slipwayError('internal', junk));
  });
});
