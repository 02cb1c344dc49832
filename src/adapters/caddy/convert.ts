// Pure mapping between Slipway routes and Caddy JSON config, both ways. No I/O here.

import { SlipwayError } from '../../core/errors.js';
import type { Route } from '../../core/types.js';
import type { AcmeSettings, CaddyAcmeIssuer, CaddyAdmin, CaddyConfig, CaddyRoute, EdgeSettings } from './config-types.js';
import { EDGE_ADMIN_LISTEN } from './service-spec.js';

/** The one server Slipway manages; routes found elsewhere in a live config are not ours. */
export const SERVER_NAME = 'slipway';

export function defaultEdgeSettings(acme: AcmeSettings = {}): EdgeSettings {
  return {
    adminListen: EDGE_ADMIN_LISTEN,
    storageRoot: '/data/caddy',
    acme,
    upstreamTryDuration: '5s',
    upstreamTryInterval: '250ms',
  };
}

/** Every loaded config carries this block: a config without it would move the admin endpoint back to TCP. */
export function adminBlock(listen: string): CaddyAdmin {
  // Without origins, Caddy answers requests on a unix socket with "host not allowed".
  return { listen, origins: ['localhost'], config: { persist: false } };
}

/** What a fresh edge starts from: admin endpoint only, no listeners. */
export function adminOnlyConfig(listen: string): CaddyConfig {
  return { admin: adminBlock(listen) };
}

/**
 * Deterministic (routes sorted by domain, upstreams sorted and de-duplicated) so the same route set gives
 * byte-identical JSON, which Caddy's /load treats as "config is unchanged": no reload, no dropped WebSockets.
 */
export function buildCaddyConfig(routes: readonly Route[], settings: EdgeSettings): CaddyConfig {
  const sorted = [...routes].sort((a, b) => compare(a.domain, b.domain));
  sorted.forEach((route, i) => {
    if (i > 0 && sorted[i - 1]?.domain === route.domain) {
      throw new SlipwayError('invalid_input', `domain ${route.domain} is routed twice`, {
        field: 'domain',
        hint: 'give each app its own domain',
      });
    }
  });
  return {
    admin: adminBlock(settings.adminListen),
    storage: { module: 'file_system', root: settings.storageRoot },
    apps: {
      http: {
        http_port: 80,
        https_port: 443,
        servers: {
          // Listening on the HTTPS port with host matchers turns on automatic HTTPS: certificates for every
          // host, and Caddy adds the :80 server that redirects to HTTPS (and answers HTTP-01 challenges).
          // HTTP/3 is off: only TCP 80/443 are published.
          [SERVER_NAME]: { listen: [':443'], protocols: ['h1', 'h2'], routes: sorted.map((r) => caddyRoute(r, settings)) },
        },
      },
      tls: { automation: { policies: [{ issuers: [acmeIssuer(settings.acme)] }] } },
    },
  };
}

function caddyRoute(route: Route, settings: EdgeSettings): CaddyRoute {
  const dials = [...new Set(route.upstreams)].sort(compare);
  return {
    match: [{ host: [route.domain] }],
    handle: [
      {
        handler: 'reverse_proxy',
        upstreams: dials.map((dial) => ({ dial })),
        // try_duration 0 (the default) means a refused dial fails the request at once (PITFALLS: lb_try_duration).
        load_balancing: { try_duration: settings.upstreamTryDuration, try_interval: settings.upstreamTryInterval },
      },
    ],
    terminal: true,
  };
}

function acmeIssuer(acme: AcmeSettings): CaddyAcmeIssuer {
  const roots = acme.trustedRootsPemFiles ?? [];
  return {
    module: 'acme',
    ...(acme.ca === undefined ? {} : { ca: acme.ca }),
    ...(acme.email === undefined ? {} : { email: acme.email }),
    ...(roots.length === 0 ? {} : { trusted_roots_pem_files: [...roots] }),
  };
}

/** Reads the routes of Slipway's server back out of a live config (unknown JSON from GET /config/). */
export function routesFromCaddyConfig(config: unknown): Route[] {
  const server = at(config, 'apps', 'http', 'servers', SERVER_NAME);
  const routes = at(server, 'routes');
  if (!Array.isArray(routes)) return [];
  return routes.flatMap((raw: unknown): Route[] => {
    const hosts = at(raw, 'match', 0, 'host');
    const domain = Array.isArray(hosts) && hosts.length === 1 ? hosts[0] : undefined;
    const handler = at(raw, 'handle', 0);
    const upstreams = at(handler, 'upstreams');
    if (typeof domain !== 'string' || at(handler, 'handler') !== 'reverse_proxy' || !Array.isArray(upstreams)) return [];
    const dials = upstreams.map((u: unknown) => at(u, 'dial')).filter((d): d is string => typeof d === 'string');
    return [{ domain, upstreams: dials }];
  });
}

function at(value: unknown, ...path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
