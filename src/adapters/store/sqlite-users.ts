// SQLite store, API tokens, sessions and users.

import type { Store } from '../../core/ports/store.js';
import { tokenExists } from './checks.js';
import { grantsText, OWNER_EVERYWHERE, toToken, toUser, userExists, userNotFound } from './rows-users.js';
import type { SqliteContext } from './sqlite-context.js';

type UserMethods = Pick<Store,
  'createToken' | 'findTokenByHash' | 'countTokens' | 'touchToken' | 'listTokens' | 'revokeToken' |
  'createUser' | 'getUser' | 'listUsers' | 'updateUser' | 'deleteUser' | 'revokeUserSessions'>;

export function sqliteUsers({ db, now }: SqliteContext): UserMethods {
  return {
    async createToken(name, hash, options = {}) {
      const row = await db
        .insertInto('tokens')
        .values({
          name, hash, created_at: now(), last_used_at: null,
          kind: options.kind ?? 'api', grants: grantsText(options.grants ?? OWNER_EVERYWHERE),
          user: options.user ?? null, expires_at: options.expiresAt ?? null, revoked_at: null,
        })
        .onConflict((oc) => oc.column('hash').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw tokenExists();
      return toToken(row);
    },

    async findTokenByHash(hash) {
      const row = await db.selectFrom('tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
      return row === undefined ? null : toToken(row);
    },

    async countTokens() {
      const row = await db.selectFrom('tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async touchToken(id) {
      await db.updateTable('tokens').set({ last_used_at: now() }).where('id', '=', id).execute();
    },

    async listTokens() {
      return (await db.selectFrom('tokens').selectAll().orderBy('id').execute()).map(toToken);
    },

    async revokeToken(id) {
      const result = await db.updateTable('tokens').set({ revoked_at: now() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async createUser(user) {
      const row = await db
        .insertInto('users')
        .values({ name: user.name, password: user.password, totp: null, grants: grantsText(user.grants), created_at: now() })
        .onConflict((oc) => oc.column('name').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw userExists(user.name);
      return toUser(row);
    },

    async getUser(name) {
      const row = await db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
      return row === undefined ? null : toUser(row);
    },

    async listUsers() {
      return (await db.selectFrom('users').selectAll().orderBy('name').execute()).map(toUser);
    },

    async updateUser(name, patch) {
      const set = {
        ...(patch.password !== undefined && { password: patch.password }),
        ...(patch.totp !== undefined && { totp: patch.totp }),
        ...(patch.grants !== undefined && { grants: grantsText(patch.grants) }),
      };
      // An empty patch still answers the user (or not_found): update the name to itself.
      const row = await db.updateTable('users').set({ name, ...set }).where('name', '=', name).returningAll().executeTakeFirst();
      if (row === undefined) throw userNotFound(name);
      return toUser(row);
    },

    async deleteUser(name) {
      await db.transaction().execute(async (tx) => {
        const gone = await tx.deleteFrom('users').where('name', '=', name).executeTakeFirst();
        if (Number(gone.numDeletedRows) === 0) throw userNotFound(name);
        await tx.updateTable('tokens').set({ revoked_at: now() }).where('user', '=', name).where('revoked_at', 'is', null).execute();
      });
    },

    async revokeUserSessions(name) {
      await db.updateTable('tokens').set({ revoked_at: now() }).where('user', '=', name).where('kind', '=', 'session').where('revoked_at', 'is', null).execute();
    },
  };
}
