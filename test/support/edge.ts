// The real edge for integration tests: Caddy as a Swarm service, Pebble as ACME CA, a busybox app on an overlay network.

import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { CaddyEdge } from '../../src/adapters/caddy/caddy-edge.js';
import { defaultEdgeSettings } from '../../src/adapters/caddy/convert.js';
import { edgeContainerPath } from '../../src/adapters/caddy/service-spec.js';
import { ensureEdgeService, removeEdgeService, type EnsureEdgeOptions } from '../../src/infra/edge-service.js';
import { dockerHostGateway, startPebble, type Pebble } from '../../src/infra/pebble.js';
import { ensureTestSwarm } from './swarm.js';

/** What the app's tasks answer to GET /. */
export const APP_BODY = 'hello-edge\n';

export interface EdgeWorld {
  readonly id: string;
  readonly edge: CaddyEdge;
  /** Options the edge service was started with; the https/http ports are the host ports to request. */
  readonly edgeOpts: EnsureEdgeOptions;
  /** The Swarm service name of the edge. */
  readonly edgeService: string;
  /** Dial address of the app's tasks (answers APP_BODY). */
  readonly upstream: string;
  /** PEM of the CA that issued the edge's certificates. */
  readonly issuingRoot: string;
  dispose(): Promise<void>;
}

/** Starts everything; the caller must dispose() even when a later step fails (dispose copes with a partial world). */
export async function startEdgeWorld(docker: Dockerode, label: string): Promise<EdgeWorld> {
  const id = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const network = `slipway-${label}-${id}`;
  const appService = `slipway-${label}-app-${id}`;
  const edgeService = `slipway-${label}-${id}`;
  const dir = await mkdtemp(join(tmpdir(), `slipway-${label}-`));
  let pebble: Pebble | undefined;

  const dispose = async (): Promise<void> => {
    const started = Date.now();
    await removeEdgeService(docker, edgeService).catch((err: unknown) => console.error('# cleanup edge:', err));
    await docker.getService(appService).remove().catch(() => undefined);
    // Fails while the app's task is still attached; retried until Swarm has let go of it.
    await until(60_000, async () => docker.getNetwork(network).remove().then(() => true, (err: { statusCode?: number }) => err.statusCode === 404));
    // The node-local copy of a removed overlay network lingers a few seconds.
    await until(30_000, async () => docker.getNetwork(network).inspect().then(() => false, () => true));
    await pebble?.stop();
    await rm(dir, { recursive: true, force: true });
    console.log(`cleanup took ${Date.now() - started} ms`);
  };

  try {
    await ensureTestSwarm(docker);
    await docker.createNetwork({ Name: network, Driver: 'overlay', Attachable: true, Labels: { 'io.slipway.test': label } });
    await docker.createService({
      Name: appService,
      Labels: { 'io.slipway.test': label },
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

    const [acmePort, managementPort, httpPort, httpsPort] = await freePorts(4);
    await mkdir(join(dir, 'pebble'));
    pebble = await startPebble({ dir: join(dir, 'pebble'), port: acmePort, managementPort, containerHostAddress: await dockerHostGateway(docker) });
    const issuingRoot = await pebble.fetchIssuingRoot();

    const hostDir = join(dir, 'edge');
    await mkdir(hostDir);
    await copyFile(pebble.listenerCertPem, join(hostDir, 'pebble-listener.pem'));
    const edgeOpts: EnsureEdgeOptions = { serviceName: edgeService, network, hostDir, dataDir: join(dir, 'data'), httpPort: httpPort ?? 0, httpsPort: httpsPort ?? 0 };
    const started = Date.now();
    const paths = await ensureEdgeService(docker, edgeOpts);
    console.log(`edge service answering after ${Date.now() - started} ms`);
    const edge = new CaddyEdge({
      ...paths,
      settings: defaultEdgeSettings({ ca: pebble.directoryUrl, trustedRootsPemFiles: [edgeContainerPath('pebble-listener.pem')] }),
    });
    return { id, edge, edgeOpts, edgeService, upstream: `tasks.${appService}:8000`, issuingRoot, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

export interface Answer {
  readonly status: number;
  readonly body: string;
  readonly location: string | undefined;
  readonly reusedSocket: boolean;
}

/** TLS to 127.0.0.1 with SNI and Host set to the domain, verifying the chain against the CA's issuing root. */
export function httpsGet(port: number, domain: string, ca: string, agent: Agent | false = false): Promise<Answer> {
  return answer(httpsRequest({ host: '127.0.0.1', port, servername: domain, headers: { Host: domain }, ca, agent, timeout: 5_000 }));
}

export function httpGet(port: number, domain: string): Promise<Answer> {
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
export async function until<T>(timeoutMs: number, call: () => Promise<T>): Promise<T> {
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
export async function freePorts(count: number): Promise<number[]> {
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
