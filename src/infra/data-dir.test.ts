import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSqliteStore } from '../adapters/store/sqlite.js';
import { ensurePrivateDataDir, restrictDatabaseFiles } from './data-dir.js';

const mode = async (p: string) => (await stat(p)).mode & 0o777;

describe('the data folder', () => {
  const roots: string[] = [];
  after(async () => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

  it('is made 0700 even when it already existed with wider rights', async () => {
    const root = await mkdtemp(join(tmpdir(), 'slipway-data-'));
    roots.push(root);
    const dir = join(root, 'data');
    await mkdir(dir, { mode: 0o755 });
    await ensurePrivateDataDir(dir);
    assert.equal(await mode(dir), 0o700);
    await ensurePrivateDataDir(join(root, 'fresh'));
    assert.equal(await mode(join(root, 'fresh')), 0o700);
  });

  it('the database and its WAL and SHM files are 0600 (a real SQLite store)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'slipway-data-'));
    roots.push(root);
    const db = join(root, 'slipway.db');
    const store = await openSqliteStore(db);
    await writeFile(join(root, 'other.txt'), 'not ours');
    await restrictDatabaseFiles(db);
    assert.equal(await mode(db), 0o600);
    assert.equal(await mode(`${db}-wal`), 0o600);
    assert.equal(await mode(`${db}-shm`), 0o600);
    assert.notEqual(await mode(join(root, 'other.txt')), 0o600);
    await store.close();
  });
});
