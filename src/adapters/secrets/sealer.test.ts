// Sealer and key file: round trips, tamper, wrong-key and wrong-context detection without leaking values, the v1
// upgrade, the key file's mode.

import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { SlipwayError } from '../../core/errors.js';
import { KEY_FILE_NAME, loadOrCreateKey } from './key-file.js';
import { createCipheriv } from 'node:crypto';
import { repoTokenContext, secretContext, webhookSecretContext, type SealContext } from '../../core/ports/sealer.js';
import { createSealer, openSealer } from './sealer.js';

const VALUE = 'hunter2-ünïcode-✓';
const CTX = secretContext('web', 'NPM_TOKEN');

/** A value as Slipway before issue 12 sealed it: v1, AES-256-GCM bound to nothing. */
function sealV1(key: Uint8Array, value: string): string {
  const iv = Buffer.alloc(12, 7);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return `v1:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${ciphertext.toString('base64')}`;
}

/** Matcher: the one decryption error, mentioning the key file and never the value. */
function cannotDecrypt(keyFile: string, value = VALUE): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof SlipwayError, String(err));
    assert.equal(err.kind, 'internal');
    assert.equal(err.message, 'secret cannot be decrypted');
    assert.ok(err.hint?.includes(keyFile), err.hint);
    const everything = `${err.message} ${err.hint} ${JSON.stringify(err)} ${inspect(err, { depth: 5 })}`;
    assert.ok(!everything.includes(value), 'the error shows the value');
    return true;
  };
}

