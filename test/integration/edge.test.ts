// The edge against real components: Caddy as a Swarm service, Pebble as ACME CA, a busybox app on an overlay network.

import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { SlipwayError } from '../../src/core/errors.js';
import type { Route } from '../../src/core/types.js';
import { CaddyEdge } from '../../src/adapters/caddy/caddy-edge.js';
import { defaultEdgeSettings, routesFromCaddyConfig } from '../../src/adapters/caddy/convert.js';
import { edgeContainerPath } from '../../src/adapters/caddy/service-spec.js';
import { ensureEdgeService, removeEdgeService, type EnsureEdgeOptions } from '../../src/infra/edge-service.js';
import { dockerHostGateway, startPebble, type Pebble } from '../../src/infra/pebble.js';
import { ensureTestSwarm } from '../support/swarm.js';

const DOMAIN = 'edge-test.example.test';
const BODY = 'hello-edge\n';

describe('edge: Caddy service + Pebble + app on an overlay network', { timeout: 240_000 }, () => {
  const docker = new Dockerode();
  const id = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const network = `slipway-edge-it-${id}`;
  const appService = `slipway-edge-it-app-${id}`;
  const edgeService = `slipway-edge-it-${id}`;
  let dir = '';
  let pebble: Pebble | undefined;
  let issuingRoot = '';
  let edgeOpts: EnsureEdgeOptions;
  let edge: CaddyEdge;
  let routes: Route[];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-edge-it-'));
    await ensureTestSwarm(docker);
    await docker.createNetwork({ Name: network, Driver: 'overlay', Attachable: true, Labels: { 'io.slipway.test': 'edge' } });
    await docker.createService({
      Name: appService,
      Labels: { 'io.slipway.test': 'edge' },
      TaskTemplate: {
        ContainerSpec: {
          Image: 'busybox:latest',
          Command: ['sh', '-c', 'mkdir -p /www && echo hello-edge > /www/index.html && exec httpd -f -p 8000 -h /www'],
          StopGracePeriod: 1_000_000_000, // httpd as PID 1 ignores SIGTERM
        },
        Networks: [{ Target: network }],
      },
      Mode: { Replicated: { Replicas: 1 } },
      EndpointSpec: { Mode: 'dnsrr' },
    });
    routes = [{ domain: DOMAIN, upstreams: [`tasks.${appService}:8000`] }];

    const [acmePort, managementPort, httpPort, httpsPort] = await freePorts(4);
    await mkdir(join(dir, 'pebble'));
    pebble = await startPebble({ dir: join(dir, 'pebble'), port: acmePort, managementPort, containerHostAddress: await dockerHostGateway(docker) });
    issuingRoot = await pebble.fetchIssuingRoot();

    const hostDir = join(dir, 'edge');
    await mkdir(hostDir);
    await copyFile(pebble.listenerCertPem, join(hostDir, 'pebble-listener.pem'));
    edgeOpts = { serviceName: edgeService, network, hostDir, dataDir: join(dir, 'data'), httpPort: httpPort ?? 0, httpsPort: httpsPort ?? 0 };
    const started = Date.now();
    const paths = await ensureEdgeService(docker, edgeOpts);
    console.log(`edge service answering after ${Date.now() - started} ms`);
    edge = new CaddyEdge({
      ...paths,
      settings: defaultEdgeSettings({ ca: pebble.directoryUrl, trustedRootsPemFiles: [edgeContainerPath('pebble-listener.pem')] }),
    });
  });

  after(async () => {
    const started = Date.now();
    await removeEdgeService(docker, edgeService).catch((err: unknown) => console.error('# cleanup edge:', err));
    await docker.getService(appService).remove().catch((err: unknown) => console.error('# cleanup app:', err));
    // Fails while the app's task is still attached; retried until Swarm has let go of it.
    await until(60_000, async () => docker.getNetwork(network).remove().then(() => true, () => false));
    // The node-local copy of a removed overlay network lingers a few seconds.
    await until(30_000, async () => docker.getNetwork(network).inspect().then(() => false, () => true));
    await pebble?.stop();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
    console.log(`cleanup took ${Date.now() - started} ms`);
  });

  it('serves the app over HTTPS with a certificate issued by the ACME CA', async () => {
    const started = Date.now();
    await edge.applyRoutes(routes);
    console.log(`routes loaded after ${Date.now() - started} ms`);
    const res = await until(60_000, () => httpsGet(edgeOpts.httpsPort, DOMAIN, issuingRoot));
    console.log(`first verified HTTPS answer after ${Date.now() - started} ms`);
    assert.equal(res.status, 200);
    assert.equal(res.body, BODY);
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const res = await httpGet(edgeOpts.httpPort, DOMAIN);
    assert.ok(res.status === 301 || res.status === 308, `status ${res.status}`);
    assert.equal(res.location, `https://${DOMAIN}/`);
  });

  it('reads the routes back from Caddy and has persisted the same config', async () => {
    assert.deepEqual(await edge.currentRoutes(), routes);
    const file: unknown = JSON.parse(await readFile(join(edgeOpts.hostDir, 'caddy.json'), 'utf8'));
    assert.deepEqual(routesFromCaddyConfig(file), routes);
  });

  it('treats the same routes as a no-op: no reload, open connections stay open', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      assert.equal((await httpsGet(edgeOpts.httpsPort, DOMAIN, issuingRoot, agent)).body, BODY);
      await edge.applyRoutes([...routes].reverse());
      const again = await httpsGet(edgeOpts.httpsPort, DOMAIN, issuingRoot, agent);
      assert.equal(again.body, BODY);
      assert.equal(again.reusedSocket, true, 'a reload would have closed the idle keep-alive connection');
    } finally {
      agent.destroy();
    }
  });

  it('reports a config Caddy rejects as a dependency error and keeps serving the old routes', async () => {
    const fileBefore = await readFile(join(edgeOpts.hostDir, 'caddy.json'), 'utf8');
    // Passes Slipway's domain syntax check, but is not valid IDNA: Caddy refuses to manage a certificate for it.
    const bad = [...routes, { domain: 'xn--zz.edge-test.example.test', upstreams: [`tasks.${appService}:8000`] }];
    await assert.rejects(edge.applyRoutes(bad), (err: unknown) => {
      assert.ok(err instanceof SlipwayError);
      assert.equal(err.kind, 'dependency');
      assert.match(err.message, /idna|xn--zz/i);
      return true;
    });
    assert.equal((await httpsGet(edgeOpts.httpsPort, DOMAIN, issuingRoot)).body, BODY);
    assert.deepEqual(await edge.currentRoutes(), routes);
    assert.equal(await readFile(join(edgeOpts.hostDir, 'caddy.json'), 'utf8'), fileBefore);
  });

  it('is idempotent, and a restarted edge comes back with its routes and certificate', async () => {
    const before = await edgeContainerId();
    await ensureEdgeService(docker, edgeOpts);
    assert.equal(await edgeContainerId(), before, 'same spec must not restart the edge');

    const started = Date.now();
    await docker.getContainer(before ?? '').kill();
    await until(60_000, async () => {
      const now = await edgeContainerId();
      return now !== undefined && now !== before;
    });
    assert.deepEqual(await edge.currentRoutes(), routes);
    const res = await until(30_000, () => httpsGet(edgeOpts.httpsPort, DOMAIN, issuingRoot));
    console.log(`serving again ${Date.now() - started} ms after the edge container was killed`);
    assert.equal(res.body, BODY);
  });

  it('replaces the task on a spec change (new host port) and comes back with its routes', async () => {
    const [httpsPort] = await freePorts(1);
    edgeOpts = { ...edgeOpts, httpsPort: httpsPort ?? 0 };
    const started = Date.now();
    await ensureEdgeService(docker, edgeOpts);
    console.log(`edge updated and answering after ${Date.now() - started} ms`);
    assert.deepEqual(await edge.currentRoutes(), routes);
    assert.equal((await until(30_000, () => httpsGet(edgeOpts.httpsPort, DOMAIN, issuingRoot))).body, BODY);
  });

  async function edgeContainerId(): Promise<string | undefined> {
    const list = await docker.listContainers({ filters: { label: [`com.docker.swarm.service.name=${edgeService}`], status: ['running'] } });
    return list[0]?.Id;
  }
});

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly location: string | undefined;
  readonly reusedSocket: boolean;
}

