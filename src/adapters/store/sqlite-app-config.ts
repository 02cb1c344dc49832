// SQLite store, an app's runtime config (sealed values) and the config each release ran with.

import { z } from 'zod';
import type { SealedConfig } from '../../core/app-config.js';
import type { ConfigEntry, Store } from '../../core/ports/store.js';
import { notFound, toJsonText } from './checks.js';
import { checkConfigChange, checkSealedConfig, configKeyNotFound, releaseConfigExists, releaseNotFound } from './checks-app-config.js';
import { parseJsonColumn } from './rows.js';
import type { SqliteContext } from './sqlite-context.js';

type AppConfigMethods = Pick<Store, 'getAppConfig' | 'changeAppConfig' | 'setReleaseConfig' | 'getReleaseConfig'>;

const sealedConfigSchema = z.record(z.string(), z.object({ sealed: z.string(), secret: z.boolean() }));

export function sqliteAppConfig({ db, now }: SqliteContext): AppConfigMethods {
  const list = async (app: string, q = db): Promise<ConfigEntry[]> => {
    const rows = await q.selectFrom('app_config').selectAll().where('app', '=', app).orderBy('name').execute();
    return rows.map((r) => ({ name: r.name, sealed: r.sealed, secret: r.secret === 1, updatedAt: r.updated_at }));
  };
  return {
    getAppConfig: (app) => list(app),

    async changeAppConfig(app, change) {
      checkConfigChange(change);
      return db.transaction().execute(async (trx) => {
        const exists = await trx.selectFrom('apps').select('name').where('name', '=', app).executeTakeFirst();
        if (exists === undefined) throw notFound(`app ${JSON.stringify(app)}`, 'app');
        for (const name of change.unset) {
          const gone = await trx.deleteFrom('app_config').where('app', '=', app).where('name', '=', name).executeTakeFirst();
          // Throwing rolls the transaction back: nothing of the change is applied.
          if (gone.numDeletedRows === 0n) throw configKeyNotFound(app, name);
        }
        const names = Object.keys(change.set);
        if (change.replace === true) {
          let removal = trx.deleteFrom('app_config').where('app', '=', app);
          if (names.length > 0) removal = removal.where('name', 'not in', names);
          await removal.execute();
        }
        const at = now();
        for (const [name, v] of Object.entries(change.set)) {
          const row = { app, name, sealed: v.sealed, secret: v.secret ? 1 : 0, updated_at: at };
          await trx
            .insertInto('app_config')
            .values(row)
            .onConflict((oc) => oc.columns(['app', 'name']).doUpdateSet({ sealed: row.sealed, secret: row.secret, updated_at: at }))
            .execute();
        }
        return list(app, trx);
      });
    },

    async setReleaseConfig(releaseId, config) {
      checkSealedConfig(config);
      await db.transaction().execute(async (trx) => {
        const release = await trx.selectFrom('releases').select('id').where('id', '=', releaseId).executeTakeFirst();
        if (release === undefined) throw releaseNotFound(releaseId);
        const had = await trx.selectFrom('release_config').select('release_id').where('release_id', '=', releaseId).executeTakeFirst();
        if (had !== undefined) throw releaseConfigExists(releaseId);
        await trx.insertInto('release_config').values({ release_id: releaseId, config: toJsonText(config, 'config') }).execute();
      });
    },

    async getReleaseConfig(releaseId) {
      const row = await db.selectFrom('release_config').select('config').where('release_id', '=', releaseId).executeTakeFirst();
      if (row === undefined) return {};
      return parseJsonColumn({ table: 'release_config', id: releaseId, column: 'config' }, row.config, sealedConfigSchema) as SealedConfig;
    },
  };
}
