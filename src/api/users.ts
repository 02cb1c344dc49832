// Users, sign-in sessions and API tokens: what the user, session and token routes do (issue 12). Passwords go
// through scrypt (password.ts), TOTP secrets are sealed, tokens are shown once and kept as sha256.

import { describeGrants, type Grant, type Principal } from '../core/access.js';
import type { TokenView, UserView } from '../core/api-access.js';
import { SlipwayError } from '../core/errors.js';
import type { Sealer, SealContext } from '../core/ports/sealer.js';
import type { EventOrigin, Store, TokenRecord, UserRecord } from '../core/ports/store.js';
import { hashToken, newToken } from './auth.js';
import { checkPasswordRules, decoyHash, DEFAULT_KDF, hashPassword, verifyPassword, type KdfParams } from './password.js';
import { attemptKeys, type FailureLimiter } from './rate-limit.js';
import { newTotpSecret, otpauthUri, totpStep } from './totp.js';


export interface UserDeps {
  readonly store: Store;
  readonly sealer: Pick<Sealer, 'seal' | 'open'>;
  readonly limiter: FailureLimiter;
  readonly now: () => Date;
  /** Tests pass a cheap one; the default is slow on purpose. */
  readonly kdf?: KdfParams;
}

/** The dashboard's sessions end after a working day; the CLI's after 30 days (`slipway login` again). */
export const SESSION_TTL = { dashboard: 12 * 3600_000, cli: 30 * 24 * 3600_000 } as const;

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

export function parseUserName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw new SlipwayError('invalid_input', `invalid name ${JSON.stringify(value)}`, { field, hint: 'letters, digits, ".", "_" and "-", at most 63' });
  }
  return value;
}

