// The Docker adapter of the engine port: builds, pushes and Swarm services through the Engine API (dockerode).

import type Dockerode from 'dockerode';
import { Readable } from 'node:stream';
import { SlipwayError } from '../../core/errors.js';
import type {
  BuildRequest, ContainerNetworks, EnginePort, ImageLookup, LogOptions, NetworkOptions, NetworkSummary, NodeSummary, PortUse, ServiceDefinition, ServiceState,
  ServiceSummary, SwarmFileSummary, TaskProgress, VolumeSummary,
} from '../../core/ports/engine.js';
import type { RegistryCredentials } from '../../core/ports/registry.js';
import type { TaskState } from '../../core/types.js';
import {
  asRecord, fromServiceSpec, parseBuildMessage, pushDigestOf, specMatches, templateKey, toServiceSpec, toServiceState, toTaskState,
} from './convert.js';
import { DockerStackObjects } from './docker-stack-objects.js';
import { demuxLogLines } from './log-stream.js';

export class DockerEngine implements EnginePort {
  readonly #objects: DockerStackObjects;

  constructor(private readonly docker: Dockerode) {
    this.#objects = new DockerStackObjects(docker);
  }

  async build(request: BuildRequest): Promise<void> {
    try {
      await this.#build(request);
    } finally {
      // A refused or cancelled build only unpipes its context; ending it lets its producer (git archive) exit.
      request.context.destroy();
    }
  }

