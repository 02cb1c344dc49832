// The edge port: public HTTPS routing of domains to app tasks, with automatic certificates.
//
// Protocol (checked by src/adapters/caddy/edge.conformance.ts on the fake and on real Caddy):
// - applyRoutes replaces the whole desired route set at once: routes not in the new set are gone (replace, never
//   merge), and the empty set is valid (nothing routed). One proxy reload per call, never one per route: a reload
//   closes WebSockets and aborts ACME work in flight.
// - Idempotent: the same set again (in any order, upstreams in any order or repeated) is a no-op for traffic, no
//   reload, open connections stay open.
// - It resolves once the proxy has accepted the config. Errors (SlipwayError), after which the proxy keeps
//   serving its previous set: invalid_input (field domain) for a set routing one domain twice, checked before the
//   proxy is asked; dependency if the proxy rejected the config or could not be reached.
// - Calls may overlap; they take effect in call order, so once all have settled the last accepted set is served.
// - currentRoutes reads back what the proxy serves now, normalized: sorted by domain, each route's upstreams
//   sorted and de-duplicated. Right after applyRoutes(set) it equals that normalized set.
// - The adapter also persists the config so a restarted proxy comes back with the same routes before Slipway
//   talks to it again.

import type { Route } from '../types.js';

export interface EdgePort {
  applyRoutes(routes: readonly Route[]): Promise<void>;
  /** Routes the proxy is serving now, read back from it (for repair on start); normalized as in the protocol. */
  currentRoutes(): Promise<Route[]>;
}
