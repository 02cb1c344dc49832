// EdgePort for unit tests: an in-memory proxy, scriptable (hold, refuse, fail), that passes the edge conformance suite.

import { SlipwayError } from '../../core/errors.js';
import type { EdgePort } from '../../core/ports/edge.js';
import type { Route } from '../../core/types.js';

export class FakeEdge implements EdgePort {
  /** Every accepted applyRoutes call's routes, as passed, in order. */
  readonly applied: Array<readonly Route[]> = [];
  /** How many accepted calls changed what is served (the real proxy reloads only then). */
  reloads = 0;
  /** The most applyRoutes calls that were in progress at once. */
  maxInFlight = 0;
  #served: Route[] = [];
  #inFlight = 0;
  #gate: Promise<void> | null = null;
  #open: () => void = () => {};
  readonly #failures: Error[] = [];
  readonly #refused = new Set<string>();
  #reachable = true;

  /** Holds every applyRoutes call made from now on until release(); they then complete in call order. */
  hold(): void {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }

  release(): void {
    this.#gate = null;
    this.#open();
  }

  /** The next applyRoutes call fails with this error, changing nothing. */
  failNext(error: Error): void {
    this.#failures.push(error);
  }

  /** The proxy rejects any set routing this domain, as Caddy rejects a domain it cannot manage a certificate for. */
  refuseDomain(domain: string): void {
    this.#refused.add(domain);
  }

  /** While unreachable, every call fails as when the proxy is down. */
  setReachable(reachable: boolean): void {
    this.#reachable = reachable;
  }

  /** Where a request for this domain goes now (its upstreams), or undefined when nothing routes it. */
  upstreamsFor(domain: string): readonly string[] | undefined {
    return this.#served.find((r) => r.domain === domain)?.upstreams;
  }

  async applyRoutes(routes: readonly Route[]): Promise<void> {
    this.#inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
    try {
      if (this.#gate) await this.#gate;
      const next = normalize(routes);
      const failure = this.#failures.shift();
      if (failure) throw failure;
      this.#ensureReachable();
      const refused = next.find((r) => this.#refused.has(r.domain));
      if (refused) {
        throw new SlipwayError('dependency', `the proxy refused the config: cannot manage a certificate for ${refused.domain}`, {
          hint: 'the edge keeps serving its previous config',
        });
      }
      if (JSON.stringify(next) !== JSON.stringify(this.#served)) this.reloads++;
      this.#served = next;
      this.applied.push(routes);
    } finally {
      this.#inFlight--;
    }
  }

  async currentRoutes(): Promise<Route[]> {
    this.#ensureReachable();
    return this.#served.map((r) => ({ domain: r.domain, upstreams: [...r.upstreams] }));
  }

  #ensureReachable(): void {
    if (!this.#reachable) {
      throw new SlipwayError('dependency', 'the proxy admin API is unreachable: ECONNREFUSED', {
        hint: 'is the edge service running? check `docker service ps` and its logs',
      });
    }
  }
}

/** Sorted by domain, upstreams sorted and de-duplicated; a domain routed twice is invalid_input, as the protocol says. */
function normalize(routes: readonly Route[]): Route[] {
  const sorted = [...routes].sort((a, b) => compare(a.domain, b.domain));
  sorted.forEach((route, i) => {
    if (i > 0 && sorted[i - 1]?.domain === route.domain) {
      throw new SlipwayError('invalid_input', `domain ${route.domain} is routed twice`, { field: 'domain', hint: 'give each app its own domain' });
    }
  });
  return sorted.map((r) => ({ domain: r.domain, upstreams: [...new Set(r.upstreams)].sort(compare) }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