/** TLS to 127.0.0.1 with SNI and Host set to the domain, verifying the chain against the CA's issuing root. */
function httpsGet(port: number, domain: string, ca: string, agent: Agent | false = false): Promise<Answer> {
  return answer(httpsRequest({ host: '127.0.0.1', port, servername: domain, headers: { Host: domain }, ca, agent, timeout: 5_000 }));
}

function httpGet(port: number, domain: string): Promise<Answer> {
  return answer(httpRequest({ host: '127.0.0.1', port, headers: { Host: domain }, agent: false, timeout: 5_000 }));
}

function answer(req: ReturnType<typeof httpRequest>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({
        status: res.statusCode ?? 0,
        body: Buffer.concat(chunks).toString('utf8'),
        location: res.headers.location,
        reusedSocket: req.reusedSocket,
      }));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Retries until the call returns a truthy value (or a 200 answer) without throwing; the last error if the deadline passes. */
async function until<T>(timeoutMs: number, call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = new Error('condition never became true');
  for (;;) {
    try {
      const value = await call();
      const ok = typeof value === 'object' && value !== null && 'status' in value ? (value as { status: unknown }).status === 200 : Boolean(value);
      if (ok) return value;
      last = new Error(`not yet: ${JSON.stringify(value)}`);
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw last;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Ports the kernel hands out as free now (closed again at once). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const server = createServer();
      server.listen(0, '0.0.0.0', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => {
    const address = s.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}
