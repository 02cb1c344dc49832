import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stackNetworkName, stackServiceName, STACK_NAME } from '../core/naming.js';
import { composeNameOf } from '../converge/stack-plan.js';
import { stackPlan, stackPlanWithSecrets } from './definitions.js';
import { defaultService } from './defaults.js';
import type { ComposeStack, StackService } from './model.js';

const pick = (o: object, keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));
const service = (name: string, overrides: Partial<StackService> = {}): StackService => ({ ...defaultService(name, 'busybox:latest'), ...overrides });

describe('stack definitions', () => {
  it('names, labels, network alias and per-service settings', () => {
    const plan = stackPlan(
      { files: ['compose.yaml'], networks: {}, volumes: {}, configs: {}, secrets: {}, services: [service('web', { command: ['httpd'], labels: { team: 'a' }, deployLabels: { tier: 'front' }, environment: { A: '1' }, replicas: 2 })] },
      { instance: 'slipway', app: 'shop', stack: 'backend' },
    );
    assert.equal(plan.network, 'slipway-stack-shop_backend');
    const own = { 'io.slipway.instance': 'slipway', 'io.slipway.app': 'shop', 'io.slipway.stack': 'backend' };
    assert.deepEqual(plan.labels, { ...own, 'com.docker.stack.namespace': 'slipway-stack-shop_backend' });
    const [web] = plan.services;
    const { mode, moreNetworks, mounts, ports, updateConfig, endpointMode, restartPolicy, stopGracePeriodMs, ...basics } = web!;
    assert.deepEqual(
      { mode, moreNetworks, mounts, ports, updateConfig, endpointMode, restartPolicy, stopGracePeriodMs },
      {
        mode: 'replicated', moreNetworks: [], mounts: [], ports: [], endpointMode: 'dnsrr', stopGracePeriodMs: 10_000,
        updateConfig: { parallelism: 1, delayMs: 0, failureAction: 'pause', monitorMs: 5000, maxFailureRatio: 0, order: 'start-first' },
        restartPolicy: { condition: 'any', delayMs: 2000, maxAttempts: 0, windowMs: null },
      },
      "Slipway's rollout defaults where the file says nothing",
    );
    assert.deepEqual(pick(basics, ['serviceName', 'image', 'replicas', 'env', 'network', 'labels', 'containerLabels', 'entrypoint', 'command', 'healthcheck', 'aliases']), {
      serviceName: 'slipway-stack-shop_backend_web',
      image: 'busybox:latest',
      replicas: 2,
      env: { A: '1' },
      network: 'slipway-stack-shop_backend',
      labels: { tier: 'front', ...own, 'io.slipway.stack.service': 'web', 'com.docker.stack.namespace': 'slipway-stack-shop_backend' },
      containerLabels: { team: 'a', ...own, 'io.slipway.stack.service': 'web', 'com.docker.stack.namespace': 'slipway-stack-shop_backend' },
      entrypoint: null,
      command: ['httpd'],
      healthcheck: null,
      aliases: ['web'],
    });
    assert.equal(composeNameOf(web!), 'web');
  });

  it('names never collide across apps and stacks, and fit Swarm\'s 63 characters', () => {
    // "-" may be in app and stack names, "_" never: a-b/c and a/b-c differ.
    assert.notEqual(stackServiceName('slipway', 'a-b', 'c', 'web'), stackServiceName('slipway', 'a', 'b-c', 'web'));
    const long = stackServiceName('slipway-production1', 'a'.repeat(32), 'b'.repeat(32), 'worker');
    assert.equal(long.length, 63);
    assert.match(long, /^slipway-production1-stack-a{28}-[0-9a-f]{8}$/);
    assert.equal(long, stackServiceName('slipway-production1', 'a'.repeat(32), 'b'.repeat(32), 'worker'), 'stable');
    assert.notEqual(long, stackServiceName('slipway-production1', 'a'.repeat(32), 'b'.repeat(32), 'worker2'));
    assert.ok(stackNetworkName('slipway-production1', 'a'.repeat(32), 'b'.repeat(32)).length <= 63);
    assert.ok(/^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$/.test(long), 'valid as a Swarm name');
  });

  it('stack names: lowercase letters, digits and "-", 1–32, as validated by the pipeline reader', () => {
    for (const ok of ['b', 'backend', 'db-1', 'a'.repeat(32)]) assert.ok(STACK_NAME.test(ok), ok);
    for (const bad of ['', 'Backend', '1db', 'db-', 'a_b', 'a.b', 'a'.repeat(33)]) assert.ok(!STACK_NAME.test(bad), bad);
  });
});

