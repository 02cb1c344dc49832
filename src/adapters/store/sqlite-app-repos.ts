// SQLite store, the forge repository an app follows (its URL and sealed webhook secret and token).

import type { AppRepo, ForgeKind, Store } from '../../core/ports/store.js';
import { oneOf } from './rows.js';
import type { Selectable } from 'kysely';
import { appRepoNotFound, checkSealed, notFound } from './checks.js';
import { isForeignKeyViolation, type SqliteContext } from './sqlite-context.js';
import type { AppReposTable } from './tables.js';

type AppRepos = Pick<Store, 'setAppRepo' | 'getAppRepo' | 'deleteAppRepo'>;

export function sqliteAppRepos({ db, now }: SqliteContext): AppRepos {
  return {
    async setAppRepo(repo) {
      checkSealed(repo.webhookSecret);
      if (repo.token !== null) checkSealed(repo.token);
      const row = { app: repo.app, url: repo.url, webhook_secret: repo.webhookSecret, token: repo.token, forge: repo.forge, updated_at: now() };
      try {
        const stored = await db
          .insertInto('app_repos')
          .values(row)
          .onConflict((oc) => oc.column('app').doUpdateSet({ url: row.url, webhook_secret: row.webhook_secret, token: row.token, forge: row.forge, updated_at: row.updated_at }))
          .returningAll()
          .executeTakeFirstOrThrow();
        return toAppRepo(stored);
      } catch (err) {
        if (isForeignKeyViolation(err)) throw notFound(`app ${JSON.stringify(repo.app)}`, 'app');
        throw err;
      }
    },

    async getAppRepo(app) {
      const row = await db.selectFrom('app_repos').selectAll().where('app', '=', app).executeTakeFirst();
      return row === undefined ? null : toAppRepo(row);
    },

    async deleteAppRepo(app) {
      const result = await db.deleteFrom('app_repos').where('app', '=', app).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw appRepoNotFound(app);
    },
  };
}

function toAppRepo(row: Selectable<AppReposTable>): AppRepo {
  const forge = row.forge === null ? null : oneOf({ table: 'app_repos', id: row.app, column: 'forge' }, row.forge, FORGES);
  return { app: row.app, url: row.url, webhookSecret: row.webhook_secret, token: row.token, forge, updatedAt: row.updated_at };
}

const FORGES: readonly ForgeKind[] = ['github', 'gitlab', 'gitea'];
