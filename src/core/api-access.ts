// The API contract of users, sessions, tokens and audit (issue 12), shared by the server, the CLI and the dashboard:
//   POST   /api/session              SignInRequest → 201 SignInResponse        (public; 429 + Retry-After when limited)
//   DELETE /api/session              → 204 (revokes the token or session used)
//   GET    /api/me                   → { me: Me }
//   PUT    /api/me/password          { current, password } → 204
//   GET    /api/users                → { users: UserView[] }                   (owner)
//   POST   /api/users                AddUserRequest → 201 { user }            (owner)
//   PATCH  /api/users/:user          { grants } → { user }                    (owner)
//   DELETE /api/users/:user          → 204, the user's sessions revoked       (owner)
//   PUT    /api/users/:user/password { password } → 204                      (owner)
//   POST   /api/users/:user/totp     → 201 TotpResponse (shown once)          (owner)
//   DELETE /api/users/:user/totp     → 204                                    (owner)
//   GET    /api/tokens               → { tokens: TokenView[] }                 (owner)
//   POST   /api/tokens               CreateTokenRequest → 201 NewTokenResponse (owner; the token shown once)
//   DELETE /api/tokens/:id           → 204                                    (owner)
//   POST   /api/tokens/:id/rotate    → 201 NewTokenResponse                   (owner)
//   GET    /api/audit?app=&limit=    → { events: AuditEvent[] }                (what the caller may read)

import type { Grant } from './access.js';
import type { AuditEvent, TokenRecord } from './ports/store.js';

export interface Me {
  readonly name: string;
  readonly kind: 'session' | 'api';
  readonly grants: readonly Grant[];
}

export interface UserView {
  readonly name: string;
  readonly grants: readonly Grant[];
  readonly totp: boolean;
  readonly createdAt: string;
}

/** A token as listed: everything but its hash. */
export type TokenView = Omit<TokenRecord, 'hash'>;

export interface SignInRequest {
  name: string;
  password: string;
  totp?: string;
  client?: 'dashboard' | 'cli';
}

export interface SignInResponse {
  token: string;
  user: UserView;
  expiresAt: string;
}

export interface AddUserRequest {
  name: string;
  password: string;
  grants: Grant[];
}

export interface CreateTokenRequest {
  name: string;
  grants: Grant[];
  /** `90m`, `12h`, `30d`; absent: never expires. */
  expires?: string;
}

export interface NewTokenResponse {
  token: string;
  record: TokenView;
}

export interface TotpResponse {
  uri: string;
  secret: string;
}

export interface AuditResponse {
  events: AuditEvent[];
}
