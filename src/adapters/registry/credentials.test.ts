// Unit tests of credential generation, storage (mode 0600) and reload, in a temporary folder.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, before, test } from 'node:test';
import { SlipwayError } from '../../core/errors.js';
import { loadOrCreateCredentials } from './credentials.js';

let root = '';
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'slipway-creds-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('first call generates a 32-byte base64url password in credentials.json with mode 0600', async () => {
  const dir = join(root, 'a', 'nested');
  const creds = await loadOrCreateCredentials(dir);
  assert.equal(creds.username, 'slipway');
  assert.match(creds.password.reveal(), /^[A-Za-z0-9_-]{43}$/);
  const file = join(dir, 'credentials.json');
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.equal((await stat(dir)).mode & 0o777, 0o700);
  const stored: unknown = JSON.parse(await readFile(file, 'utf8'));
  assert.deepEqual(stored, { username: 'slipway', password: creds.password.reveal() });
});

test('later calls load the same credentials', async () => {
  const dir = join(root, 'b');
  const first = await loadOrCreateCredentials(dir);
  const second = await loadOrCreateCredentials(dir);
  assert.equal(second.password.reveal(), first.password.reveal());
});

test('concurrent first calls agree on one password', async () => {
  const dir = join(root, 'c');
  const all = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateCredentials(dir)));
  assert.equal(new Set(all.map((c) => c.password.reveal())).size, 1);
});

test('a readable-by-others file is tightened to 0600', async () => {
  const dir = join(root, 'd');
  await loadOrCreateCredentials(dir);
  await chmod(join(dir, 'credentials.json'), 0o644);
  await loadOrCreateCredentials(dir);
  assert.equal((await stat(join(dir, 'credentials.json'))).mode & 0o777, 0o600);
});

test('the password is never printed', async () => {
  const creds = await loadOrCreateCredentials(join(root, 'e'));
  const secret = creds.password.reveal();
  for (const shown of [String(creds.password), JSON.stringify(creds), inspect(creds)]) {
    assert.ok(!shown.includes(secret), shown);
  }
});

test('a broken file is a clear error that does not echo its content', async () => {
  const dir = join(root, 'f');
  await loadOrCreateCredentials(dir);
  const leaked = 'hunter2-hunter2-hunter2-hunter2';
  await writeFile(join(dir, 'credentials.json'), `{"username":"slipway","password":"${leaked} with spaces"}`);
  await assert.rejects(loadOrCreateCredentials(dir), (err: unknown) => {
    assert.ok(err instanceof SlipwayError);
    assert.ok(!JSON.stringify(err.toJSON()).includes(leaked));
    assert.match(err.hint ?? '', /delete .*credentials\.json/);
    return true;
  });
  await writeFile(join(dir, 'credentials.json'), `{"password": "${leaked}"`);
  await assert.rejects(loadOrCreateCredentials(dir), (err: unknown) => err instanceof SlipwayError && !err.message.includes(leaked));
});
