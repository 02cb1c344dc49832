// Runs the EdgePort conformance suite on CaddyEdge against real Caddy (Swarm service) with Pebble issuing certificates
// (the fake runs it in src/adapters/caddy/fake-edge.test.ts).

import { Agent } from 'node:https';
import { describe } from 'node:test';
import Dockerode from 'dockerode';
import { edgeConformance } from '../../src/adapters/caddy/edge.conformance.js';
import { APP_BODY, httpsGet, startEdgeWorld, until } from '../support/edge.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('edge port: CaddyEdge on Caddy + Pebble', { timeout: 420_000 }, () => {
  edgeConformance(async () => {
    const world = await startEdgeWorld(new Dockerode(), 'edge-conf');
    const port = world.edgeOpts.httpsPort;
    const get = (domain: string, agent: Agent | false = false) => httpsGet(port, domain, world.issuingRoot, agent);
    const reachesNow = (domain: string) => get(domain).then((a) => a.status === 200 && a.body === APP_BODY, () => false);
    const suffix = `conf-${world.id}.example.test`;
    return {
      edge: world.edge,
      domainSuffix: suffix,
      upstream: world.upstream,
      // The app listens on 8000 only; this one is never requested.
      otherUpstream: world.upstream.replace(/:8000$/, ':8001'),
      // Passes Slipway's domain syntax check, but is not valid IDNA: Caddy refuses to manage a certificate for it.
      refusedDomain: `xn--zz.${suffix}`,
      reaches: async (domain, expected) => {
        // A new domain waits for its certificate; a removed one is gone once the load has returned.
        const deadline = Date.now() + (expected ? 60_000 : 10_000);
        for (;;) {
          const now = await reachesNow(domain);
          if (now === expected || Date.now() > deadline) return now;
          await sleep(250);
        }
      },
      keepsConnection: async (domain, action) => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        try {
          await until(60_000, () => get(domain, agent));
          await action();
          await sleep(300); // lets a closing connection's FIN arrive before the agent reuses it
          const again = await get(domain, agent).catch(() => undefined);
          return again?.reusedSocket === true && again.body === APP_BODY;
        } finally {
          agent.destroy();
        }
      },
      dispose: () => world.dispose(),
    };
  });
});
