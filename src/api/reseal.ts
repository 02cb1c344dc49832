// Once at start: every sealed value still in the old format (v1, bound to nothing) is re-sealed bound to its app,
// kind and name (issue 12), so from then on a value copied to another row or column no longer opens.
//
// Runs before the server accepts requests and the queue starts, so nothing writes these rows meanwhile. A value that
// does not open (another key, damaged) is left as it is and reported: it is never lost, and it fails where it is used,
// with the hint to restore the key or set it again, exactly as before.

import { asSlipwayError } from '../core/errors.js';
import { repoTokenContext, secretContext, webhookSecretContext, type Sealer } from '../core/ports/sealer.js';
import type { Store } from '../core/ports/store.js';

export interface ResealDeps {
  readonly store: Pick<Store, 'listApps' | 'getSealedSecrets' | 'setSecret' | 'getAppRepo' | 'setAppRepo'>;
  readonly sealer: Pick<Sealer, 'upgrade'>;
  readonly warn: (line: string) => void;
}

/** Re-seals every old-format value; returns how many it re-sealed. */
export async function resealOldValues(d: ResealDeps): Promise<number> {
  let count = 0;
  // One value's failure is reported and skipped: the others still get their binding.
  const upgrade = (sealed: string, context: Parameters<Sealer['upgrade']>[1], what: string): string | null => {
    try {
      return d.sealer.upgrade(sealed, context);
    } catch (err) {
      d.warn(`could not re-seal ${what}, left as it is: ${asSlipwayError(err).message}`);
      return null;
    }
  };
  for (const app of await d.store.listApps()) {
    for (const [name, sealed] of Object.entries(await d.store.getSealedSecrets(app.name))) {
      const next = upgrade(sealed, secretContext(app.name, name), `secret ${name} of app ${app.name}`);
      if (next === null) continue;
      await d.store.setSecret(app.name, name, next);
      count++;
    }
    const repo = await d.store.getAppRepo(app.name);
    if (repo === null) continue;
    const webhookSecret = upgrade(repo.webhookSecret, webhookSecretContext(app.name), `the webhook secret of app ${app.name}`);
    const token = repo.token === null ? null : upgrade(repo.token, repoTokenContext(app.name), `the access token of app ${app.name}`);
    if (webhookSecret === null && token === null) continue;
    await d.store.setAppRepo({ app: repo.app, url: repo.url, forge: repo.forge, webhookSecret: webhookSecret ?? repo.webhookSecret, token: token ?? repo.token });
    count += (webhookSecret === null ? 0 : 1) + (token === null ? 0 : 1);
  }
  return count;
}