/** `30d`, `12h`, `90m` → milliseconds. */
export function parseDuration(value: string, field = 'expires'): number {
  const m = /^([1-9][0-9]{0,4})([mhd])$/.exec(value);
  if (m === null) throw new SlipwayError('invalid_input', `invalid duration ${JSON.stringify(value)}`, { field, hint: 'minutes, hours or days, e.g. 90m, 12h, 30d' });
  return Number(m[1]) * { m: 60_000, h: 3600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
}

const totpContext = (user: string): SealContext => ({ kind: 'totp-secret', app: `user:${user}` });
const view = (u: UserRecord): UserView => ({ name: u.name, grants: u.grants, totp: u.totp !== null, createdAt: u.createdAt });
export const tokenView = ({ hash: _hash, ...rest }: TokenRecord): TokenView => rest;

export class UserOps {
  /** The last TOTP step each user signed in with: a code seen once is refused after (RFC 6238 section 5.2). */
  private readonly lastTotpStep = new Map<string, number>();

  constructor(private readonly d: UserDeps) {}

  async list(): Promise<UserView[]> {
    return (await this.d.store.listUsers()).map(view);
  }

  async add(input: { name: string; password: string; grants: readonly Grant[] }, origin: EventOrigin): Promise<UserView> {
    const password = await hashPassword(checkPasswordRules(input.password), this.d.kdf ?? DEFAULT_KDF);
    const user = await this.d.store.createUser({ name: parseUserName(input.name), password, grants: input.grants });
    await this.d.store.recordEvent('user.added', null, { name: user.name, grants: describeGrants(user.grants) }, origin);
    return view(user);
  }

  async remove(name: string, origin: EventOrigin): Promise<void> {
    await this.d.store.deleteUser(name);
    await this.d.store.recordEvent('user.removed', null, { name }, origin);
  }

  async setGrants(name: string, grants: readonly Grant[], origin: EventOrigin): Promise<UserView> {
    const user = await this.d.store.updateUser(name, { grants });
    await this.d.store.recordEvent('user.grants', null, { name, grants: describeGrants(grants) }, origin);
    return view(user);
  }

  async setPassword(name: string, password: string, origin: EventOrigin): Promise<void> {
    const hashed = await hashPassword(checkPasswordRules(password), this.d.kdf ?? DEFAULT_KDF);
    await this.d.store.updateUser(name, { password: hashed });
    // A new password ends every session of the user: an owner resetting a stolen account locks the thief out.
    await this.d.store.revokeUserSessions(name);
    await this.d.store.recordEvent('user.password', null, { name }, origin);
  }

  /** A user changing their own password proves the current one (a stolen session alone cannot take the account). */
  async changeOwnPassword(p: Principal, current: string, next: string, origin: EventOrigin): Promise<void> {
    const user = p.kind === 'session' ? await this.d.store.getUser(p.name) : null;
    if (user === null) throw new SlipwayError('invalid_input', 'only a signed-in user has a password', { hint: 'owners set passwords with `slipway users passwd`' });
    const attempt = this.d.limiter.begin(attemptKeys(origin.source, user.name));
    if (!(await verifyPassword(current, user.password))) {
      await this.d.store.recordEvent('password.failed', null, { name: user.name }, origin);
      throw new SlipwayError('forbidden', 'the current password is wrong', { field: 'current' });
    }
    attempt.succeeded();
    await this.setPassword(user.name, next, origin);
  }

  /** Gives the user a new TOTP secret and returns the otpauth URI: shown once, as a token is. */
  async enableTotp(name: string, origin: EventOrigin): Promise<{ uri: string; secret: string }> {
    const secret = newTotpSecret();
    await this.d.store.updateUser(name, { totp: this.d.sealer.seal(secret, totpContext(name)) });
    await this.d.store.recordEvent('user.totp', null, { name, enabled: true }, origin);
    return { uri: otpauthUri('Slipway', name, secret), secret };
  }

  async disableTotp(name: string, origin: EventOrigin): Promise<void> {
    await this.d.store.updateUser(name, { totp: null });
    await this.d.store.recordEvent('user.totp', null, { name, enabled: false }, origin);
  }

  /** Name + password (+ TOTP code when the user has one) → a session token, shown once. One answer for every failure. */
  async signIn(input: { name: string; password: string; totp?: string; client?: 'dashboard' | 'cli' }, address: string | null): Promise<{ token: string; user: UserView; expiresAt: string }> {
    const keys = attemptKeys(address, input.name);
    const attempt = this.d.limiter.begin(keys);
    const user = await this.d.store.getUser(input.name);
    // A missing user costs a full scrypt too, so timing does not tell which names exist.
    const passwordOk = await verifyPassword(input.password, user?.password ?? (await decoyHash()));
    const step = user?.totp == null ? null : totpStep(this.d.sealer.open(user.totp, totpContext(user.name)).reveal(), input.totp ?? '', this.d.now().getTime() / 1000);
    const totpOk = user?.totp == null || (step !== null && step > (this.lastTotpStep.get(user.name) ?? -1));
    const origin = { actor: input.name, source: address };
    if (user === null || !passwordOk || !totpOk) {
      await this.d.store.recordEvent('signin.failed', null, { name: input.name }, origin);
      // One answer for every failure: a different one for a missing TOTP code would confirm the password.
      throw new SlipwayError('unauthorized', 'wrong name, password or TOTP code', {
        hint: 'after 10 failures in 5 minutes sign-in waits; an owner can reset a password with `slipway users passwd`',
      });
    }
    attempt.succeeded();
    if (step !== null) this.lastTotpStep.set(user.name, step);
    const token = newToken();
    const expiresAt = new Date(this.d.now().getTime() + SESSION_TTL[input.client ?? 'dashboard']).toISOString();
    await this.d.store.createToken(user.name, hashToken(token), { kind: 'session', user: user.name, grants: user.grants, expiresAt });
    await this.d.store.recordEvent('signin', null, { name: user.name, client: input.client ?? 'dashboard' }, origin);
    return { token, user: view(user), expiresAt };
  }

  /** Ends the caller's session (or revokes the API token it used). */
  async signOut(p: Principal, origin: EventOrigin): Promise<void> {
    await this.d.store.revokeToken(p.tokenId);
    await this.d.store.recordEvent('signout', null, { name: p.name, kind: p.kind }, origin);
  }

  async listTokens(): Promise<TokenView[]> {
    return (await this.d.store.listTokens()).map(tokenView);
  }

  async createToken(input: { name: string; grants: readonly Grant[]; expires?: string }, origin: EventOrigin): Promise<{ token: string; record: TokenView }> {
    const name = parseUserName(input.name);
    if (input.grants.length === 0) throw new SlipwayError('invalid_input', 'a token needs a role', { field: 'grants', hint: 'e.g. --role deployer --app web' });
    const expiresAt = input.expires === undefined ? null : new Date(this.d.now().getTime() + parseDuration(input.expires)).toISOString();
    const token = newToken();
    const record = await this.d.store.createToken(name, hashToken(token), { grants: input.grants, expiresAt });
    await this.d.store.recordEvent('token.created', null, { id: record.id, name, grants: describeGrants(record.grants), expiresAt }, origin);
    return { token, record: tokenView(record) };
  }

  async revokeToken(id: number, origin: EventOrigin): Promise<void> {
    if (!(await this.d.store.revokeToken(id))) throw new SlipwayError('not_found', `no active token ${id}`, { field: 'id', hint: 'list tokens with `slipway tokens ls`' });
    await this.d.store.recordEvent('token.revoked', null, { id }, origin);
  }

  /** A new secret for the same name, grants and lifetime; the old one stops working now (the bootstrap token too). */
  async rotateToken(id: number, origin: EventOrigin): Promise<{ token: string; record: TokenView }> {
    const old = (await this.d.store.listTokens()).find((t) => t.id === id && t.kind === 'api' && t.revokedAt === null);
    if (old === undefined) throw new SlipwayError('not_found', `no active API token ${id}`, { field: 'id', hint: 'list tokens with `slipway tokens ls`' });
    const lifetime = old.expiresAt === null ? null : Date.parse(old.expiresAt) - Date.parse(old.createdAt);
    // Revoked first: of two rotations at once, only the one that revoked it makes a new token.
    if (!(await this.d.store.revokeToken(old.id))) throw new SlipwayError('not_found', `no active API token ${id}`, { field: 'id' });
    const token = newToken();
    const expiresAt = lifetime === null ? null : new Date(this.d.now().getTime() + lifetime).toISOString();
    const record = await this.d.store.createToken(old.name, hashToken(token), { grants: old.grants, expiresAt });
    await this.d.store.recordEvent('token.rotated', null, { id: old.id, newId: record.id, name: old.name }, origin);
    return { token, record: tokenView(record) };
  }
}