describe('sealer', () => {
  let root = '';
  let count = 0;
  const freshDir = () => join(root, `d${++count}`);
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipway-sealer-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('opens what it sealed, for any text', async () => {
    const sealer = await openSealer(freshDir());
    for (const value of [VALUE, '', 'x', '-----BEGIN KEY-----\nabc\n-----END KEY-----\n', 'z'.repeat(100_000)]) {
      const sealed = sealer.seal(value, CTX);
      assert.match(sealed, /^v2:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]{22}==:[A-Za-z0-9+/]*={0,2}$/);
      assert.ok(!sealed.includes(value) || value.length < 2);
      const opened = sealer.open(sealed, CTX);
      assert.equal(opened.reveal(), value);
      assert.equal(String(opened), '***');
    }
  });

  it('seals the same value differently every time (fresh IV)', async () => {
    const sealer = await openSealer(freshDir());
    const seen = new Set(Array.from({ length: 50 }, () => sealer.seal(VALUE, CTX)));
    assert.equal(seen.size, 50);
    const ivs = new Set([...seen].map((s) => s.split(':')[1]));
    assert.equal(ivs.size, 50);
  });

  it('detects any change to a sealed value', async () => {
    const dir = freshDir();
    const sealer = await openSealer(dir);
    const keyFile = join(dir, KEY_FILE_NAME);
    const sealed = sealer.seal(VALUE, CTX);
    const [version, iv, tag, ciphertext] = sealed.split(':') as [string, string, string, string];
    const flip = (b64: string, at: number) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[at] = (bytes[at] ?? 0) ^ 0x01;
      return bytes.toString('base64');
    };
    const tampered = [
      [version, flip(iv, 0), tag, ciphertext],
      [version, iv, flip(tag, 15), ciphertext],
      [version, iv, tag, flip(ciphertext, 0)],
      [version, iv, tag, flip(ciphertext, Buffer.from(ciphertext, 'base64').length - 1)],
      [version, iv, tag, Buffer.from(ciphertext, 'base64').subarray(1).toString('base64')],
      [version, iv, tag, ''],
      ['v3', iv, tag, ciphertext],
      [version, iv, tag.slice(0, 8), ciphertext],
      [version, iv, tag, `${ciphertext}!`],
      [version, iv, tag, ciphertext, 'extra'],
      [version, iv, tag],
    ].map((parts) => parts.join(':'));
    for (const bad of [...tampered, '', 'v1', 'hunter2', `${sealed} `]) {
      assert.throws(() => sealer.open(bad, CTX), cannotDecrypt(keyFile), bad);
    }
    assert.equal(sealer.open(sealed, CTX).reveal(), VALUE);
  });

  it('refuses a value sealed with another key, naming the key file', async () => {
    const a = await openSealer(freshDir());
    const bDir = freshDir();
    const b = await openSealer(bDir);
    assert.throws(() => b.open(a.seal(VALUE, CTX), CTX), cannotDecrypt(join(bDir, KEY_FILE_NAME)));
  });

  it('opens a value only for the app, kind and name it was sealed for (issue 12)', async () => {
    const dir = freshDir();
    const sealer = await openSealer(dir);
    const keyFile = join(dir, KEY_FILE_NAME);
    const others: SealContext[] = [
      secretContext('api', 'NPM_TOKEN'), // another app's secret of the same name
      secretContext('web', 'DB_PASSWORD'), // another secret of the same app
      secretContext('web', 'NPM_TOKE'),
      secretContext('we', 'bNPM_TOKEN'),
      repoTokenContext('web'),
      webhookSecretContext('web'),
    ];
    const sealed = sealer.seal(VALUE, CTX);
    for (const other of others) assert.throws(() => sealer.open(sealed, other), cannotDecrypt(keyFile), JSON.stringify(other));
    const webhook = sealer.seal(VALUE, webhookSecretContext('web'));
    assert.throws(() => sealer.open(webhook, repoTokenContext('web')), cannotDecrypt(keyFile)); // webhook secret into the token column
    assert.throws(() => sealer.open(webhook, webhookSecretContext('api')), cannotDecrypt(keyFile));
    assert.throws(() => sealer.open(webhook, CTX), cannotDecrypt(keyFile));
    assert.equal(sealer.open(webhook, webhookSecretContext('web')).reveal(), VALUE);
    assert.equal(sealer.open(sealed, secretContext('web', 'NPM_TOKEN')).reveal(), VALUE);
    // Relabelling a bound value as the unbound format does not strip the binding.
    assert.throws(() => sealer.upgrade(sealed.replace(/^v2:/, 'v1:'), secretContext('api', 'NPM_TOKEN')), cannotDecrypt(keyFile));
  });

  it('upgrades a v1 value (no binding) to v2 bound to its context, and open refuses v1 until then', async () => {
    const dir = freshDir();
    const sealer = await openSealer(dir);
    const { key, file } = await loadOrCreateKey(dir);
    const old = sealV1(key, VALUE);
    assert.throws(() => sealer.open(old, CTX), (err) => {
      assert.ok(err instanceof SlipwayError && err.kind === 'internal' && err.message === 'secret cannot be decrypted', String(err));
      assert.ok(err.hint?.includes('v1') && err.hint.includes('restart'), err.hint);
      assert.ok(!`${err.hint} ${inspect(err, { depth: 5 })}`.includes(VALUE), 'the error shows the value');
      return true;
    });
    const upgraded = sealer.upgrade(old, CTX);
    assert.ok(upgraded !== null && upgraded.startsWith('v2:'), upgraded ?? 'null');
    assert.equal(sealer.open(upgraded, CTX).reveal(), VALUE);
    assert.throws(() => sealer.open(upgraded, secretContext('api', 'NPM_TOKEN')), cannotDecrypt(file));
    assert.equal(sealer.upgrade(upgraded, CTX), null, 'a current value is left as it is');
    // A v1 value of another key or a damaged one is refused, never replaced.
    assert.throws(() => sealer.upgrade(sealV1(Buffer.alloc(32, 1), VALUE), CTX), cannotDecrypt(file));
    assert.throws(() => sealer.upgrade('v1:junk', CTX), cannotDecrypt(file));
  });

  it('creates the key once, owner-only whatever the umask, and reuses it', async () => {
    const dir = join(freshDir(), 'nested', 'data');
    const previous = process.umask(0o000);
    let first;
    try {
      first = await openSealer(dir);
    } finally {
      process.umask(previous);
    }
    const file = join(dir, KEY_FILE_NAME);
    const { mode } = await stat(file);
    assert.equal(mode & 0o777, 0o600);
    const sealed = first.seal(VALUE, CTX);
    const again = await openSealer(dir);
    assert.equal(again.open(sealed, CTX).reveal(), VALUE);
    assert.deepEqual(await readdir(dir), [KEY_FILE_NAME], 'no temporary files left behind');
  });

  it('gives concurrent first openers one and the same key', async () => {
    const dir = freshDir();
    const sealers = await Promise.all(Array.from({ length: 8 }, () => openSealer(dir)));
    const sealed = sealers.map((s) => s.seal(VALUE, CTX));
    for (const s of sealers) for (const v of sealed) assert.equal(s.open(v, CTX).reveal(), VALUE);
    assert.deepEqual(await readdir(dir), [KEY_FILE_NAME]);
  });

  it('refuses a damaged key file rather than replacing it', async () => {
    for (const content of ['', 'not base64 at all', Buffer.alloc(16).toString('base64'), `${Buffer.alloc(32).toString('base64')}x`]) {
      const dir = freshDir();
      await openSealer(dir);
      const file = join(dir, KEY_FILE_NAME);
      await writeFile(file, content);
      await assert.rejects(openSealer(dir), (err) => {
        assert.ok(err instanceof SlipwayError && err.kind === 'internal' && err.field === file, String(err));
        assert.ok(err.message.includes('damaged'), err.message);
        return true;
      });
    }
  });

  it('reports a directory where the key cannot be created', async () => {
    const dir = freshDir();
    await openSealer(dir);
    const blocked = join(dir, KEY_FILE_NAME, 'sub'); // a path below a file
    await assert.rejects(openSealer(blocked), (err) => err instanceof SlipwayError && err.kind === 'internal');
  });

  it('refuses a key of the wrong size', () => {
    assert.throws(() => createSealer(Buffer.alloc(16), 'k'), SlipwayError);
  });
});
