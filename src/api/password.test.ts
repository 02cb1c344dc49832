// Password hashing: scrypt with its parameters and a salt per hash, checked in constant time.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPasswordRules, DEFAULT_KDF, hashPassword, verifyPassword } from './password.js';

const FAST = { N: 1024, r: 8, p: 1 };

describe('passwords', () => {
  it('stores scrypt parameters and a fresh salt, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery', FAST);
    const b = await hashPassword('correct horse battery', FAST);
    assert.match(a, /^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword('correct horse battery', a), true);
    assert.equal(await verifyPassword('correct horse batterY', a), false);
    assert.equal(await verifyPassword('x', 'plain-text'), false);
    assert.equal(await verifyPassword('x', 'scrypt$0$8$1$AA==$AA=='), false);
  });

  it('uses a slow default (N ≥ 2^15) and refuses short passwords', async () => {
    assert.ok(DEFAULT_KDF.N >= 2 ** 15);
    assert.match(await hashPassword('long enough password'), /^scrypt\$32768\$/);
    assert.throws(() => checkPasswordRules('short'), /10 to 1024/);
  });
});
