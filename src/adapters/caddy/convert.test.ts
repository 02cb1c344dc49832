// Unit tests of the route ↔ Caddy JSON mapping.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../core/errors.js';
import { adminOnlyConfig, buildCaddyConfig, defaultEdgeSettings, routesFromCaddyConfig } from './convert.js';

const settings = defaultEdgeSettings({ ca: 'https://172.18.0.1:14000/dir', trustedRootsPemFiles: ['/run/edge/pebble.pem'] });

describe('buildCaddyConfig', () => {
  it('maps each route to a host-matched reverse_proxy with dial retries, under automatic HTTPS', () => {
    const config = buildCaddyConfig([{ domain: 'hello.example.com', upstreams: ['tasks.slipway-app-hello:3000'] }], settings);
    assert.deepEqual(config, {
      admin: { listen: 'unix//run/edge/admin.sock', origins: ['localhost'], config: { persist: false } },
      storage: { module: 'file_system', root: '/data/caddy' },
      apps: {
        http: {
          http_port: 80,
          https_port: 443,
          servers: {
            slipway: {
              listen: [':443'],
              protocols: ['h1', 'h2'],
              routes: [
                {
                  match: [{ host: ['hello.example.com'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial: 'tasks.slipway-app-hello:3000' }],
                      load_balancing: { try_duration: '5s', try_interval: '250ms' },
                    },
                  ],
                  terminal: true,
                },
              ],
            },
          },
        },
        tls: {
          automation: {
            policies: [{ issuers: [{ module: 'acme', ca: 'https://172.18.0.1:14000/dir', trusted_roots_pem_files: ['/run/edge/pebble.pem'] }] }],
          },
        },
      },
    });
  });

  it('is deterministic: same routes in any order give identical JSON', () => {
    const a = buildCaddyConfig(
      [
        { domain: 'b.example.com', upstreams: ['tasks.b:80', 'tasks.a:80'] },
        { domain: 'a.example.com', upstreams: ['tasks.x:1'] },
      ],
      settings,
    );
    const b = buildCaddyConfig(
      [
        { domain: 'a.example.com', upstreams: ['tasks.x:1'] },
        { domain: 'b.example.com', upstreams: ['tasks.a:80', 'tasks.b:80', 'tasks.a:80'] },
      ],
      settings,
    );
    assert.equal(JSON.stringify(a), JSON.stringify(b));
    assert.deepEqual(routesFromCaddyConfig(a).map((r) => r.domain), ['a.example.com', 'b.example.com']);
    assert.deepEqual(routesFromCaddyConfig(a)[1]?.upstreams, ['tasks.a:80', 'tasks.b:80']);
  });

  it('leaves the issuer to Caddy defaults (Let\'s Encrypt) when no CA is given', () => {
    const config = buildCaddyConfig([], defaultEdgeSettings({ email: 'ops@example.com' }));
    assert.deepEqual(config.apps?.tls.automation.policies[0].issuers, [{ module: 'acme', email: 'ops@example.com' }]);
    assert.deepEqual(config.apps?.http.servers['slipway']?.routes, []);
  });

  it('refuses a domain routed twice', () => {
    assert.throws(
      () => buildCaddyConfig([{ domain: 'a.example.com', upstreams: ['x:1'] }, { domain: 'a.example.com', upstreams: ['y:1'] }], settings),
      (err: unknown) => err instanceof SlipwayError && err.kind === 'invalid_input' && err.field === 'domain',
    );
  });
});

describe('routesFromCaddyConfig', () => {
  it('round-trips what buildCaddyConfig wrote, sorted', () => {
    const routes = [
      { domain: 'z.example.com', upstreams: ['tasks.z:8080'] },
      { domain: 'm.example.com', upstreams: ['tasks.m1:80', 'tasks.m2:80'] },
    ];
    const back = routesFromCaddyConfig(JSON.parse(JSON.stringify(buildCaddyConfig(routes, settings))));
    assert.deepEqual(back, [routes[1], routes[0]]);
  });

  it('reads no routes from an admin-only, empty or foreign config', () => {
    assert.deepEqual(routesFromCaddyConfig(adminOnlyConfig('unix//run/edge/admin.sock')), []);
    assert.deepEqual(routesFromCaddyConfig(null), []);
    assert.deepEqual(routesFromCaddyConfig({ apps: { http: { servers: { other: { routes: [{}] } } } } }), []);
  });

  it('skips routes of a shape Slipway does not write', () => {
    const config = {
      apps: {
        http: {
          servers: {
            slipway: {
              routes: [
                { match: [{ host: ['a.example.com', 'b.example.com'] }], handle: [{ handler: 'reverse_proxy', upstreams: [] }] },
                { match: [{ host: ['c.example.com'] }], handle: [{ handler: 'static_response' }] },
                { match: [{ host: ['d.example.com'] }], handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: 'tasks.d:1' }, { x: 1 }] }] },
              ],
            },
          },
        },
      },
    };
    assert.deepEqual(routesFromCaddyConfig(config), [{ domain: 'd.example.com', upstreams: ['tasks.d:1'] }]);
  });
});
