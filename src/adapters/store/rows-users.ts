// Row → domain mapping for tokens and users, and the checks both stores apply to them.

import type { Selectable } from 'kysely';
import { z } from 'zod';
import { ROLES, type Grant } from '../../core/access.js';
import { SlipwayError } from '../../core/errors.js';
import type { TokenKind, TokenRecord, UserRecord } from '../../core/ports/store.js';
import { oneOf, parseJsonColumn } from './rows.js';
import type { TokensTable, UsersTable } from './tables.js';

const grantsSchema = z.array(z.object({ role: z.enum(ROLES), app: z.string() }).strict());
const TOKEN_KINDS: readonly TokenKind[] = ['api', 'session'];

export const OWNER_EVERYWHERE: readonly Grant[] = [{ role: 'owner', app: '*' }];

export function toToken(row: Selectable<TokensTable>): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    hash: row.hash,
    kind: oneOf({ table: 'tokens', id: row.id, column: 'kind' }, row.kind, TOKEN_KINDS),
    grants: parseJsonColumn({ table: 'tokens', id: row.id, column: 'grants' }, row.grants, grantsSchema),
    user: row.user,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

export function toUser(row: Selectable<UsersTable>): UserRecord {
  return {
    name: row.name,
    password: row.password,
    totp: row.totp,
    grants: parseJsonColumn({ table: 'users', id: row.name, column: 'grants' }, row.grants, grantsSchema),
    createdAt: row.created_at,
  };
}

/** Grants as stored: checked, so a caller's typo (a role that does not exist) never reaches the database. */
export function grantsText(grants: readonly Grant[]): string {
  const parsed = grantsSchema.safeParse(grants);
  if (!parsed.success) throw new SlipwayError('invalid_input', 'invalid grants', { field: 'grants', hint: `roles: ${ROLES.join(', ')}` });
  return JSON.stringify(parsed.data);
}

export const userExists = (name: string): SlipwayError =>
  new SlipwayError('conflict', `user ${JSON.stringify(name)} already exists`, { field: 'name', hint: 'pick another name, or `slipway users passwd` to change a password' });

export const userNotFound = (name: string): SlipwayError =>
  new SlipwayError('not_found', `user ${JSON.stringify(name)} not found`, { field: 'user', hint: 'list users with `slipway users ls`' });
