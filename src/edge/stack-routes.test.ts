// Stack routes as service labels: written with the service, read back by route sync, checked against every holder.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../core/errors.js';
import type { ServiceDefinition } from '../core/ports/engine.js';
import { ROUTE_DOMAIN_LABEL, checkStackDomains, stackRoutesOf, withRoute } from './stack-routes.js';

const def = (name: string, labels: Record<string, string> = {}): ServiceDefinition => ({
  serviceName: `s-stack-a_b_${name}`, image: 'x', replicas: 1, env: {}, network: 's-stack-a_b', labels,
});
const conflict = (re: RegExp) => (e: unknown) => e instanceof SlipwayError && e.kind === 'conflict' && re.test(e.message);

describe('stack routes', () => {
  it('withRoute writes domain (lower case), port and network; null removes stale route labels', () => {
    const routed = withRoute(def('web', { keep: '1' }), { domain: 'Shop.Example.com', port: 8080 });
    assert.deepEqual(routed.labels, {
      keep: '1', 'io.slipway.route.domain': 'shop.example.com', 'io.slipway.route.port': '8080', 'io.slipway.route.network': 's-stack-a_b',
    });
    assert.deepEqual(withRoute(routed, null).labels, { keep: '1' });
  });

  it('withRoute refuses a domain or port the edge cannot serve', () => {
    for (const domain of ['', 'a b.com', 'x', '-a.com', 'a.com:80', `${'a'.repeat(64)}.com`, 'evil.com/path']) {
      assert.throws(() => withRoute(def('web'), { domain, port: 80 }), (e: unknown) => e instanceof SlipwayError && e.kind === 'invalid_input', domain);
    }
    for (const port of [0, 65536, 1.5, Number.NaN]) assert.throws(() => withRoute(def('web'), { domain: 'a.com', port }), /invalid route port/);
  });

  it('stackRoutesOf reads routed services back, sorted, skipping unreadable labels', () => {
    const routed = withRoute(def('web'), { domain: 'shop.example.com', port: 80 });
    const routes = stackRoutesOf([
      { serviceName: 'zz', labels: { ...routed.labels, 'io.slipway.route.port': 'x' } },
      { serviceName: routed.serviceName, labels: routed.labels },
      { serviceName: 'plain', labels: {} },
      { serviceName: 'bad', labels: { ...routed.labels, [ROUTE_DOMAIN_LABEL]: 'not a domain' } },
    ]);
    assert.deepEqual(routes, [{ serviceName: 's-stack-a_b_web', network: 's-stack-a_b', route: { domain: 'shop.example.com', upstreams: ['tasks.s-stack-a_b_web:80'] } }]);
  });

  it('checkStackDomains refuses a domain held by Slipway, an app, another stack, or twice in the stack', () => {
    const mine = [withRoute(def('web'), { domain: 'shop.example.com', port: 80 })];
    const none = { reserved: [], apps: [], stackRoutes: [] };
    checkStackDomains('b', mine, none);
    assert.throws(() => checkStackDomains('b', mine, { ...none, reserved: ['shop.example.com'] }), conflict(/Slipway itself/));
    assert.throws(() => checkStackDomains('b', mine, { ...none, apps: [{ name: 'shop', domain: 'shop.example.com' }] }), conflict(/app shop/));
    const other = stackRoutesOf([{ serviceName: 's-stack-c_d_web', labels: withRoute(def('x'), { domain: 'shop.example.com', port: 80 }).labels }]);
    assert.throws(() => checkStackDomains('b', mine, { ...none, stackRoutes: other }), conflict(/stack service s-stack-c_d_web/));
    const twice = [...mine, withRoute(def('api'), { domain: 'shop.example.com', port: 81 })];
    assert.throws(() => checkStackDomains('b', twice, none), conflict(/same stack/));
  });

  it('a service keeps its own domain across deploys of its stack', () => {
    const mine = [withRoute(def('web'), { domain: 'shop.example.com', port: 80 })];
    const running = stackRoutesOf([{ serviceName: mine[0]!.serviceName, labels: mine[0]!.labels }]);
    checkStackDomains('b', mine, { reserved: [], apps: [], stackRoutes: running });
  });
});
