// Routes of stack services: written as labels on the Swarm service by the stack deploy, read back by route sync, so a
// route goes away with its service (stack removed, service left the file). Pure.

import { SlipwayError } from '../core/errors.js';
import type { ServiceDefinition, ServiceSummary } from '../core/ports/engine.js';
import type { App, Route } from '../core/types.js';

export const ROUTE_DOMAIN_LABEL = 'io.slipway.route.domain';
export const ROUTE_PORT_LABEL = 'io.slipway.route.port';
/** The network the edge reaches the service on (the stack's network it shares with the edge). */
export const ROUTE_NETWORK_LABEL = 'io.slipway.route.network';

/** A stack service's route as the compose reader fills it (`slipway.domain`, VIRTUAL_HOST, Traefik labels). */
export interface ServiceRoute {
  readonly domain: string;
  readonly port: number;
}

/** A routed stack service as route sync sees it. */
export interface StackServiceRoute {
  readonly serviceName: string;
  readonly route: Route;
  readonly network: string;
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** The service with its route labels (the stack deploy applies it to each routed service before deploying). */
export function withRoute(definition: ServiceDefinition, route: ServiceRoute | null): ServiceDefinition {
  const labels = Object.fromEntries(Object.entries(definition.labels).filter(([k]) => !k.startsWith('io.slipway.route.')));
  if (route === null) return { ...definition, labels };
  checkRoute(route, definition.serviceName);
  return {
    ...definition,
    labels: {
      ...labels,
      [ROUTE_DOMAIN_LABEL]: route.domain.toLowerCase(),
      [ROUTE_PORT_LABEL]: String(route.port),
      [ROUTE_NETWORK_LABEL]: definition.network,
    },
  };
}

/** Routed services among these (any labels; unreadable route labels are skipped), sorted by service name. */
export function stackRoutesOf(services: readonly ServiceSummary[]): StackServiceRoute[] {
  const routes: StackServiceRoute[] = [];
  for (const s of services) {
    const domain = s.labels[ROUTE_DOMAIN_LABEL];
    const port = Number(s.labels[ROUTE_PORT_LABEL]);
    const network = s.labels[ROUTE_NETWORK_LABEL];
    if (domain === undefined || network === undefined || !DOMAIN.test(domain) || !Number.isInteger(port) || port < 1 || port > 65535) continue;
    routes.push({ serviceName: s.serviceName, network, route: { domain, upstreams: [`tasks.${s.serviceName}:${port}`] } });
  }
  return routes.sort((a, b) => a.serviceName.localeCompare(b.serviceName));
}

/** Who holds a domain now: Slipway itself, an app, or a service of a stack. */
export interface DomainHolders {
  readonly reserved: readonly string[];
  readonly apps: readonly Pick<App, 'name' | 'domain'>[];
  /** Routed stack services running now (stackRoutesOf over the instance's services). */
  readonly stackRoutes: readonly StackServiceRoute[];
}

/**
 * Refuses, before anything is deployed, a stack whose routes take a domain that Slipway, an app or another stack's
 * service holds, or that two of its own services name. `services`: the stack's definitions with their routes.
 */
export function checkStackDomains(stack: string, services: readonly ServiceDefinition[], holders: DomainHolders): void {
  const own = new Set(services.map((s) => s.serviceName));
  const taken = new Map<string, string>();
  for (const d of holders.reserved) taken.set(d.toLowerCase(), 'Slipway itself (SLIPWAY_DOMAIN)');
  for (const a of holders.apps) taken.set(a.domain.toLowerCase(), `app ${a.name}`);
  // A service of this stack already routed keeps its domain across deploys; only others' count.
  for (const r of holders.stackRoutes) if (!own.has(r.serviceName)) taken.set(r.route.domain, `stack service ${r.serviceName}`);
  const mine = new Map<string, string>();
  for (const s of services) {
    const domain = s.labels[ROUTE_DOMAIN_LABEL];
    if (domain === undefined) continue;
    const holder = taken.get(domain) ?? mine.get(domain);
    if (holder !== undefined) {
      throw new SlipwayError('conflict', `stack ${stack}: ${s.serviceName} asks for domain ${domain}, which ${holder} already uses`, {
        field: 'domain',
        hint: 'give the service another domain (slipway.domain / VIRTUAL_HOST / Traefik Host rule), or free that one first',
      });
    }
    mine.set(domain, `service ${s.serviceName} of the same stack`);
  }
}

function checkRoute(route: ServiceRoute, service: string): void {
  if (!DOMAIN.test(route.domain.toLowerCase())) {
    throw new SlipwayError('invalid_input', `${service}: invalid route domain ${JSON.stringify(route.domain.slice(0, 80))}`, {
      field: 'domain',
      hint: 'use a DNS name such as shop.example.com',
    });
  }
  if (!Number.isInteger(route.port) || route.port < 1 || route.port > 65535) {
    throw new SlipwayError('invalid_input', `${service}: invalid route port ${route.port}`, { field: 'port', hint: 'use the port the service listens on, 1–65535' });
  }
}
