// API tokens: random, shown once, stored only as a sha256 hash; checked for Bearer (API) and Basic (git) auth.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SlipwayError } from '../core/errors.js';
import type { Store, TokenRecord } from '../core/ports/store.js';

const PREFIX = 'slw_';

export function newToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates the first admin token when the store has none; returns it (to print once) or null. */
export async function bootstrapAdminToken(store: Store): Promise<string | null> {
  if ((await store.countTokens()) > 0) return null;
  const token = newToken();
  await store.createToken('admin', hashToken(token));
  return token;
}

/** Reads the token from `Authorization: Bearer …` or `Basic base64(user:token)` (what git sends). */
export function tokenFromHeader(header: string | undefined | null): string | null {
  if (!header) return null;
  const [scheme, value] = header.split(' ', 2);
  if (!value) return null;
  if (scheme?.toLowerCase() === 'bearer') return value.trim();
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? null : decoded.slice(colon + 1);
  }
  return null;
}

export async function authenticate(store: Store, header: string | undefined | null): Promise<TokenRecord> {
  const token = tokenFromHeader(header);
  if (!token) {
    throw new SlipwayError('unauthorized', 'missing API token', {
      hint: 'send `Authorization: Bearer <token>`; the CLI reads SLIPWAY_TOKEN or `slipway login`',
    });
  }
  const record = await store.findTokenByHash(hashToken(token));
  if (!record) {
    throw new SlipwayError('unauthorized', 'invalid API token', {
      hint: 'check the token; the admin token was printed once by the first `slipway up`',
    });
  }
  void store.touchToken(record.id).catch(() => undefined);
  return record;
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
