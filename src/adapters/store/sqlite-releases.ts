// SQLite store, releases: per-app numbering and the one live release.

import { sql } from 'kysely';
import type { Store } from '../../core/ports/store.js';
import { notFound, toJsonText } from './checks.js';
import { toRelease } from './rows.js';
import { isForeignKeyViolation, type SqliteContext } from './sqlite-context.js';

type Releases = Pick<
  Store,
  'createRelease' | 'getRelease' | 'getReleaseById' | 'listReleases' | 'liveRelease' | 'setReleaseStatus'
>;

export function sqliteReleases({ db, now }: SqliteContext): Releases {
  return {
    async createRelease(release) {
      const { app, image, port, replicas, env } = release.spec;
      // The spec is stored without releaseNumber: the number column is the one truth, added back on read.
      const spec = toJsonText({ app, image, port, replicas, env }, 'spec');
      // INSERT … SELECT max+1 in one statement: SQLite holds the write lock from before the read, so
      // concurrent callers (even other processes) get consecutive numbers; UNIQUE(app, number) backs it up.
      const insert = db
        .insertInto('releases')
        .columns(['app', 'number', 'image', 'commit_sha', 'run_id', 'spec', 'status', 'rollback_of', 'created_at'])
        .expression((eb) =>
          eb
            .selectFrom('releases')
            .where('app', '=', release.app)
            .select((e) => [
              e.val(release.app).as('app'),
              sql<number>`coalesce(max(${e.ref('number')}), 0) + 1`.as('number'),
              e.val(release.image).as('image'),
              e.val(release.commit).as('commit_sha'),
              e.val(release.runId).as('run_id'),
              e.val(spec).as('spec'),
              e.val('deploying').as('status'),
              e.val(release.rollbackOf).as('rollback_of'),
              e.val(now()).as('created_at'),
            ]),
        )
        .returningAll();
      try {
        return toRelease(await insert.executeTakeFirstOrThrow());
      } catch (err) {
        if (isForeignKeyViolation(err)) throw notFound(`run ${String(release.runId)}`, 'runId');
        throw err;
      }
    },

    async getRelease(app, number) {
      const row = await db.selectFrom('releases').selectAll().where('app', '=', app).where('number', '=', number).executeTakeFirst();
      return row === undefined ? null : toRelease(row);
    },

    async getReleaseById(id) {
      const row = await db.selectFrom('releases').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : toRelease(row);
    },

    async listReleases(app) {
      const rows = await db.selectFrom('releases').selectAll().where('app', '=', app).orderBy('number', 'desc').execute();
      return rows.map(toRelease);
    },

    async liveRelease(app) {
      const row = await db.selectFrom('releases').selectAll().where('app', '=', app).where('status', '=', 'live').executeTakeFirst();
      return row === undefined ? null : toRelease(row);
    },

    async setReleaseStatus(id, status, deployedAt) {
      return db.transaction().execute(async (trx) => {
        if (status === 'live') {
          // At most one live release per app: the one it replaces becomes superseded in the same
          // transaction (a caller doing a rollback then marks it rolled_back).
          await trx
            .updateTable('releases')
            .set({ status: 'superseded' })
            .where('status', '=', 'live')
            .where('id', '!=', id)
            .where('app', '=', (eb) => eb.selectFrom('releases').select('app').where('id', '=', id))
            .execute();
        }
        const row = await trx
          .updateTable('releases')
          .set({ status, ...(deployedAt !== undefined && { deployed_at: deployedAt }) })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        if (row === undefined) throw notFound(`release id ${id}`, 'releaseId');
        return toRelease(row);
      });
    },
  };
}
