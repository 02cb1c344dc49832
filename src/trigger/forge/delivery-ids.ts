// Remembers the ids of verified webhook deliveries, so a redelivered (or replayed) one starts nothing: GitHub's
// X-GitHub-Delivery, Gitea/Forgejo's X-Gitea-Delivery / X-Forgejo-Delivery, GitLab's Idempotency-Key (the same on
// its retries) or else X-Gitlab-Event-UUID. The last ids of each app are kept in the store's settings.

import type { Store } from '../../core/ports/store.js';
import type { Headers } from './deliveries.js';

/** Ids remembered per app; forges redeliver within hours, by which time an app has had far fewer deliveries. */
export const REMEMBERED_DELIVERIES = 500;

/** The delivery's id, or null when the forge sent none (an older forge, a hand-made request). */
export function deliveryId(headers: Headers): string | null {
  const id = headers['x-github-delivery'] ?? headers['x-forgejo-delivery'] ?? headers['x-gitea-delivery']
    ?? headers['idempotency-key'] ?? headers['x-gitlab-event-uuid'];
  // Bounded: it is stored, and only a verified delivery gets here, but the header itself is not signed.
  return id === undefined || id.trim() === '' ? null : id.trim().slice(0, 200);
}

export class DeliveryIds {
  /** Claims are read-modify-write of one setting: one at a time in this process. */
  #chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Pick<Store, 'getSetting' | 'setSetting'>,
    private readonly max = REMEMBERED_DELIVERIES,
  ) {}

  /** True the first time an id is claimed for the app; false for a duplicate. */
  claim(app: string, id: string): Promise<boolean> {
    return this.#serial(async () => {
      const ids = await this.#read(app);
      if (ids.includes(id)) return false;
      await this.#write(app, [...ids, id].slice(-this.max));
      return true;
    });
  }

  /** Forgets a claimed id (its delivery failed), so the forge's retry runs. */
  release(app: string, id: string): Promise<void> {
    return this.#serial(async () => {
      await this.#write(app, (await this.#read(app)).filter((x) => x !== id));
    });
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(work);
    this.#chain = next.catch(() => undefined);
    return next;
  }

  async #read(app: string): Promise<string[]> {
    const raw = await this.store.getSetting(key(app));
    if (raw === null) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  }

  async #write(app: string, ids: string[]): Promise<void> {
    await this.store.setSetting(key(app), JSON.stringify(ids));
  }
}

const key = (app: string) => `forge.deliveries.${app}`;
