// Runs the edge (Caddy) as a Swarm service, idempotently, and waits until its admin socket answers.

import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type Dockerode from 'dockerode';
import { SlipwayError } from '../core/errors.js';
import { CaddyAdminClient } from '../adapters/caddy/admin-client.js';
import { adminOnlyConfig } from '../adapters/caddy/convert.js';
import {
  DEFAULT_EDGE_IMAGE, EDGE_ADMIN_LISTEN, EDGE_ROLE_LABEL, EDGE_SPEC_LABEL, edgeHostPaths, edgeServiceSpec, type EdgeHostPaths,
} from '../adapters/caddy/service-spec.js';
import { labelsOf, newestTaskProblem, runningTaskWithLabel } from '../adapters/caddy/service-status.js';

/** The calls this file makes; Dockerode satisfies it, and a unit test can script it. */
export interface EdgeDocker {
  info(): Promise<unknown>;
  getService(id: string): { inspect(): Promise<unknown>; update(options: object): Promise<unknown>; remove(): Promise<unknown> };
  createService(options: Dockerode.CreateServiceOptions): Promise<unknown>;
  listTasks(options: { filters: Record<string, string[]> }): Promise<unknown[]>;
  listContainers(options: { all: boolean; filters: Record<string, string[]> }): Promise<unknown[]>;
}

export interface EnsureEdgeOptions {
  readonly serviceName: string;
  /** Default caddy:2. */
  readonly image?: string;
  /** Overlay network the app services are on (must exist, attachable). */
  readonly network: string;
  /** Bind-mounted at /run/edge: admin socket, caddy.json, trusted CA files. */
  readonly hostDir: string;
  /** Bind-mounted at /data: certificates and ACME accounts. Keep it: re-issuing hits CA rate limits. */
  readonly dataDir: string;
  readonly httpPort: number;
  readonly httpsPort: number;
  /** Until the admin socket answers; default 60 s. */
  readonly readyTimeoutMs?: number;
}

export interface EdgeService extends EdgeHostPaths {
  readonly serviceName: string;
}

const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const POLL_MS = 250;

/**
 * Protocol: call at startup, not concurrently for the same name. The same spec leaves the running edge alone
 * (no restart, no dropped connections); a different spec replaces its task (stop-first: a short gap).
 * The config file is written only when missing, so routes loaded earlier survive.
 */
export async function ensureEdgeService(docker: EdgeDocker, opts: EnsureEdgeOptions): Promise<EdgeService> {
  validate(opts);
  const hostDir = resolve(opts.hostDir);
  const dataDir = resolve(opts.dataDir);
  await mkdir(hostDir, { recursive: true });
  await mkdir(dataDir, { recursive: true });
  const paths = edgeHostPaths(hostDir);
  await writeInitialConfig(paths.configFile);

  const nodeId = await localNodeId(docker);
  const spec = edgeServiceSpec({ ...opts, image: opts.image ?? DEFAULT_EDGE_IMAGE, hostDir, dataDir, nodeId });
  const fingerprint = spec.Labels?.[EDGE_SPEC_LABEL] ?? '';
  await createOrUpdate(docker, opts.serviceName, spec, fingerprint);

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  await waitForTask(docker, opts.serviceName, fingerprint, deadline);
  await waitForAdmin(paths.adminSocketPath, opts.serviceName, deadline);
  return { serviceName: opts.serviceName, ...paths };
}

/** Removes the edge service and waits until its containers are gone (host ports free). Missing is fine. */
export async function removeEdgeService(docker: EdgeDocker, serviceName: string, timeoutMs = 60_000): Promise<void> {
  const existing = await inspectOrUndefined(docker, serviceName);
  if (existing !== undefined) {
    assertOurs(serviceName, existing);
    try {
      await docker.getService(serviceName).remove();
    } catch (err) {
      if (statusCodeOf(err) !== 404) throw asDependency(`remove service ${serviceName}`, err);
    }
  }
  const deadline = Date.now() + timeoutMs;
  const filters = { label: [`com.docker.swarm.service.name=${serviceName}`] };
  while ((await dockerCall('list containers', () => docker.listContainers({ all: true, filters }))).length > 0) {
    if (Date.now() > deadline) {
      throw new SlipwayError('dependency', `containers of ${serviceName} still exist ${timeoutMs} ms after removing the service`);
    }
    await sleep(POLL_MS);
  }
}

