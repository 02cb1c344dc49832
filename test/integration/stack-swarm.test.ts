// A whole stack on the real Swarm (dockerd, single node, local images only): a named volume whose data survives an
// update and a rollback, a config (a change rolls only its service) and a secret, an encrypted overlay network, a
// global service, an ingress port published in host mode because this kernel has no IPVS, and a broken service
// putting the whole stack back. Everything it makes carries its own app label and is removed at the end.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { DockerEngine } from '../../src/adapters/docker/docker-engine.js';
import { SlipwayError } from '../../src/core/errors.js';
import { deployStack } from '../../src/converge/stack-rollout.js';
import { stackPlanWithSecrets } from '../../src/stack/definitions.js';
import { defaultService } from '../../src/stack/defaults.js';
import type { ComposeStack, StackService } from '../../src/stack/model.js';
import { ensureTestSwarm } from '../support/swarm.js';

const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
const engine = new DockerEngine(docker);
const app = `sw${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
const TARGET = { instance: 'slipway-it', app, stack: 'shop' };
const PORT = 21000 + Math.floor(Math.random() * 20000);
const PREFIX = `slipway-it-stack-${app}_shop`;

/** A busybox process that exits at once on SIGTERM (no stop grace period to wait out). */
const serve = (script: string) => ['sh', '-c', `trap 'exit 0' TERM; ${script}; sleep 3600 & wait`];
const svc = (name: string, o: Partial<StackService> = {}): StackService => ({ ...defaultService(name, 'busybox:latest'), ...o });

function compose(opts: { site: string; dbTag: string; broken?: boolean }): ComposeStack {
  const services = [
    svc('web', {
      command: serve('httpd -p 8000 -h /www'),
      configs: [{ source: 'site', target: '/www/index.html', uid: null, gid: null, mode: null }],
      ports: [{ target: 8000, published: PORT, protocol: 'tcp', mode: 'ingress' }],
      networks: [{ network: 'default', aliases: [] }, { network: 'back', aliases: [] }],
    }),
    svc('db', {
      // Refuses to run without its secret; appends its version to the volume at every start.
      command: serve(`test "$(cat /run/secrets/db_pw)" = hunter2 || exit 3; echo ${opts.dbTag} >> /data/history; cat /data/history`),
      environment: { TAG: opts.dbTag },
      secrets: [{ source: 'db_pw', target: '/run/secrets/db_pw', uid: null, gid: null, mode: 0o400 }],
      mounts: [{ type: 'volume', source: 'data', target: '/data', readOnly: false, noCopy: false }],
      networks: [{ network: 'back', aliases: ['database'] }],
      healthcheck: { test: ['CMD-SHELL', 'test -s /data/history'], intervalMs: 1000, timeoutMs: 1000, retries: 3, startPeriodMs: null },
    }),
    svc('agent', { mode: 'global', command: serve('echo agent up') }),
    ...(opts.broken ? [svc('broken', { command: ['sh', '-c', 'echo broken-says-why; exit 1'] })] : []),
  ];
  return {
    files: ['compose.yaml'], services,
    networks: { back: { external: false, name: null, driver: 'overlay', attachable: false, internal: false, driverOpts: { encrypted: '' }, ipam: null, labels: {} } },
    volumes: { data: { external: false, name: null, driver: 'local', driverOpts: {}, labels: { backup: 'nightly' } } },
    configs: { site: { source: { kind: 'file', path: 'site/index.html' }, labels: {} } },
    secrets: { db_pw: { source: { kind: 'slipway', secret: 'DB_PASSWORD' }, labels: {} } },
  };
}

async function deploy(c: ComposeStack, site: string, log: string[]): Promise<void> {
  const { plan, secretData } = stackPlanWithSecrets(c, TARGET, {
    contents: { configs: { site: Buffer.from(site) }, secrets: { db_pw: Buffer.from('hunter2') } },
    routingMesh: await engine.routingMesh(),
  });
  await deployStack(plan, { engine, credentialsFor: () => null, deadlineMs: 90_000, pollMs: 300, log: (t) => log.push(t), secretData });
}

/** What the db service wrote to its named volume, read by a throwaway container. */
async function history(): Promise<string[]> {
  const container = await docker.createContainer({
    Image: 'busybox:latest', Cmd: ['cat', '/data/history'], Labels: { 'io.slipway.app': app },
    HostConfig: { Binds: [`${PREFIX}_data:/data:ro`] },
  });
  try {
    await container.start();
    await container.wait();
    const out = (await container.logs({ stdout: true, stderr: false })) as unknown as Buffer;
    // Docker's multiplexed frames: an 8-byte header before each chunk.
    const lines: string[] = [];
    for (let i = 0; i + 8 <= out.length;) {
      const size = out.readUInt32BE(i + 4);
      lines.push(out.subarray(i + 8, i + 8 + size).toString());
      i += 8 + size;
    }
    return lines.join('').split('\n').filter(Boolean);
  } finally {
    await container.remove({ force: true });
  }
}

function get(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: PORT, path, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject).end();
  });
}

async function eventually<T>(what: string, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function cleanUp(): Promise<void> {
  const label = { label: [`io.slipway.app=${app}`] };
  for (const s of await docker.listServices({ filters: label })) await docker.getService(s.ID ?? '').remove().catch(() => undefined);
  const retry = async (fn: () => Promise<unknown>) => {
    for (let i = 0; i < 60; i++) {
      if (await fn().then(() => true, (e: { statusCode?: number }) => e.statusCode === 404)) return;
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  for (const c of await docker.listConfigs({ filters: label })) await retry(() => docker.getConfig(c.ID).remove());
  for (const c of await docker.listSecrets({ filters: label })) await retry(() => docker.getSecret(c.ID).remove());
  for (const n of await docker.listNetworks({ filters: label })) await retry(() => docker.getNetwork(n.Id).remove());
  for (const v of (await docker.listVolumes({ filters: label })).Volumes ?? []) await retry(() => docker.getVolume(v.Name).remove());
}

describe('a compose stack on the real Swarm', { timeout: 600_000 }, () => {
  before(async () => {
    await ensureTestSwarm(docker);
  });
  after(cleanUp);

  it('deploys, updates only what changed, keeps volume data through an update and a rollback, and puts the whole stack back when one service breaks', async () => {
    const log: string[] = [];
    await deploy(compose({ site: 'one', dbTag: 'v1' }), 'site one', log);
    const text = log.join('');
    assert.match(text, /network .*_back created \(encrypted\)/);
    assert.match(text, /config site created as .*_site_[0-9a-f]{12}/);
    assert.match(text, /agent runs 1 healthy task\(s\)/, 'the global service runs on the one node');
    const mesh = await engine.routingMesh();
    if (!mesh) assert.match(text, /web: this engine's kernel has no IPVS.*published in host mode/);
    assert.equal(await eventually('the web page', async () => ((await get('/index.html')) === 'site one' ? 'site one' : null)), 'site one');
    const back = await docker.getNetwork(`${PREFIX}_back`).inspect() as { Options?: Record<string, string> };
    assert.equal(back.Options?.encrypted, '', 'the overlay is encrypted');
    const volume = await docker.getVolume(`${PREFIX}_data`).inspect() as { Labels?: Record<string, string> };
    assert.equal(volume.Labels?.backup, 'nightly', 'Swarm made the volume from the mount with its labels');
    assert.deepEqual(await history(), ['v1']);

    // A new config content: only web rolls; the old config version is removed.
    const log2: string[] = [];
    await deploy(compose({ site: 'two', dbTag: 'v1' }), 'site two', log2);
    assert.match(log2.join(''), /--> web: updated\n[^]*--> db: unchanged\n[^]*--> agent: unchanged\n/);
    assert.match(log2.join(''), /removed config .*_site_[0-9a-f]{12}: no service of the stack uses it any more/);
    assert.equal(await eventually('the new page', async () => ((await get('/index.html')) === 'site two' ? 'ok' : null)), 'ok');

    // An update of db, then a rollback to what it ran before: the volume keeps every start's line.
    await deploy(compose({ site: 'two', dbTag: 'v2' }), 'site two', []);
    await deploy(compose({ site: 'two', dbTag: 'v1' }), 'site two', []);
    assert.deepEqual(await history(), ['v1', 'v2', 'v1']);

    // A broken new service (and a change to web): the whole stack is put back, and the error quotes its log.
    const err = await deploy(compose({ site: 'three', dbTag: 'v1', broken: true }), 'site three', []).catch((e: unknown) => e);
    assert.ok(err instanceof SlipwayError, String(err));
    assert.match(err.message, /service broken did not become healthy: .*non-zero exit[^]*last log lines of broken:\n {2}broken-says-why/);
    assert.equal(await engine.inspectService(`${PREFIX}_broken`), null, 'the new service is removed');
    assert.equal(await eventually('the page put back', async () => ((await get('/index.html')) === 'site two' ? 'ok' : null)), 'ok');
    const configs = await engine.listSwarmFiles('config', { 'io.slipway.app': app });
    assert.equal(configs.length, 1, `only the config the stack runs is left: ${configs.map((c) => c.name).join(', ')}`);
    assert.deepEqual(await history(), ['v1', 'v2', 'v1'], 'db was not restarted by the failed deploy');
  });
});
