// Unit tests of the registry's config.yml text and bcrypt htpasswd lines.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import bcrypt from 'bcryptjs';
import { Secret } from '../../core/secret.js';
import { htpasswdLine, htpasswdMatches, registryConfigYaml } from './config.js';

test('config.yml: filesystem storage, delete enabled, htpasswd auth, :5000, storage health check', () => {
  const yaml = registryConfigYaml();
  assert.match(yaml, /^version: 0\.1$/m);
  assert.match(yaml, /storage:\n  filesystem:\n    rootdirectory: \/var\/lib\/registry\n  delete:\n    enabled: true\n/);
  assert.match(yaml, /auth:\n  htpasswd:\n    realm: slipway-registry\n    path: \/etc\/docker\/registry\/htpasswd\n/);
  assert.match(yaml, /http:\n  addr: :5000\n/);
  assert.match(yaml, /health:\n  storagedriver:\n    enabled: true\n/);
  assert.doesNotMatch(yaml, /\t/, 'YAML must not contain tabs');
  assert.equal(registryConfigYaml(), yaml, 'deterministic: the fingerprint depends on it');
});

test('config.yml: realm is validated, never interpolated raw', () => {
  assert.match(registryConfigYaml({ realm: 'my-realm' }), /realm: my-realm\n/);
  assert.throws(() => registryConfigYaml({ realm: 'x\nhttp:' }), { name: 'SlipwayError' });
});

test('htpasswd line: user:bcrypt hash of the password, one line', async () => {
  const password = new Secret('correct-horse-battery-staple');
  const line = await htpasswdLine('slipway', password);
  assert.match(line, /^slipway:\$2[aby]\$10\$[./A-Za-z0-9]{53}\n$/);
  assert.ok(bcrypt.compareSync('correct-horse-battery-staple', line.trim().slice('slipway:'.length)));
  assert.ok(!line.includes('correct-horse'), 'the password itself is not in the file');
});

test('htpasswd line: rejects user names that would break the file', async () => {
  await assert.rejects(htpasswdLine('a:b', new Secret('x'.repeat(20))), { name: 'SlipwayError', kind: 'invalid_input' });
  await assert.rejects(htpasswdLine('a\nb', new Secret('x'.repeat(20))), { kind: 'invalid_input' });
});

test('htpasswdMatches: true only for the same user and password', async () => {
  const password = new Secret('p'.repeat(30));
  const line = await htpasswdLine('slipway', password);
  assert.equal(await htpasswdMatches(line, 'slipway', password), true);
  assert.equal(await htpasswdMatches(line, 'other', password), false);
  assert.equal(await htpasswdMatches(line, 'slipway', new Secret('q'.repeat(30))), false);
  assert.equal(await htpasswdMatches(line + line, 'slipway', password), false, 'a second line is not ours');
  assert.equal(await htpasswdMatches('slipway:{SHA}abc\n', 'slipway', password), false);
  assert.equal(await htpasswdMatches('', 'slipway', password), false);
});
