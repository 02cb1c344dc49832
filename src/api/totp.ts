// TOTP (RFC 6238, on HOTP RFC 4226) with node:crypto: secrets, codes, a check with one step of clock skew, and the
// otpauth:// URI authenticator apps read.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpOptions {
  readonly digits?: number;
  readonly step?: number;
  readonly algorithm?: TotpAlgorithm;
}

export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = ALPHABET.indexOf(ch);
    if (i === -1) throw new Error(`not base32: ${JSON.stringify(ch)}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** 20 random bytes (160 bits, RFC 4226's recommendation) as base32. */
export const newTotpSecret = (): string => base32Encode(randomBytes(20));

export function hotp(key: Buffer, counter: number, digits = 6, algorithm: TotpAlgorithm = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0xf;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

export function totp(key: Buffer, unixSeconds: number, options: TotpOptions = {}): string {
  return hotp(key, Math.floor(unixSeconds / (options.step ?? 30)), options.digits ?? 6, options.algorithm ?? 'sha1');
}

/** The time step whose code `code` is, among the current step and one either side (clocks drift; a code is typed
 *  late), or null. The caller refuses a step it has accepted before, so a seen code cannot be replayed. */
export function totpStep(secret: string, code: string, unixSeconds: number): number | null {
  if (!/^[0-9]{6}$/.test(code)) return null;
  const key = base32Decode(secret);
  let matched: number | null = null;
  for (const skew of [-30, 0, 30]) {
    const at = unixSeconds + skew;
    // No early exit: every candidate is compared, in constant time.
    if (timingSafeEqual(Buffer.from(totp(key, at)), Buffer.from(code))) matched = Math.floor(at / 30);
  }
  return matched;
}

export const verifyTotp = (secret: string, code: string, unixSeconds: number): boolean => totpStep(secret, code, unixSeconds) !== null;

export function otpauthUri(issuer: string, account: string, secret: string): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  const query = new URLSearchParams({ secret, issuer, algorithm: 'SHA1', digits: '6', period: '30' });
  return `otpauth://totp/${label}?${query.toString()}`;
}
