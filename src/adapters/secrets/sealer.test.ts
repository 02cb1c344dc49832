// Sealer and key file: round trips, tamper and wrong-key detection without leaking values, the key file's mode.

import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { SlipwayError } from '../../core/errors.js';
import { KEY_FILE_NAME } from './key-file.js';
import { createSealer, openSealer } from './sealer.js';

const VALUE = 'hunter2-ünïcode-✓';

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
      const sealed = sealer.seal(value);
      assert.match(sealed, /^v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]{22}==:[A-Za-z0-9+/]*={0,2}$/);
      assert.ok(!sealed.includes(value) || value.length < 2);
      const opened = sealer.open(sealed);
      assert.equal(opened.reveal(), value);
      assert.equal(String(opened), '***');
    }
  });

  it('seals the same value differently every time (fresh IV)', async () => {
    const sealer = await openSealer(freshDir());
    const seen = new Set(Array.from({ length: 50 }, () => sealer.seal(VALUE)));
    assert.equal(seen.size, 50);
    const ivs = new Set([...seen].map((s) => s.split(':')[1]));
    assert.equal(ivs.size, 50);
  });

  it('detects any change to a sealed value', async () => {
    const dir = freshDir();
    const sealer = await openSealer(dir);
    const keyFile = join(dir, KEY_FILE_NAME);
    const sealed = sealer.seal(VALUE);
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
      ['v2', iv, tag, ciphertext],
      [version, iv, tag.slice(0, 8), ciphertext],
      [version, iv, tag, `${ciphertext}!`],
      [version, iv, tag, ciphertext, 'extra'],
      [version, iv, tag],
    ].map((parts) => parts.join(':'));
    for (const bad of [...tampered, '', 'v1', 'hunter2', `${sealed} `]) {
      assert.throws(() => sealer.open(bad), cannotDecrypt(keyFile), bad);
    }
    assert.equal(sealer.open(sealed).reveal(), VALUE);
  });

  it('refuses a value sealed with another key, naming the key file', async () => {
    const a = await openSealer(freshDir());
    const bDir = freshDir();
    const b = await openSealer(bDir);
    assert.throws(() => b.open(a.seal(VALUE)), cannotDecrypt(join(bDir, KEY_FILE_NAME)));
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
    const sealed = first.seal(VALUE);
    const again = await openSealer(dir);
    assert.equal(again.open(sealed).reveal(), VALUE);
    assert.deepEqual(await readdir(dir), [KEY_FILE_NAME], 'no temporary files left behind');
  });

  it('gives concurrent first openers one and the same key', async () => {
    const dir = freshDir();
    const sealers = await Promise.all(Array.from({ length: 8 }, () => openSealer(dir)));
    const sealed = sealers.map((s) => s.seal(VALUE));
    for (const s of sealers) for (const v of sealed) assert.equal(s.open(v).reveal(), VALUE);
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
