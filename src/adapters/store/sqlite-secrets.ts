// SQLite store, an app's secrets, kept sealed (the caller seals and opens them; see adapters/secrets).

import type { Store } from '../../core/ports/store.js';
import { checkSealed, checkSecretName, notFound, secretNotFound } from './checks.js';
import { isForeignKeyViolation, type SqliteContext } from './sqlite-context.js';

type Secrets = Pick<Store, 'setSecret' | 'listSecretNames' | 'getSealedSecrets' | 'deleteSecret'>;

export function sqliteSecrets({ db, now }: SqliteContext): Secrets {
  return {
    async setSecret(app, name, sealed) {
      checkSecretName(name);
      checkSealed(sealed);
      const updatedAt = now();
      try {
        await db
          .insertInto('secrets')
          .values({ app, name, sealed, updated_at: updatedAt })
          .onConflict((oc) => oc.columns(['app', 'name']).doUpdateSet({ sealed, updated_at: updatedAt }))
          .execute();
      } catch (err) {
        if (isForeignKeyViolation(err)) throw notFound(`app ${JSON.stringify(app)}`, 'app');
        throw err;
      }
    },

    async listSecretNames(app) {
      const rows = await db.selectFrom('secrets').select(['name', 'updated_at']).where('app', '=', app).orderBy('name').execute();
      return rows.map((r) => ({ name: r.name, updatedAt: r.updated_at }));
    },

    async getSealedSecrets(app) {
      const rows = await db.selectFrom('secrets').select(['name', 'sealed']).where('app', '=', app).orderBy('name').execute();
      return Object.fromEntries(rows.map((r) => [r.name, r.sealed]));
    },

    async deleteSecret(app, name) {
      checkSecretName(name);
      const result = await db.deleteFrom('secrets').where('app', '=', app).where('name', '=', name).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw secretNotFound(app, name);
    },
  };
}
