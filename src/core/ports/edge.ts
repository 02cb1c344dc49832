// The edge port: public HTTPS routing of domains to app tasks, with automatic certificates.
//
// Protocol:
// - applyRoutes replaces the whole desired route set at once (one proxy reload per call, never one per route:
//   a reload closes WebSockets and aborts ACME work in flight). Calling it again with the same routes is a no-op
//   for traffic. It resolves once the proxy has accepted the config, and throws SlipwayError('dependency') if the
//   proxy rejected it, in which case the proxy keeps serving its previous config.
// - The adapter also persists the config so a restarted proxy comes back with the same routes before Slipway
//   talks to it again.

import type { Route } from '../types.js';

export interface EdgePort {
  applyRoutes(routes: readonly Route[]): Promise<void>;
  /** Routes the proxy is serving now, read back from it (for repair on start). */
  currentRoutes(): Promise<Route[]>;
}
