// Unit tests of the registry folder writer: idempotent, htpasswd kept while it matches.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Secret } from '../../core/secret.js';
import { registryConfigYaml } from './config.js';
import { writeRegistryFiles } from './files.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-regfiles-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('writes config.yml, htpasswd (0600) and data/', async () => {
  const files = await writeRegistryFiles(dir, { username: 'slipway', password: new Secret('a'.repeat(43)) });
  assert.equal(await readFile(join(dir, 'config.yml'), 'utf8'), registryConfigYaml());
  assert.equal(await readFile(join(dir, 'htpasswd'), 'utf8'), files.htpasswdText);
  assert.equal((await stat(join(dir, 'htpasswd'))).mode & 0o777, 0o600);
  assert.ok((await stat(join(dir, 'data'))).isDirectory());
});

test('same credentials: htpasswd untouched (same salt, same fingerprint)', async () => {
  const creds = { username: 'slipway', password: new Secret('a'.repeat(43)) };
  const first = await writeRegistryFiles(dir, creds);
  const before = (await stat(join(dir, 'htpasswd'))).ino;
  const second = await writeRegistryFiles(dir, creds);
  assert.equal(second.htpasswdText, first.htpasswdText);
  assert.equal((await stat(join(dir, 'htpasswd'))).ino, before);
});

test('new password: htpasswd rewritten', async () => {
  const first = await writeRegistryFiles(dir, { username: 'slipway', password: new Secret('a'.repeat(43)) });
  const second = await writeRegistryFiles(dir, { username: 'slipway', password: new Secret('b'.repeat(43)) });
  assert.notEqual(second.htpasswdText, first.htpasswdText);
  assert.equal(await readFile(join(dir, 'htpasswd'), 'utf8'), second.htpasswdText);
});
