// Where the edge serves a service: Slipway's own labels (slipway.domain, slipway.port), or the conventions already in
// people's files — nginx-proxy's VIRTUAL_HOST/VIRTUAL_PORT/LETSENCRYPT_HOST and Traefik's router and service labels.

import type { SourceLocation } from '../core/plan.js';
import type { ComposeContext } from './compose-values.js';
import type { StackPort, StackRoute } from './model.js';

export interface RouteInputs {
  readonly where: string;
  readonly at: SourceLocation;
  readonly environment: Readonly<Record<string, string>>;
  /** Container labels and deploy labels together (Traefik on Swarm reads deploy.labels, people write both). */
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly StackPort[];
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function readRoute(input: RouteInputs, ctx: ComposeContext): StackRoute | null {
  const { labels, environment, where, at } = input;
  const found = slipway(labels) ?? traefik(labels) ?? nginxProxy(environment);
  if (found === null) return null;
  const domains = found.domains.map((d) => d.trim().toLowerCase()).filter((d) => d !== '');
  const [domain, ...more] = domains;
  // A variable that could not be replaced was reported where it is written.
  if (domain === undefined || domain.includes('$')) return null;
  if (!DOMAIN.test(domain)) {
    ctx.findings.error(at, `${where}: "${domain.slice(0, 80)}" (from ${found.from}) is not a domain Slipway can serve`, 'give one host name such as shop.example.com (no wildcards, no paths)');
    return null;
  }
  if (more.length > 0) ctx.findings.warn(at, `${where}: ${found.from} names several domains; the edge serves the first, ${domain}`, 'give each further domain its own app or route');
  let port = found.port;
  if (port === undefined) {
    const targets = [...new Set(input.ports.map((p) => p.target))];
    if (targets.length === 1) port = String(targets[0]);
    else if (found.defaultPort !== null) port = String(found.defaultPort);
    else {
      ctx.findings.error(at, `${where}: ${found.from} gives the domain ${domain} but no port`, 'add deploy.labels slipway.port: <the port the service listens on>');
      return null;
    }
  }
  const n = /^[0-9]{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(n >= 1 && n <= 65535)) {
    ctx.findings.error(at, `${where}: the port "${port.slice(0, 20)}" of ${found.from} is not a port number`);
    return null;
  }
  return { domain, port: n };
}

interface Found {
  readonly from: string;
  readonly domains: readonly string[];
  readonly port: string | undefined;
  /** What the convention uses when no port is given (nginx-proxy: 80); null: the file must say. */
  readonly defaultPort: number | null;
}

function slipway(labels: Readonly<Record<string, string>>): Found | null {
  const domain = labels['slipway.domain'];
  return domain === undefined ? null : { from: 'slipway.domain', domains: [domain], port: labels['slipway.port'], defaultPort: null };
}

function traefik(labels: Readonly<Record<string, string>>): Found | null {
  if (/^false$/i.test(labels['traefik.enable'] ?? '')) return null;
  const port = Object.entries(labels).find(([k]) => /^traefik\.http\.services\.[^.]+\.loadbalancer\.server\.port$/.test(k))?.[1] ?? labels['traefik.port'];
  for (const [key, value] of Object.entries(labels)) {
    if (/^traefik\.http\.routers\.[^.]+\.rule$/.test(key)) {
      // Host(`a.example.com`) or Host(`a`, `b`) (v2), possibly && PathPrefix(…): the hosts are what the edge needs.
      const hosts = [...value.matchAll(/Host\(([^)]*)\)/g)].flatMap((m) => [...(m[1] ?? '').matchAll(/[`"']([^`"']+)[`"']/g)].map((h) => h[1] ?? ''));
      if (hosts.length > 0) return { from: key, domains: hosts, port, defaultPort: null };
    }
  }
  // Traefik 1: traefik.frontend.rule=Host:a.example.com,b.example.com
  const v1 = labels['traefik.frontend.rule'];
  const m = v1 === undefined ? null : /^Host:\s*([^;]+)/.exec(v1);
  return m === null ? null : { from: 'traefik.frontend.rule', domains: (m[1] ?? '').split(','), port, defaultPort: null };
}

function nginxProxy(env: Readonly<Record<string, string>>): Found | null {
  const hosts = env['VIRTUAL_HOST'] ?? env['LETSENCRYPT_HOST'];
  if (hosts === undefined) return null;
  return { from: env['VIRTUAL_HOST'] !== undefined ? 'VIRTUAL_HOST' : 'LETSENCRYPT_HOST', domains: hosts.split(','), port: env['VIRTUAL_PORT'], defaultPort: 80 };
}