async function createOrUpdate(docker: EdgeDocker, name: string, spec: Dockerode.CreateServiceOptions, fingerprint: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const existing = await inspectOrUndefined(docker, name);
    if (existing === undefined) {
      await dockerCall(`create service ${name}`, () => docker.createService(spec));
      return;
    }
    assertOurs(name, existing);
    if (labelsOf(existing, 'Spec')[EDGE_SPEC_LABEL] === fingerprint) return;
    const version = versionOf(existing);
    try {
      // The update replaces the whole spec; ?version= guards against a concurrent writer (PITFALLS: swarm services).
      await docker.getService(name).update({ _query: { version }, _body: spec });
      return;
    } catch (err) {
      if (attempt >= 5 || !/update out of sequence/i.test(String(err))) throw asDependency(`update service ${name}`, err);
    }
  }
}

async function waitForTask(docker: EdgeDocker, name: string, fingerprint: string, deadline: number): Promise<void> {
  for (;;) {
    const tasks = await dockerCall('list tasks', () => docker.listTasks({ filters: { service: [name] } }));
    if (runningTaskWithLabel(tasks, EDGE_SPEC_LABEL, fingerprint)) return;
    if (Date.now() > deadline) {
      throw new SlipwayError('dependency', `edge service ${name} has no running task: ${newestTaskProblem(tasks) ?? 'still starting'}`, {
        hint: `check \`docker service ps ${name} --no-trunc\`: host ports in use, image missing or folders not writable`,
      });
    }
    await sleep(POLL_MS);
  }
}

async function waitForAdmin(socketPath: string, name: string, deadline: number): Promise<void> {
  const client = new CaddyAdminClient({ socketPath, timeoutMs: 2_000 });
  for (;;) {
    try {
      await client.getConfig();
      return;
    } catch (err) {
      if (Date.now() > deadline) {
        throw new SlipwayError('dependency', `edge service ${name} runs but its admin API does not answer: ${(err as Error).message}`, {
          hint: `check \`docker service logs ${name}\``,
          cause: err,
        });
      }
    }
    await sleep(POLL_MS);
  }
}

async function writeInitialConfig(configFile: string): Promise<void> {
  try {
    await writeFile(configFile, `${JSON.stringify(adminOnlyConfig(EDGE_ADMIN_LISTEN), null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

async function localNodeId(docker: EdgeDocker): Promise<string> {
  const info = await dockerCall('docker info', () => docker.info());
  const swarm = typeof info === 'object' && info !== null ? (info as { Swarm?: unknown }).Swarm : undefined;
  const nodeId = typeof swarm === 'object' && swarm !== null ? (swarm as { NodeID?: unknown }).NodeID : undefined;
  const isManager = typeof swarm === 'object' && swarm !== null && (swarm as { ControlAvailable?: unknown }).ControlAvailable === true;
  if (typeof nodeId !== 'string' || nodeId === '' || !isManager) {
    throw new SlipwayError('dependency', 'this Docker engine is not a swarm manager', {
      hint: 'run `docker swarm init` (or run Slipway on a manager node)',
    });
  }
  return nodeId;
}

async function inspectOrUndefined(docker: EdgeDocker, name: string): Promise<unknown> {
  try {
    return await docker.getService(name).inspect();
  } catch (err) {
    if (statusCodeOf(err) === 404) return undefined;
    throw asDependency(`inspect service ${name}`, err);
  }
}

function assertOurs(name: string, service: unknown): void {
  if (labelsOf(service, 'Spec')[EDGE_ROLE_LABEL] !== 'edge') {
    throw new SlipwayError('conflict', `service ${name} exists and is not a Slipway edge`, {
      field: 'serviceName',
      hint: 'choose another edge service name or remove that service',
    });
  }
}

function versionOf(service: unknown): number {
  const index = (service as { Version?: { Index?: unknown } }).Version?.Index;
  if (typeof index !== 'number') throw new SlipwayError('dependency', 'service inspect returned no Version.Index');
  return index;
}

function validate(opts: EnsureEdgeOptions): void {
  if (!SERVICE_NAME.test(opts.serviceName)) {
    throw new SlipwayError('invalid_input', `invalid edge service name ${JSON.stringify(opts.serviceName)}`, { field: 'serviceName' });
  }
  for (const field of ['httpPort', 'httpsPort'] as const) {
    const port = opts[field];
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new SlipwayError('invalid_input', `invalid ${field} ${port}`, { field, hint: 'use a free TCP port, e.g. 80 and 443' });
    }
  }
}

async function dockerCall<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw asDependency(action, err);
  }
}

function statusCodeOf(err: unknown): number | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { statusCode?: unknown }).statusCode : undefined;
  return typeof code === 'number' ? code : undefined;
}

function asDependency(action: string, err: unknown): SlipwayError {
  if (err instanceof SlipwayError) return err;
  return new SlipwayError('dependency', `docker: ${action}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
