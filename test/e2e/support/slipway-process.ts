// Runs a real Slipway server as a child process (so tests can kill it mid-deploy) with its own instance prefix,
// data folder and ports, and removes every Docker object it created afterwards.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Dockerode from 'dockerode';

const REPO = resolve(import.meta.dirname, '../../..');

export interface TestSlipway {
  readonly url: string;
  readonly token: string;
  readonly instance: string;
  readonly dataDir: string;
  readonly home: string;
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly env: Record<string, string>;
  /** Output of the server so far (for diagnosing a failed test). */
  output(): string;
  /** SIGKILL: what a crash or power loss looks like. */
  kill(): Promise<void>;
  /** Starts the server again on the same data folder. */
  restart(): Promise<void>;
  /** Stops the server and removes its services, containers, network, images and folders. */
  destroy(): Promise<void>;
}

export async function startTestSlipway(opts: {
  rolloutTimeoutSeconds?: number; schedulerIntervalMs?: number; maxRuns?: number; domain?: string;
  /** The data folder (e.g. a size-limited mount); default a fresh folder under the test's temp folder. */
  dataDir?: string;
} = {}): Promise<TestSlipway> {
  const instance = `swt${randomBytes(3).toString('hex')}`;
  const root = await mkdtemp(join(tmpdir(), `${instance}-`));
  const [port = 0, registryPort = 0, httpPort = 0, httpsPort = 0, acmePort = 0] = await freePorts(5);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: join(root, 'home'),
    SLIPWAY_DATA: opts.dataDir ?? join(root, 'data'),
    SLIPWAY_INSTANCE: instance,
    SLIPWAY_HOST: '127.0.0.1',
    SLIPWAY_PORT: String(port),
    SLIPWAY_REGISTRY_PORT: String(registryPort),
    SLIPWAY_HTTP_PORT: String(httpPort),
    SLIPWAY_HTTPS_PORT: String(httpsPort),
    SLIPWAY_LOCAL_ACME: '1',
    SLIPWAY_LOCAL_ACME_PORT: String(acmePort),
    SLIPWAY_ROLLOUT_TIMEOUT: String(opts.rolloutTimeoutSeconds ?? 90),
    ...(opts.schedulerIntervalMs === undefined ? {} : { SLIPWAY_SCHEDULER_INTERVAL_MS: String(opts.schedulerIntervalMs) }),
    ...(opts.maxRuns === undefined ? {} : { SLIPWAY_MAX_RUNS: String(opts.maxRuns) }),
    ...(opts.domain === undefined ? {} : { SLIPWAY_DOMAIN: opts.domain }),
  };
  let child: ChildProcess | null = null;
  let log = '';
  const launch = async () => {
    const from = log.length;
    child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/entry.ts'), 'up', '--no-sample'], {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const deadline = Date.now() + 120_000;
    while (!log.slice(from).includes('slipway: ready')) {
      if (child.exitCode !== null) throw new Error(`slipway exited with ${child.exitCode}:\n${log}`);
      if (Date.now() > deadline) throw new Error(`slipway did not start in 120 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const stopChild = async (signal: NodeJS.Signals) => {
    const c = child as ChildProcess | null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await exited;
  };
  await launch();
  const cli = JSON.parse(await readFile(join(env.HOME!, '.config/slipway/cli.json'), 'utf8')) as { token: string };
  return {
    url: `http://127.0.0.1:${port}`,
    token: cli.token,
    instance,
    dataDir: env.SLIPWAY_DATA!,
    home: env.HOME!,
    httpPort,
    httpsPort,
    env,
    output: () => log,
    kill: () => stopChild('SIGKILL'),
    restart: launch,
    async destroy() {
      await stopChild('SIGTERM');
      await removeInstance(instance, registryPort);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Removes everything labelled or named for this instance: services, containers, network, images. */
export async function removeInstance(instance: string, registryPort: number): Promise<void> {
  const docker = new Dockerode();
  const services = (await docker.listServices()) as Array<{ ID: string; Spec?: { Name?: string } }>;
  for (const s of services.filter((x) => x.Spec?.Name?.startsWith(`${instance}-`))) {
    await docker.getService(s.ID).remove().catch(() => undefined);
  }
  const containers = (await docker.listContainers({ all: true })) as Array<{ Id: string; Names: string[] }>;
  for (const c of containers.filter((x) => x.Names.some((n) => n.startsWith(`/${instance}-`)))) {
    await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  }
  // Swarm removes service containers asynchronously; the network can go once they are gone.
  for (let i = 0; i < 40; i++) {
    const left = ((await docker.listContainers({ all: true })) as Array<{ Labels: Record<string, string> }>).filter(
      (c) => (c.Labels['com.docker.swarm.service.name'] ?? '').startsWith(`${instance}-`),
    );
    if (left.length === 0) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  await docker.getNetwork(instance).remove().catch(() => undefined);
  // Pipeline leftovers: kept workspaces, caches and run networks are all named after the instance.
  const volumes = ((await docker.listVolumes()) as { Volumes?: Array<{ Name: string }> | null }).Volumes ?? [];
  for (const v of volumes.filter((x) => x.Name.startsWith(`${instance}-`))) await docker.getVolume(v.Name).remove().catch(() => undefined);
  const networks = (await docker.listNetworks()) as Array<{ Id: string; Name: string }>;
  for (const n of networks.filter((x) => x.Name.startsWith(`${instance}-run-`))) await docker.getNetwork(n.Id).remove().catch(() => undefined);
  // Stack networks (`deploy: { stack }`) and each app's own network, once the services above are gone.
  for (const n of networks.filter((x) => x.Name.startsWith(`${instance}-stack-`) || x.Name.startsWith(`${instance}-appnet-`))) {
    await docker.getNetwork(n.Id).remove().catch(() => undefined);
  }
  const images = (await docker.listImages()) as Array<{ Id: string; RepoTags?: string[] | null; Labels?: Record<string, string> | null }>;
  // Only this instance's images: other instances (a real one on :5000) keep theirs.
  const ours = `127.0.0.1:${registryPort}/apps/`;
  for (const img of images.filter((i) => (i.RepoTags ?? []).some((t) => t.startsWith(ours)))) {
    await docker.getImage(img.Id).remove({ force: true }).catch(() => undefined);
  }
}

async function freePorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < n) {
    const port = await new Promise<number>((res, rej) => {
      const s = createServer();
      s.once('error', rej);
      s.listen(0, '127.0.0.1', () => {
        const address = s.address();
        const p = typeof address === 'object' && address ? address.port : 0;
        s.close(() => res(p));
      });
    });
    // Pebble's management port is acme+1000: keep clear of collisions by drawing from 20000–29999.
    if (port < 60000 && !ports.includes(port)) ports.push(port);
  }
  return ports;
}
