// Keeps the edge's routes equal to the apps in the store (plus Slipway's own domain); one reload per change, none
// when nothing changed.

import { routeOf } from '../core/naming.js';
import type { EdgePort } from '../core/ports/edge.js';
import type { Store } from '../core/ports/store.js';
import type { EventBus } from '../core/events.js';
import type { Route } from '../core/types.js';

export class RouteSync {
  #applied: string | null = null;
  #chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly edge: EdgePort,
    private readonly bus: EventBus,
    private readonly instance: string,
    /** Routes that are not apps': Slipway's own domain (its API, git remote and webhooks behind the edge). */
    private readonly own: readonly Route[] = [],
  ) {}

  /** Serialised: concurrent callers wait their turn, each applying the state it reads. */
  sync = (): Promise<void> => {
    const next = this.#chain.then(() => this.#syncNow());
    this.#chain = next.catch(() => undefined);
    return next;
  };

  async #syncNow(): Promise<void> {
    const apps = await this.store.listApps();
    const reserved = new Set(this.own.map((r) => r.domain));
    // An app can never take Slipway's own domain (refused when set); an old record that has it is not routed.
    const appRoutes = apps.map((a) => routeOf(this.instance, a)).filter((r) => !reserved.has(r.domain));
    const routes = [...this.own, ...appRoutes].sort((a, b) => a.domain.localeCompare(b.domain));
    const key = JSON.stringify(routes);
    if (key === this.#applied) return;
    await this.edge.applyRoutes(routes);
    this.#applied = key;
    this.bus.emit('edge.applied', { routes: routes.length });
  }
}
