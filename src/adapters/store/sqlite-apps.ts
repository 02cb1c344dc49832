// SQLite store, apps (tokens and users: sqlite-users.ts).

import type { App } from '../../core/types.js';
import type { AppPatch, Store } from '../../core/ports/store.js';
import { appExists, domainTaken, notFound } from './checks.js';
import { toApp } from './rows.js';
import type { SqliteContext } from './sqlite-context.js';

type AppsAndTokens = Pick<
  Store,
  'createApp' | 'getApp' | 'listApps' | 'updateApp' | 'deleteApp'
>;

export function sqliteApps({ db, now }: SqliteContext): AppsAndTokens {
  async function getApp(name: string): Promise<App | null> {
    const row = await db.selectFrom('apps').selectAll().where('name', '=', name).executeTakeFirst();
    return row === undefined ? null : toApp(row);
  }

  /** The unique index on apps.domain said no: a conflict naming the app that has the domain. */
  async function rethrowDomain(err: unknown, domain: string): Promise<never> {
    if (!isDomainConflict(err)) throw err;
    const owner = await db.selectFrom('apps').select('name').where('domain', '=', domain).executeTakeFirst();
    throw domainTaken(domain, owner?.name);
  }

  return {
    async createApp(app) {
      // ON CONFLICT DO NOTHING + RETURNING: one statement decides, so two creators cannot both win.
      // A taken domain is refused by the unique index (migration 0008), which the name's DO NOTHING does not cover.
      const row = await db
        .insertInto('apps')
        .values({ name: app.name, domain: app.domain, port: app.port, replicas: app.replicas, branch: app.branch, concurrency: app.concurrency ?? 1, created_at: now() })
        .onConflict((oc) => oc.column('name').doNothing())
        .returningAll()
        .executeTakeFirst()
        .catch((err: unknown) => rethrowDomain(err, app.domain));
      if (row === undefined) throw appExists(app.name);
      return toApp(row);
    },

    getApp,

    async listApps() {
      const rows = await db.selectFrom('apps').selectAll().orderBy('name').execute();
      return rows.map(toApp);
    },

    async updateApp(name, patch) {
      const set = appChanges(patch);
      if (Object.keys(set).length === 0) {
        const app = await getApp(name);
        if (app === null) throw notFound(`app ${JSON.stringify(name)}`, 'name');
        return app;
      }
      const row = await db
        .updateTable('apps')
        .set(set)
        .where('name', '=', name)
        .returningAll()
        .executeTakeFirst()
        .catch((err: unknown) => rethrowDomain(err, set.domain ?? ''));
      if (row === undefined) throw notFound(`app ${JSON.stringify(name)}`, 'name');
      return toApp(row);
    },

    async deleteApp(name) {
      await db.deleteFrom('apps').where('name', '=', name).execute();
    },
  };
}

/** Only the fields the patch names: `{ port: undefined }` changes nothing. */
function appChanges(patch: AppPatch): Partial<Pick<App, 'domain' | 'port' | 'replicas' | 'branch' | 'concurrency'>> {
  return {
    ...(patch.domain !== undefined && { domain: patch.domain }),
    ...(patch.port !== undefined && { port: patch.port }),
    ...(patch.replicas !== undefined && { replicas: patch.replicas }),
    ...(patch.branch !== undefined && { branch: patch.branch }),
    ...(patch.concurrency !== undefined && { concurrency: patch.concurrency }),
  };
}

function isDomainConflict(err: unknown): boolean {
  return (
    err instanceof Error &&
    (err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    err.message.includes('apps.domain')
  );
}
