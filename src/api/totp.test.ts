// TOTP against the test vectors of RFC 6238 appendix B (SHA-1, SHA-256, SHA-512) and RFC 4226 appendix D (HOTP).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base32Decode, base32Encode, hotp, newTotpSecret, otpauthUri, totp, verifyTotp } from './totp.js';

const seeds = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
} as const;

const vectors: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('totp', () => {
  it('gives the codes of RFC 6238 appendix B', () => {
    for (const [time, sha1, sha256, sha512] of vectors) {
      assert.equal(totp(seeds.sha1, time, { digits: 8, algorithm: 'sha1' }), sha1, `sha1 at ${time}`);
      assert.equal(totp(seeds.sha256, time, { digits: 8, algorithm: 'sha256' }), sha256, `sha256 at ${time}`);
      assert.equal(totp(seeds.sha512, time, { digits: 8, algorithm: 'sha512' }), sha512, `sha512 at ${time}`);
    }
  });

  it('gives the HOTP values of RFC 4226 appendix D', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => assert.equal(hotp(seeds.sha1, counter), code));
  });

  it('round-trips base32 (RFC 4648 vectors) and makes 160-bit secrets', () => {
    assert.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI');
    assert.equal(base32Decode('MZXW6YTBOI======').toString(), 'foobar');
    assert.equal(base32Decode(newTotpSecret()).length, 20);
  });

  it('accepts the code of the current step and one step either side, nothing else', () => {
    const secret = base32Encode(seeds.sha1);
    const now = 1111111111;
    const code = (t: number) => totp(seeds.sha1, t);
    assert.equal(verifyTotp(secret, code(now), now), true);
    assert.equal(verifyTotp(secret, code(now - 30), now), true);
    assert.equal(verifyTotp(secret, code(now + 30), now), true);
    assert.equal(verifyTotp(secret, code(now - 90), now), false);
    assert.equal(verifyTotp(secret, '12345', now), false);
    assert.equal(verifyTotp(secret, 'abcdef', now), false);
  });

  it('writes the otpauth URI authenticator apps read', () => {
    assert.equal(otpauthUri('Slipway', 'ann', 'MZXW6YTBOI'), 'otpauth://totp/Slipway%3Aann?secret=MZXW6YTBOI&issuer=Slipway&algorithm=SHA1&digits=6&period=30');
  });
});
