// Every key of a stack file into the model: one fixture with each key in the forms people write.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseComposeFiles } from './compose.js';
import { defaultService } from './defaults.js';

const text = readFileSync(new URL('./fixtures/full.yaml', import.meta.url), 'utf8');
const REPO: Record<string, string> = {
  'deploy/.env': 'REGION=eu-west\n# a comment\nSHARED=from-dotenv\n',
  'deploy/web.env': 'SHARED=from-env-file\nexport FROM_FILE="quoted # not a comment"\n',
};
const VARS = { SLIPWAY_IMAGE: 'reg/apps/shop@sha256:abc', API_TOKEN: 'settings-value' };
// Trusted: the fixture uses what only an app an admin trusted may (external objects, ipam, volume driver options);
// compose-rules.test.ts checks an untrusted app is refused each.
const policy = { trusted: true, bindRoots: ['/srv/shop'] };
const read = () => parseComposeFiles([{ path: 'deploy/stack.yml', text }], VARS, policy, { readRepoFile: (p) => REPO[p] ?? null });

describe('reading every compose key', () => {
  it('services: image, argv, environment over env_file over .env, labels, user, dns, limits, logging, health', () => {
    const web = read().services[0];
    assert.ok(web);
    assert.equal(web.image, VARS.SLIPWAY_IMAGE);
    assert.deepEqual(web.entrypoint, ['/docker-entrypoint.sh']);
    assert.deepEqual(web.command, ['node', 'server.js']);
    assert.deepEqual(web.environment, { SHARED: 'from-environment', FROM_FILE: 'quoted # not a comment', NODE_ENV: 'production', REGION: 'eu-west' });
    assert.deepEqual(web.labels, { team: 'shop', canary: '' }, 'a bare label is empty, as compose reads it');
    assert.deepEqual([web.user, web.workingDir, web.hostname, web.init, web.readOnly], ['1000:1000', '/app', 'web-host', true, true]);
    assert.deepEqual(web.extraHosts, ['10.0.0.5 db.local', '::1 v6.local']);
    assert.deepEqual(web.dns, { servers: ['1.1.1.1'], search: ['shop.internal'], options: ['ndots:2'] });
    assert.deepEqual([web.stopGracePeriodMs, web.stopSignal], [90_000, 'SIGQUIT']);
    assert.deepEqual(web.ulimits, { nproc: { soft: 65535, hard: 65535 }, nofile: { soft: 20000, hard: 40000 } });
    assert.deepEqual(web.sysctls, { 'net.core.somaxconn': '1024' });
    assert.deepEqual(web.logging, { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
    assert.deepEqual([web.capAdd, web.capDrop], [[], ['ALL']]);
    assert.deepEqual(web.healthcheck, { test: ['CMD-SHELL', 'curl -fsS http://localhost:3000/health'], intervalMs: 10_000, timeoutMs: null, retries: null, startPeriodMs: null });
  });

  it('ports (short, ranges, long with host mode), mounts (volume, tmpfs, allowed bind, anonymous), configs, secrets, networks', () => {
    const web = read().services[0];
    assert.ok(web);
    assert.deepEqual(web.ports, [
      { target: 3000, published: 8080, protocol: 'tcp', mode: 'ingress' },
      { target: 9000, published: 9000, protocol: 'udp', mode: 'ingress' },
      { target: 9001, published: 9001, protocol: 'udp', mode: 'ingress' },
      { target: 4000, published: 4443, protocol: 'tcp', mode: 'host' },
    ]);
    assert.deepEqual(web.mounts, [
      { type: 'volume', source: 'uploads', target: '/app/uploads', readOnly: false, noCopy: false },
      { type: 'volume', source: 'cache', target: '/app/cache', readOnly: true, noCopy: true },
      { type: 'tmpfs', target: '/scratch', sizeBytes: 64 * 1024 ** 2, mode: 0o1777 },
      { type: 'bind', source: '/srv/shop/media', target: '/app/media', readOnly: true },
      { type: 'volume', source: '', target: '/app/anonymous', readOnly: false, noCopy: false },
      { type: 'tmpfs', target: '/run', sizeBytes: 1024 ** 2, mode: null },
    ]);
    assert.deepEqual(web.configs, [
      { source: 'nginx', target: '/nginx', uid: null, gid: null, mode: null },
      { source: 'app_config', target: '/etc/app/config.json', uid: '1000', gid: '1000', mode: 0o440 },
    ]);
    assert.deepEqual(web.secrets, [
      { source: 'db_password', target: '/run/secrets/db_password', uid: null, gid: null, mode: null },
      { source: 'api_key', target: '/run/secrets/api.key', uid: null, gid: null, mode: null },
    ]);
    assert.deepEqual(web.networks, [{ network: 'front', aliases: ['shop', 'www'] }, { network: 'back', aliases: [] }]);
  });

  it('deploy: mode, replicas, placement, resources in nano-CPUs and bytes, restart, update and rollback, endpoint, route', () => {
    const [web, agent] = read().services;
    assert.ok(web && agent);
    assert.deepEqual([web.mode, web.replicas, agent.mode], ['replicated', 3, 'global']);
    assert.deepEqual(web.placement, { constraints: ['node.role == worker'], preferences: ['node.labels.zone'], maxReplicasPerNode: 2 });
    assert.deepEqual(web.resources, { limits: { nanoCpus: 500_000_000, memoryBytes: 512 * 1024 ** 2, pids: 200 }, reservations: { nanoCpus: 250_000_000, memoryBytes: 1024 ** 3 } });
    assert.deepEqual(web.restartPolicy, { condition: 'on-failure', delayMs: 5000, maxAttempts: 3, windowMs: 120_000 });
    assert.deepEqual(web.updateConfig, { parallelism: 2, delayMs: 10_000, failureAction: 'rollback', monitorMs: 30_000, maxFailureRatio: 0.25, order: 'start-first' });
    assert.deepEqual(web.rollbackConfig, { parallelism: 1, delayMs: null, failureAction: null, monitorMs: null, maxFailureRatio: null, order: 'stop-first' });
    assert.equal(web.endpointMode, 'dnsrr');
    assert.deepEqual(web.deployLabels, { 'slipway.domain': 'shop.example.com', 'slipway.port': '3000' });
    assert.deepEqual(web.route, { domain: 'shop.example.com', port: 3000 });
    assert.deepEqual(agent, { ...defaultService('agent', 'example/agent:1.2'), mode: 'global', networks: [{ network: 'back', aliases: [] }] });
  });

  it('top level: overlay networks (attachable, internal, encrypted, ipam, external by name), volumes, configs and secrets from every source', () => {
    const stack = read();
    assert.deepEqual(stack.files, ['deploy/stack.yml']);
    assert.deepEqual(stack.networks, {
      front: { external: false, name: null, driver: 'overlay', attachable: true, internal: false, driverOpts: {}, ipam: null, labels: {} },
      back: { external: false, name: null, driver: 'overlay', attachable: false, internal: true, driverOpts: { encrypted: '' }, ipam: { driver: null, subnets: ['10.20.0.0/24'] }, labels: { tier: 'back' } },
      outside: { external: true, name: 'shared-net', driver: 'overlay', attachable: false, internal: false, driverOpts: {}, ipam: null, labels: {} },
    });
    assert.deepEqual(stack.volumes, {
      uploads: { external: false, name: null, driver: null, driverOpts: {}, labels: {} },
      cache: { external: false, name: null, driver: 'local', driverOpts: { type: 'tmpfs', device: 'tmpfs' }, labels: {} },
      old: { external: true, name: 'legacy-data', driver: null, driverOpts: {}, labels: {} },
    });
    assert.deepEqual(stack.configs, {
      nginx: { source: { kind: 'file', path: 'deploy/conf/nginx.conf' }, labels: {} },
      app_config: { source: { kind: 'content', text: '{"region": "eu-west"}\n' }, labels: {} },
    });
    assert.deepEqual(stack.secrets, {
      db_password: { source: { kind: 'slipway', secret: 'DB_PASSWORD' }, labels: {} },
      api_key: { source: { kind: 'external', name: 'shop_api_key_v2' }, labels: {} },
      token: { source: { kind: 'environment', variable: 'API_TOKEN' }, labels: {} },
    });
  });
});
