// Keeps the edge's routes equal to the apps in the store; one reload per change, none when nothing changed.

import { routeOf } from '../core/naming.js';
import type { EdgePort } from '../core/ports/edge.js';
import type { Store } from '../core/ports/store.js';
import type { EventBus } from '../core/events.js';

export class RouteSync {
  #applied: string | null = null;
  #chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly edge: EdgePort,
    private readonly bus: EventBus,
    private readonly instance: string,
  ) {}

  /** Serialised: concurrent callers wait their turn, each applying the state it reads. */
  sync = (): Promise<void> => {
    const next = this.#chain.then(() => this.#syncNow());
    this.#chain = next.catch(() => undefined);
    return next;
  };

  async #syncNow(): Promise<void> {
    const apps = await this.store.listApps();
    const routes = apps.map((a) => routeOf(this.instance, a)).sort((a, b) => a.domain.localeCompare(b.domain));
    const key = JSON.stringify(routes);
    if (key === this.#applied) return;
    await this.edge.applyRoutes(routes);
    this.#applied = key;
    this.bus.emit('edge.applied', { routes: routes.length });
  }
}
