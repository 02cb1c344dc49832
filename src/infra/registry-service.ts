// Runs Slipway's own registry as a plain container on 127.0.0.1:<hostPort>, idempotently, and waits until it answers.

import { resolve } from 'node:path';
import type Dockerode from 'dockerode';
import { SlipwayError } from '../core/errors.js';
import { DistributionRegistry } from '../adapters/registry/client.js';
import { DEFAULT_REGISTRY_IMAGE, FINGERPRINT_LABEL, ROLE_LABEL, registryContainerSpec } from '../adapters/registry/container.js';
import { loadOrCreateCredentials, type StoredCredentials } from '../adapters/registry/credentials.js';
import { writeRegistryFiles } from '../adapters/registry/files.js';

export interface EnsureRegistryOptions {
  readonly containerName: string;
  /** Default registry:2. */
  readonly image?: string;
  readonly hostPort: number;
  /** Holds config.yml, htpasswd, credentials.json and data/. */
  readonly dir: string;
  /** How long to wait for GET /v2/ to answer; default 30 s. */
  readonly readyTimeoutMs?: number;
}

const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;

/**
 * Protocol: call once at startup, not concurrently for the same name. A container with that name and the same
 * fingerprint (image, port, folder, config, htpasswd) is left alone (started if stopped); otherwise it is recreated.
 * The data folder survives recreation.
 */
export async function ensureRegistry(docker: Dockerode, opts: EnsureRegistryOptions): Promise<DistributionRegistry> {
  if (!CONTAINER_NAME.test(opts.containerName)) {
    throw new SlipwayError('invalid_input', `invalid container name ${JSON.stringify(opts.containerName)}`, { field: 'containerName' });
  }
  if (!Number.isInteger(opts.hostPort) || opts.hostPort < 1 || opts.hostPort > 65535) {
    throw new SlipwayError('invalid_input', `invalid registry port ${opts.hostPort}`, { field: 'hostPort', hint: 'use a free TCP port, e.g. 5000' });
  }
  const dir = resolve(opts.dir);
  const credentials = await loadOrCreateCredentials(dir);
  const files = await writeRegistryFiles(dir, credentials);
  const spec = registryContainerSpec({ ...files, containerName: opts.containerName, image: opts.image ?? DEFAULT_REGISTRY_IMAGE, hostPort: opts.hostPort, dir });
  const container = await runContainer(docker, spec);
  const address = `127.0.0.1:${opts.hostPort}`;
  await waitUntilAnswering(container, address, credentials, opts.readyTimeoutMs ?? 30_000);
  return new DistributionRegistry({ address, username: credentials.username, password: credentials.password });
}

/** Removes the registry container (not its data folder). Missing is fine; someone else's container is not touched. */
export async function removeRegistry(docker: Dockerode, containerName: string): Promise<void> {
  const info = await inspectOrUndefined(docker.getContainer(containerName));
  if (info === undefined) return;
  assertOurs(containerName, info);
  await dockerAction(`remove container ${containerName}`, () => docker.getContainer(containerName).remove({ force: true }), [404]);
}

async function runContainer(docker: Dockerode, spec: Dockerode.ContainerCreateOptions): Promise<Dockerode.Container> {
  const name = spec.name ?? '';
  const wanted = spec.Labels?.[FINGERPRINT_LABEL];
  const existing = docker.getContainer(name);
  const info = await inspectOrUndefined(existing);
  if (info !== undefined) {
    assertOurs(name, info);
    if (info.Config.Labels?.[FINGERPRINT_LABEL] === wanted && !info.State.Dead) {
      if (info.State.Paused) await dockerAction(`unpause ${name}`, () => existing.unpause(), []);
      else if (!info.State.Running) await dockerAction(`start ${name}`, () => existing.start(), [304]);
      return existing;
    }
    await dockerAction(`remove outdated container ${name}`, () => existing.remove({ force: true }), [404]);
  }
  const created = await createContainer(docker, spec);
  await dockerAction(`start ${name}`, () => created.start(), [304]);
  return created;
}

