// The in-memory Store's tokens and users, with the SQLite store's semantics.

import type { Store, TokenRecord, UserRecord } from '../../core/ports/store.js';
import { tokenExists } from './checks.js';
import { grantsText, OWNER_EVERYWHERE, userExists, userNotFound } from './rows-users.js';

type UserMethods = Pick<Store,
  'createToken' | 'findTokenByHash' | 'countTokens' | 'touchToken' | 'listTokens' | 'revokeToken' |
  'createUser' | 'getUser' | 'listUsers' | 'updateUser' | 'deleteUser' | 'revokeUserSessions'>;

export function createMemoryUsers(deps: { now(): string }): UserMethods {
  const tokens: TokenRecord[] = [];
  const users = new Map<string, UserRecord>();
  const copy = <T>(value: T): T => structuredClone(value);
  const revokeWhere = (match: (t: TokenRecord) => boolean): number => {
    let n = 0;
    tokens.forEach((t, i) => {
      if (t.revokedAt === null && match(t)) {
        tokens[i] = { ...t, revokedAt: deps.now() };
        n++;
      }
    });
    return n;
  };
  return {
    async createToken(name, hash, options = {}) {
      const grants = JSON.parse(grantsText(options.grants ?? OWNER_EVERYWHERE)) as TokenRecord['grants'];
      if (tokens.some((t) => t.hash === hash)) throw tokenExists();
      const token: TokenRecord = {
        id: tokens.length + 1, name, hash, kind: options.kind ?? 'api', grants, user: options.user ?? null,
        createdAt: deps.now(), lastUsedAt: null, expiresAt: options.expiresAt ?? null, revokedAt: null,
      };
      tokens.push(token);
      return copy(token);
    },
    async findTokenByHash(hash) {
      const token = tokens.find((t) => t.hash === hash);
      return token === undefined ? null : copy(token);
    },
    async countTokens() {
      return tokens.length;
    },
    async touchToken(id) {
      const i = tokens.findIndex((t) => t.id === id);
      const token = tokens[i];
      if (token !== undefined) tokens[i] = { ...token, lastUsedAt: deps.now() };
    },
    async listTokens() {
      return tokens.map(copy);
    },
    async revokeToken(id) {
      return revokeWhere((t) => t.id === id) > 0;
    },

    async createUser(user) {
      const grants = JSON.parse(grantsText(user.grants)) as UserRecord['grants'];
      if (users.has(user.name)) throw userExists(user.name);
      const stored: UserRecord = { name: user.name, password: user.password, totp: null, grants, createdAt: deps.now() };
      users.set(user.name, stored);
      return copy(stored);
    },
    async getUser(name) {
      const user = users.get(name);
      return user === undefined ? null : copy(user);
    },
    async listUsers() {
      return [...users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(copy);
    },
    async updateUser(name, patch) {
      const grants = patch.grants === undefined ? undefined : (JSON.parse(grantsText(patch.grants)) as UserRecord['grants']);
      const user = users.get(name);
      if (user === undefined) throw userNotFound(name);
      const next: UserRecord = {
        ...user,
        ...(patch.password !== undefined && { password: patch.password }),
        ...(patch.totp !== undefined && { totp: patch.totp }),
        ...(grants !== undefined && { grants }),
      };
      users.set(name, next);
      return copy(next);
    },
    async deleteUser(name) {
      if (!users.delete(name)) throw userNotFound(name);
      revokeWhere((t) => t.user === name);
    },
    async revokeUserSessions(name) {
      revokeWhere((t) => t.user === name && t.kind === 'session');
    },
  };
}
