// Keeps the edge's running container attached to exactly the networks it needs (each app's, each routed stack's),
// container-level: a service update adding networks would restart Caddy.

import { SlipwayError, asSlipwayError } from '../core/errors.js';
import type { EnginePort } from '../core/ports/engine.js';

/** A network the edge must be on; `labels` given: created when missing (an app's own network). */
export interface WantedNetwork {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>> | null;
}

export interface EdgeNetworksOptions {
  readonly engine: Pick<EnginePort, 'serviceContainers' | 'connectNetwork' | 'disconnectNetwork' | 'ensureNetwork'>;
  /** The edge's Swarm service. */
  readonly edgeService: string;
  /** Networks the edge may leave when no longer wanted; every other network it is on stays (its spec's own). */
  readonly managed: (network: string) => boolean;
}

export interface AttachResult {
  /** The edge's running containers seen (0 while its task is replaced: the watcher attaches the new one). */
  readonly containers: number;
  readonly connected: readonly string[];
  readonly disconnected: readonly string[];
  /**
   * Wanted but not joinable yet: dockerd connects a Swarm task's container only to an overlay network already
   * present on its node, which happens when a task of that network runs there (measured on 20.10: "network not
   * found" before). The watcher tries these again until they join.
   */
  readonly pending: readonly string[];
}

/**
 * Protocol: `attach(wanted)` records the wanted set and reconciles; `reconcile()` applies the last recorded set again
 * (the watcher calls it when `stale()`: a replaced edge container starts with only its spec's networks, and a network
 * pending before may be joinable now). Serialised: overlapping
 * calls run one after the other. `forget(names)` detaches at once and drops them from the wanted set, so the networks
 * can be removed (dockerd refuses to remove a network a container is on).
 */
export class EdgeNetworks {
  #wanted: readonly WantedNetwork[] = [];
  #seen = new Set<string>();
  #chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: EdgeNetworksOptions) {}

  attach(wanted: readonly WantedNetwork[]): Promise<AttachResult> {
    return this.#serial(() => {
      this.#wanted = dedupe(wanted);
      return this.#reconcileNow();
    });
  }

  reconcile(): Promise<AttachResult> {
    return this.#serial(() => this.#reconcileNow());
  }

  /**
   * Whether a container not seen by the last reconcile runs now (the edge's task was replaced). Networks left pending
   * are not retried here: dockerd makes a pending network present on this node while the app's first task is starting,
   * and connecting the edge in that moment made the task fail with "Address already in use" (measured). The route
   * sync after the deploy, when the task runs, joins them.
   */
  async stale(): Promise<boolean> {
    const containers = await this.opts.engine.serviceContainers(this.opts.edgeService);
    return containers.some((c) => !this.#seen.has(c.id));
  }

  forget(names: readonly string[]): Promise<AttachResult> {
    const gone = new Set(names);
    return this.#serial(() => {
      this.#wanted = this.#wanted.filter((w) => !gone.has(w.name));
      return this.#reconcileNow(gone);
    });
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(work);
    this.#chain = next.catch(() => undefined);
    return next;
  }

  async #reconcileNow(alsoLeave: ReadonlySet<string> = new Set()): Promise<AttachResult> {
    const { engine, edgeService, managed } = this.opts;
    const containers = await engine.serviceContainers(edgeService);
    const wanted = new Set(this.#wanted.map((w) => w.name));
    const connected: string[] = [];
    const disconnected: string[] = [];
    const pending: string[] = [];
    for (const container of containers) {
      const on = new Set(container.networks);
      for (const w of this.#wanted) {
        if (on.has(w.name)) continue;
        (await this.#connect(w, container.id) ? connected : pending).push(w.name);
      }
      for (const name of container.networks) {
        if (wanted.has(name) || !(managed(name) || alsoLeave.has(name))) continue;
        await engine.disconnectNetwork(name, container.id);
        disconnected.push(name);
      }
    }
    this.#seen = new Set(containers.map((c) => c.id));
    return { containers: containers.length, connected, disconnected, pending };
  }

  /** true: joined; false: not joinable yet (not_found: not on this node yet, or not made yet). */
  async #connect(w: WantedNetwork, container: string): Promise<boolean> {
    if (await this.#tryConnect(w, container)) return true;
    if (w.labels === null) return false;
    // An app's network is made here when the app is created (and for apps from before issue 12).
    await this.opts.engine.ensureNetwork(w.name, w.labels);
    return this.#tryConnect(w, container);
  }

  async #tryConnect(w: WantedNetwork, container: string): Promise<boolean> {
    try {
      await this.opts.engine.connectNetwork(w.name, container);
      return true;
    } catch (err) {
      if (asSlipwayError(err).kind === 'not_found') return false;
      throw new SlipwayError('dependency', `the edge could not join network ${w.name}: ${asSlipwayError(err).message}`, { cause: err });
    }
  }
}

function dedupe(wanted: readonly WantedNetwork[]): WantedNetwork[] {
  const byName = new Map<string, WantedNetwork>();
  for (const w of wanted) if (!byName.has(w.name)) byName.set(w.name, w);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