async function createContainer(docker: Dockerode, spec: Dockerode.ContainerCreateOptions): Promise<Dockerode.Container> {
  try {
    return await docker.createContainer(spec);
  } catch (err) {
    if (statusOf(err) !== 404) throw asDependency(`create container ${spec.name ?? ''}`, err);
  }
  await pullImage(docker, spec.Image ?? DEFAULT_REGISTRY_IMAGE);
  return dockerCall(`create container ${spec.name ?? ''}`, () => docker.createContainer(spec));
}

async function pullImage(docker: Dockerode, image: string): Promise<void> {
  const stream = await dockerCall(`pull ${image}`, () => docker.pull(image));
  await new Promise<void>((done, fail) => {
    docker.modem.followProgress(stream, (err: unknown, messages: unknown[] | undefined) => {
      if (err !== null && err !== undefined) return fail(asDependency(`pull ${image}`, err));
      const failed = (messages ?? []).find((m) => typeof m === 'object' && m !== null && 'errorDetail' in m);
      if (failed === undefined) return done();
      const detail = JSON.stringify((failed as { errorDetail: unknown }).errorDetail);
      fail(new SlipwayError('dependency', `pull ${image} failed: ${detail}`, { hint: 'check that this server can reach the image registry' }));
    });
  });
}

async function waitUntilAnswering(
  container: Dockerode.Container,
  address: string,
  credentials: StoredCredentials,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const remaining = deadline - Date.now();
    const probe = new DistributionRegistry({ address, ...credentials, timeoutMs: Math.max(200, Math.min(2_000, remaining)) });
    try {
      await probe.ping();
      return;
    } catch (err) {
      // Wrong credentials will not fix themselves by waiting.
      if (err instanceof SlipwayError && err.field === 'credentials') throw err;
      last = err;
    }
    const state = (await dockerCall('inspect registry container', () => container.inspect())).State;
    if (!state.Running && !state.Restarting) {
      throw new SlipwayError('dependency', `registry container ${container.id.slice(0, 12)} exited with code ${state.ExitCode}`, {
        hint: 'see its logs (docker logs <container>) for a configuration or storage error',
        cause: last,
      });
    }
    if (Date.now() >= deadline) {
      throw new SlipwayError('dependency', `registry on ${address} did not answer within ${Math.round(timeoutMs / 1000)} s`, {
        hint: 'see the registry container logs; check that nothing else uses the port',
        cause: last,
      });
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

function assertOurs(name: string, info: Dockerode.ContainerInspectInfo): void {
  if (info.Config.Labels?.[ROLE_LABEL] !== 'registry') {
    throw new SlipwayError('conflict', `a container named ${name} exists and is not Slipway's registry`, {
      field: 'containerName',
      hint: 'remove or rename that container, or choose another registry container name',
    });
  }
}

async function inspectOrUndefined(container: Dockerode.Container): Promise<Dockerode.ContainerInspectInfo | undefined> {
  try {
    return await container.inspect();
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw asDependency('inspect registry container', err);
  }
}

async function dockerCall<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw asDependency(doing, err);
  }
}

/** For calls whose listed statuses mean "already so": 304 not modified on start, 404 gone on remove. */
async function dockerAction(doing: string, call: () => Promise<unknown>, alreadyDone: number[]): Promise<void> {
  try {
    await call();
  } catch (err) {
    if (!alreadyDone.includes(statusOf(err) ?? -1)) throw asDependency(doing, err);
  }
}

function asDependency(doing: string, err: unknown): SlipwayError {
  const message = err instanceof Error ? err.message : String(err);
  const portTaken = /port is already allocated|address already in use/i.test(message);
  return new SlipwayError('dependency', `docker could not ${doing}: ${message}`, {
    hint: portTaken ? 'another process uses the registry port: free it or configure another port' : 'check that dockerd is running and reachable',
    cause: err,
  });
}

function statusOf(err: unknown): number | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { statusCode?: unknown }).statusCode : undefined;
  return typeof code === 'number' ? code : undefined;
}