  async #build(request: BuildRequest): Promise<void> {
    const stream = await this.docker
      .buildImage(request.context as unknown as NodeJS.ReadableStream, {
        // The Engine API takes `t` more than once for several tags; dockerode's types know only one.
        t: [request.tag, ...(request.extraTags ?? [])] as unknown as string,
        labels: request.labels,
        ...(request.dockerfile ? { dockerfile: request.dockerfile } : {}),
        ...(request.target ? { target: request.target } : {}),
        ...(request.buildArgs ? { buildargs: request.buildArgs } : {}),
        rm: true,
        forcerm: true,
        abortSignal: request.signal,
      })
      .catch((err: unknown) => {
        throw new SlipwayError('build_failed', `the engine refused the build: ${messageOf(err)}`, { cause: err });
      });
    const error = await followJson(this.docker, stream, (msg) => {
      const { text } = parseBuildMessage(msg);
      if (text) request.onLog(text);
    }, (msg) => parseBuildMessage(msg).error);
    if (error !== null) {
      throw new SlipwayError('build_failed', `the image did not build: ${error.trim()}`, {
        field: 'Dockerfile',
        hint: 'fix the step shown in the build log above, then push again; the running version keeps serving',
      });
    }
  }

  async push(tag: string, credentials: RegistryCredentials, onLog: (line: string) => void): Promise<string> {
    const stream = (await this.docker.getImage(tag).push({ authconfig: authOf(credentials) } as never)) as unknown;
    let digest: string | null = null;
    const error = await followJson(this.docker, stream as NodeJS.ReadableStream, (msg) => {
      digest = pushDigestOf(msg) ?? digest;
      const { text } = parseBuildMessage(msg);
      if (text && !/^[0-9a-f]{12}: (Preparing|Waiting|Pushing)/.test(text)) onLog(text);
    }, (msg) => parseBuildMessage(msg).error);
    if (error !== null || digest === null) {
      throw new SlipwayError('dependency', `pushing ${tag} to the registry failed: ${error ?? 'no digest reported'}`, {
        hint: 'check that the registry is running (`slipway status`) and has disk space',
      });
    }
    return digest;
  }

  async tagImage(image: string, tag: string): Promise<void> {
    const { repo, tag: name } = splitTag(tag);
    await this.docker.getImage(image).tag({ repo, tag: name }).catch((err: unknown) => {
      throw new SlipwayError('dependency', `tagging ${image} as ${tag} failed: ${messageOf(err)}`, { cause: err });
    });
  }

  async removeImage(tag: string): Promise<void> {
    await this.docker.getImage(tag).remove({ noprune: false }).catch((err: unknown) => {
      if ((err as { statusCode?: number }).statusCode === 404) return;
      throw new SlipwayError('dependency', `removing image ${tag} failed: ${messageOf(err)}`, { cause: err });
    });
  }

  async deployService(def: ServiceDefinition, credentials: RegistryCredentials | null): Promise<boolean> {
    const spec = await this.#withFileIds(toServiceSpec(def));
    // Without credentials no X-Registry-Auth header is sent at all (dockerode leaves it out for undefined).
    const auth = credentials === null ? undefined : authOf(credentials);
    for (let attempt = 0; ; attempt++) {
      const current = await this.#inspectRaw(def.serviceName);
      if (current === null) {
        await this.docker.createService(auth as unknown as Dockerode.AuthConfig, spec as Dockerode.ServiceSpec).catch((err: unknown) => {
          throw new SlipwayError('dependency', `creating service ${def.serviceName} failed: ${messageOf(err)}`, { cause: err });
        });
        return true;
      }
      const raw = current as { ID: string; Version: { Index: number }; Spec: unknown };
      // Swarm stores the networks' IDs where we wrote their names: compare like with like.
      const withIds = {
        ...def, network: await this.#networkId(def.network),
        moreNetworks: await Promise.all((def.moreNetworks ?? []).map(async (n) => ({ ...n, network: await this.#networkId(n.network) }))),
      };
      if (specMatches(raw.Spec, withIds) && !isPaused(current)) return false;
      try {
        await this.docker.getService(raw.ID).update(auth as never, { _query: { version: raw.Version.Index }, _body: spec } as never);
        return true;
      } catch (err) {
        // Someone changed the service between our read and write: read again (PITFALLS: update out of sequence).
        if (attempt < 3 && /out of sequence/i.test(messageOf(err))) continue;
        throw new SlipwayError('dependency', `updating service ${def.serviceName} failed: ${messageOf(err)}`, { cause: err });
      }
    }
  }

  async inspectService(serviceName: string): Promise<ServiceState | null> {
    const raw = await this.#inspectRaw(serviceName);
    return raw === null ? null : toServiceState(raw);
  }

  async inspectDefinition(serviceName: string): Promise<ServiceDefinition | null> {
    const raw = await this.#inspectRaw(serviceName);
    if (raw === null) return null;
    const def = fromServiceSpec(asRecord(raw).Spec);
    // Swarm stores the networks' IDs where we wrote their names; give the names back so the definition reads the same.
    const nameOf = async (id: string) => ((await this.docker.getNetwork(id).inspect().catch(() => null)) as { Name?: string } | null)?.Name ?? id;
    return {
      ...def, network: await nameOf(def.network),
      moreNetworks: await Promise.all(def.moreNetworks.map(async (n) => ({ ...n, network: await nameOf(n.network) }))),
    };
  }

  async listTasks(serviceName: string): Promise<TaskState[]> {
    const service = await this.#inspectRaw(serviceName);
    return service === null ? [] : (await this.#rawTasks(service)).map(toTaskState);
  }

  async listTaskProgress(serviceName: string): Promise<TaskProgress[]> {
    const service = await this.#inspectRaw(serviceName);
    if (service === null) return [];
    const current = templateKey(asRecord(asRecord(service).Spec).TaskTemplate);
    return (await this.#rawTasks(service)).map((t) => ({ ...toTaskState(t), current: templateKey(asRecord(t).Spec) === current }));
  }

  async listServices(labels: Readonly<Record<string, string>>): Promise<ServiceSummary[]> {
    const services = (await this.docker.listServices({ filters: { label: labelFilter(labels) } })) as unknown[];
    return services.map((raw) => {
      const spec = asRecord(asRecord(raw).Spec);
      return { serviceName: String(spec.Name ?? ''), labels: asRecord(spec.Labels) as Record<string, string> };
    });
  }

  async ensureNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<void> {
    const existing = (await this.docker.listNetworks({ filters: { name: [name] } })) as Array<{ Name?: string }>;
    // The name filter matches substrings: only an exact name counts.
    if (existing.some((n) => n.Name === name)) return;
    try {
      // Attachable, so an operator can debug a stack with `docker run --network <name> …`.
      await this.docker.createNetwork({ Name: name, Driver: 'overlay', Attachable: true, Labels: { ...labels } });
    } catch (err) {
      if (statusOf(err) !== 409) throw new SlipwayError('dependency', `creating network ${name} failed: ${messageOf(err)}`, { cause: err });
    }
  }

  async listNetworks(labels: Readonly<Record<string, string>>): Promise<NetworkSummary[]> {
    const networks = (await this.docker.listNetworks({ filters: { label: labelFilter(labels) } })) as unknown[];
    return networks
      .map((raw) => ({ name: String(asRecord(raw).Name ?? ''), labels: asRecord(asRecord(raw).Labels) as Record<string, string> }))
      .filter((n) => n.name !== '')
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async removeNetwork(name: string): Promise<void> {
    // The tasks of services removed just before leave the network asynchronously (after their stop grace period).
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await this.docker.getNetwork(name).remove();
        return;
      } catch (err) {
        if (statusOf(err) === 404) return;
        if (!/active endpoints|in use/i.test(messageOf(err)) || Date.now() > deadline) {
          throw new SlipwayError('dependency', `removing network ${name} failed: ${messageOf(err)}`, {
            hint: `remove what still uses it (docker network inspect ${name}), then try again`,
            cause: err,
          });
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  // --- network attachments of running containers (edge ↔ app and stack networks) ---
  async serviceContainers(serviceName: string): Promise<ContainerNetworks[]> {
    const filters = { label: [`com.docker.swarm.service.name=${serviceName}`], status: ['running'] };
    const containers = (await this.docker.listContainers({ filters })) as unknown[];
    return containers.map((raw) => ({
      id: String(asRecord(raw).Id ?? ''),
      networks: Object.keys(asRecord(asRecord(asRecord(raw).NetworkSettings).Networks)).sort(),
    })).filter((c) => c.id !== '');
  }

  async connectNetwork(network: string, containerId: string): Promise<void> {
    try {
      await this.docker.getNetwork(network).connect({ Container: containerId });
    } catch (err) {
      const message = messageOf(err);
      // dockerd 20.10 answers 403 "already exists in network"; newer ones also say "already attached".
      if (/already (exists in network|attached)|endpoint with name .* already exists/i.test(message)) return;
      if (statusOf(err) === 404) throw new SlipwayError('not_found', `connecting ${containerId.slice(0, 12)} to network ${network}: ${message}`, { cause: err });
      throw new SlipwayError('dependency', `connecting ${containerId.slice(0, 12)} to network ${network} failed: ${message}`, { cause: err });
    }
  }

  async disconnectNetwork(network: string, containerId: string): Promise<void> {
    try {
      await this.docker.getNetwork(network).disconnect({ Container: containerId, Force: true });
    } catch (err) {
      if (statusOf(err) === 404 || /is not connected|not found/i.test(messageOf(err))) return;
      throw new SlipwayError('dependency', `disconnecting ${containerId.slice(0, 12)} from network ${network} failed: ${messageOf(err)}`, { cause: err });
    }
  }
  // --- end of network attachments ---

  async removeService(serviceName: string): Promise<void> {
    try {
      await this.docker.getService(serviceName).remove();
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
  }

  async *serviceLogs(serviceName: string, options: LogOptions): AsyncIterable<string> {
    const service = this.docker.getService(serviceName);
    const out = (await service.logs({
      stdout: true,
      stderr: true,
      follow: options.follow,
      tail: options.tail,
      abortSignal: options.signal,
    } as never)) as unknown;
    const stream = Buffer.isBuffer(out) ? Readable.from([out]) : (out as Readable);
    options.signal?.addEventListener('abort', () => stream.destroy(), { once: true });
    try {
      yield* demuxLogLines(stream);
    } catch (err) {
      // The caller stopped following (client went away): that ends the stream, it is not an error.
      if (!options.signal?.aborted) throw err;
    }
  }

  ensureNetworkWith(name: string, labels: Readonly<Record<string, string>>, options: NetworkOptions): Promise<void> {
    return this.#objects.ensureNetworkWith(name, labels, options);
  }

  objectExists(kind: 'network' | 'volume' | 'config' | 'secret', name: string): Promise<boolean> {
    return this.#objects.objectExists(kind, name);
  }

  ensureSwarmFile(kind: 'config' | 'secret', name: string, data: Buffer, labels: Readonly<Record<string, string>>): Promise<void> {
    return this.#objects.ensureSwarmFile(kind, name, data, labels);
  }

  listSwarmFiles(kind: 'config' | 'secret', labels: Readonly<Record<string, string>>): Promise<SwarmFileSummary[]> {
    return this.#objects.listSwarmFiles(kind, labels);
  }

  removeSwarmFile(kind: 'config' | 'secret', name: string): Promise<void> {
    return this.#objects.removeSwarmFile(kind, name);
  }

  listVolumes(labels: Readonly<Record<string, string>>): Promise<VolumeSummary[]> {
    return this.#objects.listVolumes(labels);
  }

  removeVolume(name: string): Promise<void> {
    return this.#objects.removeVolume(name);
  }

  listNodes(): Promise<NodeSummary[]> {
    return this.#objects.listNodes();
  }

  publishedPorts(): Promise<PortUse[]> {
    return this.#objects.publishedPorts();
  }

  resolveImage(image: string, credentials: RegistryCredentials | null): Promise<ImageLookup> {
    return this.#objects.resolveImage(image, credentials);
  }

  routingMesh(): Promise<boolean> {
    return this.#objects.routingMesh();
  }

  /** Swarm wants each config's and secret's ID beside its name; a missing one is named in the error. */
  async #withFileIds(spec: Record<string, unknown>): Promise<Record<string, unknown>> {
    const cs = asRecord(asRecord(spec.TaskTemplate).ContainerSpec);
    for (const [kind, key] of [['config', 'Configs'], ['secret', 'Secrets']] as const) {
      const refs = Array.isArray(cs[key]) ? (cs[key] as Array<Record<string, unknown>>) : [];
      if (refs.length === 0) continue;
      const all = (await (kind === 'config' ? this.docker.listConfigs() : this.docker.listSecrets())) as unknown[];
      const ids = new Map(all.map((x) => [String(asRecord(asRecord(x).Spec).Name ?? ''), String(asRecord(x).ID ?? '')]));
      cs[key] = refs.map((r) => {
        const name = String(r[kind === 'config' ? 'ConfigName' : 'SecretName'] ?? '');
        const id = ids.get(name);
        if (id === undefined) throw new SlipwayError('not_found', `${kind} ${name} does not exist`, { field: name });
        return { ...r, [kind === 'config' ? 'ConfigID' : 'SecretID']: id };
      });
    }
    return spec;
  }

  async #rawTasks(service: unknown): Promise<unknown[]> {
    const id = (service as { ID: string }).ID;
    const tasks = (await this.docker.listTasks({ filters: { service: [id] } })) as unknown[];
    return tasks
      .filter((t) => (t as { ServiceID?: string }).ServiceID === id)
      .sort((a, b) => String((b as { CreatedAt?: string }).CreatedAt).localeCompare(String((a as { CreatedAt?: string }).CreatedAt)));
  }

  async #networkId(name: string): Promise<string> {
    const info = (await this.docker.getNetwork(name).inspect().catch(() => null)) as { Id?: string } | null;
    return info?.Id ?? name;
  }

  async #inspectRaw(serviceName: string): Promise<unknown> {
    try {
      return await this.docker.getService(serviceName).inspect();
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }
}

function isPaused(raw: unknown): boolean {
  const state = toServiceState(raw).updateState;
  return state === 'paused' || state === 'rollback_paused';
}

function labelFilter(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`);
}

function authOf(c: RegistryCredentials): Record<string, string> {
  return { username: c.username, password: c.password.reveal(), serveraddress: c.serveraddress };
}

/** Follows a JSON-lines progress stream; resolves with the first error message seen, or null. */
function followJson(
  docker: Dockerode,
  stream: NodeJS.ReadableStream,
  onMessage: (msg: unknown) => void,
  errorOf: (msg: unknown) => string | null,
): Promise<string | null> {
  return new Promise((resolve) => {
    let firstError: string | null = null;
    docker.modem.followProgress(
      stream,
      (err: Error | null) => resolve(firstError ?? (err ? err.message : null)),
      (msg: unknown) => {
        firstError ??= errorOf(msg);
        onMessage(msg);
      },
    );
  });
}

function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

export function messageOf(err: unknown): string {
  const json = (err as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === 'string') return json.message;
  return err instanceof Error ? err.message : String(err);
}

/** repository:tag split at the tag's colon (a registry's port colon comes before the last slash); no tag: latest. */
function splitTag(ref: string): { repo: string; tag: string } {
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { repo: ref, tag: 'latest' };
}
