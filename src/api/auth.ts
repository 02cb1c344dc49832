// API tokens and sessions: random, shown once, stored only as a sha256 hash; read from Bearer (API) or Basic (git)
// auth, refused when unknown, revoked or expired, and failed uses are rate limited per address (issue 12).

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../core/access.js';
import { SlipwayError } from '../core/errors.js';
import type { Store, TokenRecord } from '../core/ports/store.js';
import { attemptKeys, FailureLimiter } from './rate-limit.js';

const PREFIX = 'slw_';

export function newToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates the first owner token when the store has none; returns it (to print once) or null. */
export async function bootstrapAdminToken(store: Store): Promise<string | null> {
  if ((await store.countTokens()) > 0) return null;
  const token = newToken();
  await store.createToken('admin', hashToken(token), { grants: [{ role: 'owner', app: '*' }] });
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

/** Why a stored token is not usable now, or null when it is. */
export function tokenRefusal(token: TokenRecord, now: Date): string | null {
  if (token.revokedAt !== null) return `this ${token.kind === 'session' ? 'session was signed out' : 'token was revoked'}`;
  if (token.expiresAt !== null && Date.parse(token.expiresAt) <= now.getTime()) return `this ${token.kind === 'session' ? 'session' : 'token'} has expired`;
  return null;
}

export interface AuthOptions {
  readonly limiter: FailureLimiter;
  readonly now: () => Date;
}

/** Turns credentials into a principal: the one place tokens and sessions are checked. */
export class Authenticator {
  constructor(private readonly store: Store, readonly o: AuthOptions) {}

  async principal(header: string | undefined | null, address: string | null): Promise<Principal> {
    const token = tokenFromHeader(header);
    if (!token) {
      throw new SlipwayError('unauthorized', 'missing API token', {
        hint: 'send `Authorization: Bearer <token>`; the CLI reads SLIPWAY_TOKEN or `slipway login`',
      });
    }
    const keys = attemptKeys(address);
    const attempt = this.o.limiter.begin(keys);
    const record = await this.store.findTokenByHash(hashToken(token));
    const refusal = record === null ? 'invalid API token' : tokenRefusal(record, this.o.now());
    const grants = record?.kind === 'session' && record.user !== null ? (await this.store.getUser(record.user))?.grants : record?.grants;
    if (record === null || refusal !== null || grants === undefined) {
      throw new SlipwayError('unauthorized', refusal ?? 'the user of this session no longer exists', {
        hint: 'sign in again, or ask an owner for a token (`slipway tokens create`); the first token was printed once by `slipway up`',
      });
    }
    attempt.succeeded();
    void this.store.touchToken(record.id).catch(() => undefined);
    return { name: record.name, kind: record.kind, tokenId: record.id, grants };
  }
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
