// Routes from the conventions people already use, and reverse proxies left out of the stack.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LintFinding } from '../core/plan.js';
import { readComposeFiles } from './compose.js';

const read = (text: string) => readComposeFiles([{ path: 'c.yml', text }], { DOMAIN: 'example.com' }, { trusted: false, bindRoots: [] });
const short = (f: LintFinding) => `${f.location.line}:${f.location.column} ${f.severity === 'warning' ? 'warning: ' : ''}${f.message}`;
const routes = (text: string) => {
  const r = read(text);
  return { routes: Object.fromEntries((r.stack?.services ?? []).map((s) => [s.name, s.route])), findings: r.findings.map(short) };
};

describe('routes', () => {
  it('slipway labels, nginx-proxy variables and Traefik 2 and 1 labels, in deploy.labels or labels', () => {
    const text = `services:
  a:
    image: a
    deploy: { labels: { slipway.domain: a.example.com, slipway.port: "8080" } }
  b:
    image: b
    environment: { VIRTUAL_HOST: "b.\${DOMAIN},www.b.example.com", VIRTUAL_PORT: "3000" }
  c:
    image: c
    environment: [LETSENCRYPT_HOST=c.example.com]
  d:
    image: d
    deploy:
      labels:
        - traefik.enable=true
        - traefik.http.routers.d.rule=Host(\`D.example.com\`) && PathPrefix(\`/\`)
        - traefik.http.services.d.loadbalancer.server.port=9000
  e:
    image: e
    labels: { traefik.frontend.rule: "Host:e.example.com", traefik.port: "5000" }
  f:
    image: f
    ports: ["7000:7000"]
    labels: { traefik.http.routers.f.rule: "Host(\`f.example.com\`)" }
  g:
    image: g
    labels: { traefik.enable: "false", traefik.http.routers.g.rule: "Host(\`g.example.com\`)" }
`;
    assert.deepEqual(routes(text), {
      routes: {
        a: { domain: 'a.example.com', port: 8080 }, b: { domain: 'b.example.com', port: 3000 }, c: { domain: 'c.example.com', port: 80 },
        d: { domain: 'd.example.com', port: 9000 }, e: { domain: 'e.example.com', port: 5000 }, f: { domain: 'f.example.com', port: 7000 }, g: null,
      },
      findings: ['5:3 warning: service "b": VIRTUAL_HOST names several domains; the edge serves the first, b.example.com'],
    });
  });

  it('a route without a port, a bad domain, and two services on one domain are errors', () => {
    const text = `services:
  a: { image: a, labels: { traefik.http.routers.a.rule: "Host(\`a.example.com\`)" } }
  b: { image: b, deploy: { labels: { slipway.domain: "*.example.com", slipway.port: "80" } } }
  c: { image: c, environment: { VIRTUAL_HOST: same.example.com } }
  d: { image: d, environment: { VIRTUAL_HOST: same.example.com } }
`;
    assert.deepEqual(routes(text).findings, [
      '2:3 service "a": traefik.http.routers.a.rule gives the domain a.example.com but no port',
      '3:3 service "b": "*.example.com" (from slipway.domain) is not a domain Slipway can serve',
      '5:3 services "c" and "d" both want the domain same.example.com',
    ]);
  });

  it('Traefik, nginx-proxy and its companion in the file are left out of the stack with a warning', () => {
    const text = `services:
  proxy: { image: "traefik:v2.10", ports: ["80:80", "443:443"] }
  nginx: { image: nginxproxy/nginx-proxy, ports: ["80:80"] }
  acme: { image: nginxproxy/acme-companion }
  app: { image: app, environment: { VIRTUAL_HOST: app.example.com } }
`;
    const r = read(text);
    assert.deepEqual(r.stack?.services.map((s) => s.name), ['app']);
    assert.deepEqual(r.findings.map(short), [
      '2:19 warning: service "proxy" runs traefik:v2.10, a reverse proxy: it is left out of the stack, Slipway\'s edge serves HTTPS',
      '3:19 warning: service "nginx" runs nginxproxy/nginx-proxy, a reverse proxy: it is left out of the stack, Slipway\'s edge serves HTTPS',
      '4:18 warning: service "acme" runs nginxproxy/acme-companion, a reverse proxy: it is left out of the stack, Slipway\'s edge serves HTTPS',
    ]);
  });
});
