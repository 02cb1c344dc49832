// Keeps the edge's routes equal to the apps in the store and the routed stack services in the engine (plus Slipway's
// own domain), and the edge attached to the networks those routes need; one reload per change, none when nothing
// changed.

import { appNetworkName, routeOf } from '../core/naming.js';
import type { EdgePort } from '../core/ports/edge.js';
import type { EnginePort, ServiceDefinition } from '../core/ports/engine.js';
import type { Store } from '../core/ports/store.js';
import type { EventBus } from '../core/events.js';
import type { Route } from '../core/types.js';
import type { EdgeNetworks, WantedNetwork } from './edge-networks.js';
import { checkStackDomains, stackRoutesOf, type StackServiceRoute } from './stack-routes.js';

/** What route sync needs beyond the store and the edge for networks and stack routes (issue 12, 13). */
export interface RouteSyncNetworking {
  /** Reads the routed stack services (their route labels). */
  readonly engine: Pick<EnginePort, 'listServices' | 'listNetworks'>;
  /** Attaches the edge's container to each app's and routed stack's network. */
  readonly networks: EdgeNetworks;
  /** A route not applied (its domain taken by an app or an earlier stack service): said, never silent. */
  readonly warn?: (line: string) => void;
}

export class RouteSync {
  #applied: string | null = null;
  #chain: Promise<void> = Promise.resolve();
  #warned = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly edge: EdgePort,
    private readonly bus: EventBus,
    private readonly instance: string,
    /** Routes that are not apps': Slipway's own domain (its API, git remote and webhooks behind the edge). */
    private readonly own: readonly Route[] = [],
    private readonly net: RouteSyncNetworking | null = null,
  ) {}

  /** Serialised: concurrent callers wait their turn, each applying the state it reads. */
  sync = (): Promise<void> => this.#serial(() => this.#syncNow());

  /**
   * Before an app's or stack's networks are removed: the edge leaves them (dockerd refuses to remove a network a
   * container is on). Call after their services are gone; the next sync no longer wants them.
   */
  leave = (app: string): Promise<void> =>
    this.#serial(async () => {
      if (this.net === null) return;
      const labelled = await this.net.engine.listNetworks({ 'io.slipway.instance': this.instance, 'io.slipway.app': app });
      await this.net.networks.forget([appNetworkName(this.instance, app), ...labelled.map((n) => n.name)]);
    });

  /** Refuses a stack whose routed services take a domain already used (call before deploying it). */
  checkStackDomains = async (stack: string, services: readonly ServiceDefinition[]): Promise<void> => {
    checkStackDomains(stack, services, {
      reserved: this.own.map((r) => r.domain),
      apps: await this.store.listApps(),
      stackRoutes: await this.#stackRoutes(),
    });
  };

  /** The routed stack service holding a domain, or null: an app may not take it (issue 13). */
  stackServiceOf = async (domain: string): Promise<string | null> =>
    (await this.#stackRoutes()).find((r) => r.route.domain === domain.toLowerCase())?.serviceName ?? null;

  #serial(work: () => Promise<void>): Promise<void> {
    const next = this.#chain.then(work);
    this.#chain = next.catch(() => undefined);
    return next;
  }

  async #syncNow(): Promise<void> {
    const apps = await this.store.listApps();
    const reserved = new Set(this.own.map((r) => r.domain));
    // An app can never take Slipway's own domain (refused when set); an old record that has it is not routed.
    const appRoutes = apps.map((a) => routeOf(this.instance, a)).filter((r) => !reserved.has(r.domain));
    const taken = new Set([...reserved, ...appRoutes.map((r) => r.domain)]);
    const stackRoutes: StackServiceRoute[] = [];
    for (const s of await this.#stackRoutes()) {
      // Refused up front by checkStackDomains; one that slipped through (an app created later) loses to the app.
      if (taken.has(s.route.domain)) {
        this.#warnOnce(`${s.serviceName}: domain ${s.route.domain} is already used; the stack service is not routed`);
        continue;
      }
      taken.add(s.route.domain);
      stackRoutes.push(s);
    }
    if (this.net !== null) {
      // App services are on the edge's own network (see converge/rollout.ts); routed stack services on theirs.
      const wanted: WantedNetwork[] = stackRoutes.map((s) => ({ name: s.network, labels: null }));
      // Before the routes: the edge must reach an upstream on its network before traffic is sent there.
      await this.net.networks.attach(wanted);
    }
    const routes = [...this.own, ...appRoutes, ...stackRoutes.map((s) => s.route)].sort((a, b) => a.domain.localeCompare(b.domain));
    const key = JSON.stringify(routes);
    if (key === this.#applied) return;
    await this.edge.applyRoutes(routes);
    this.#applied = key;
    this.bus.emit('edge.applied', { routes: routes.length });
  }

  async #stackRoutes(): Promise<StackServiceRoute[]> {
    if (this.net === null) return [];
    return stackRoutesOf(await this.net.engine.listServices({ 'io.slipway.instance': this.instance }));
  }

  #warnOnce(line: string): void {
    if (this.#warned.has(line)) return;
    this.#warned.add(line);
    this.net?.warn?.(line);
  }
}