describe('stack objects', () => {
  const target = { instance: 'slipway', app: 'shop', stack: 'backend' };
  const P = 'slipway-stack-shop_backend';
  const compose = (conf: string): ComposeStack => ({
    files: ['compose.yaml'],
    services: [
      service('web', {
        configs: [{ source: 'site', target: '/etc/site.conf', uid: null, gid: null, mode: null }],
        networks: [{ network: 'default', aliases: [] }, { network: 'back', aliases: ['www'] }],
        ports: [{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' }],
        route: { domain: 'shop.test', port: 80 },
      }),
      service('db', {
        secrets: [{ source: 'pw', target: '/run/secrets/pw', uid: '999', gid: null, mode: 0o400 }],
        mounts: [{ type: 'volume', source: 'data', target: '/data', readOnly: false, noCopy: false }],
        networks: [{ network: 'back', aliases: [] }, { network: 'ops', aliases: [] }],
        mode: 'global',
      }),
    ],
    networks: {
      back: { external: false, name: null, driver: 'overlay', attachable: false, internal: true, driverOpts: { encrypted: '' }, ipam: null, labels: { x: 'y' } },
      ops: { external: true, name: 'ops-net', driver: 'overlay', attachable: true, internal: false, driverOpts: {}, ipam: null, labels: {} },
    },
    volumes: { data: { external: false, name: null, driver: 'local', driverOpts: {}, labels: { keep: 'yes' } } },
    configs: { site: { source: { kind: 'file', path: 'site.conf' }, labels: {} } },
    secrets: { pw: { source: { kind: 'slipway', secret: 'DB_PASSWORD' }, labels: {} } },
  });
  const contents = (conf: string) => ({ configs: { site: Buffer.from(conf) }, secrets: { pw: Buffer.from('s3cret') } });

  it('networks, volumes, configs and secrets get Swarm names; configs and secrets are content-addressed', () => {
    const { plan, secretData } = stackPlanWithSecrets(compose('a'), target, { contents: contents('a'), routingMesh: true });
    assert.deepEqual(plan.networks?.map((n) => [n.key, n.name, n.external, n.options.internal, n.options.driverOpts]), [
      ['default', P, false, false, {}], ['back', `${P}_back`, false, true, { encrypted: '' }], ['ops', 'ops-net', true, false, {}],
    ]);
    const [site, pw] = plan.files ?? [];
    assert.match(site?.name ?? '', new RegExp(`^${P}_site_[0-9a-f]{12}$`));
    assert.equal(site?.data, Buffer.from('a').toString('base64'));
    assert.equal(pw?.data, null, 'a secret value never goes into the plan');
    assert.equal(secretData.get(pw?.name ?? '')?.toString(), 's3cret');
    assert.ok(!JSON.stringify(plan).includes('s3cret'));
    assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan, 'plain JSON');
    const [web, db] = plan.services;
    assert.deepEqual(web?.configs, [{ name: site?.name, target: '/etc/site.conf', uid: '0', gid: '0', mode: 0o444 }]);
    assert.deepEqual(db?.secrets, [{ name: pw?.name, target: 'pw', uid: '999', gid: '0', mode: 0o400 }]);
    assert.deepEqual(web?.moreNetworks, [{ network: `${P}_back`, aliases: ['web', 'www'] }]);
    assert.deepEqual([db?.network, db?.moreNetworks], [`${P}_back`, [{ network: 'ops-net', aliases: ['db'] }]]);
    assert.deepEqual(db?.mounts, [{
      type: 'volume', source: `${P}_data`, target: '/data', readOnly: false, noCopy: false,
      volumeOptions: { driver: 'local', driverOpts: {}, labels: { keep: 'yes', ...plan.labels } },
    }]);
    assert.equal(db?.mode, 'global');
    assert.deepEqual(plan.routes, { web: { domain: 'shop.test', port: 80 } });

    const changed = stackPlan(compose('b'), target, { contents: contents('b'), routingMesh: true });
    assert.notEqual(changed.files?.[0]?.name, site?.name, 'a new config content is a new name');
    assert.notDeepEqual(changed.services[0]?.configs, web?.configs);
    assert.deepEqual(changed.services[1], db, 'a service that does not use it is unchanged');
  });

  it('with IPVS: an ingress port keeps ingress mode and a VIP; the service stays start-first', () => {
    const plan = stackPlan(compose('a'), target, { contents: contents('a'), routingMesh: true });
    const web = plan.services[0];
    assert.deepEqual([web?.ports?.[0]?.mode, web?.endpointMode, web?.updateConfig?.order], ['ingress', 'vip', 'start-first']);
    assert.deepEqual(plan.notes, []);
  });

  it('without IPVS: ingress ports are published in host mode, the endpoint is dnsrr, updates are stop-first, and the log says why', () => {
    const plan = stackPlan(compose('a'), target, { contents: contents('a'), routingMesh: false });
    const web = plan.services[0];
    assert.deepEqual([web?.ports?.[0]?.mode, web?.endpointMode, web?.updateConfig?.order], ['host', 'dnsrr', 'stop-first']);
    assert.match(plan.notes?.join('\n') ?? '', /web: this engine's kernel has no IPVS.*8080 published in host mode/);
    assert.match(plan.notes?.join('\n') ?? '', /web: .*stop-first/);
  });

  it('a config whose content was not read, or a volume the file does not declare, is an error naming it', () => {
    assert.throws(() => stackPlan(compose('a'), target, {}), /config site: its content was not read \(file site\.conf\)/);
    const bad = { ...compose('a'), volumes: {} };
    assert.throws(() => stackPlan(bad, target, { contents: contents('a') }), /service db uses volume data, which the file does not declare/);
  });
});
