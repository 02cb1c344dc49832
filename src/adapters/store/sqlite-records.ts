// SQLite store, settings (key/value) and the audit trail of events.

import type { Store } from '../../core/ports/store.js';
import { checkLimit, toJsonText } from './checks.js';
import { toEvent } from './rows.js';
import type { SqliteContext } from './sqlite-context.js';

type Records = Pick<Store, 'getSetting' | 'setSetting' | 'recordEvent' | 'listEvents'>;

export function sqliteRecords({ db, now }: SqliteContext): Records {
  return {
    async getSetting(key) {
      const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
      return row?.value ?? null;
    },

    async setSetting(key, value) {
      await db
        .insertInto('settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    },

    async recordEvent(type, app, data, origin) {
      const who = { actor: origin?.actor ?? null, source: origin?.source ?? null };
      await db.insertInto('events').values({ type, app, data: toJsonText(data, 'event data'), at: now(), ...who }).execute();
    },

    async listEvents(limit, filter = {}) {
      let query = db.selectFrom('events').selectAll();
      if (filter.app !== undefined) query = query.where('app', '=', filter.app);
      const rows = await query.orderBy('id', 'desc').limit(checkLimit(limit)).execute();
      return rows.map(toEvent);
    },
  };
}
