// A scriptable fake of the engine port for unit tests: builds, pushes and Swarm services, with calls recorded.
//
// Like Woodpecker's dummy backend, what happens is scripted per image: 'healthy' tasks go pending → starting →
// running after `pollsToRun` listTasks calls, 'crash' tasks fail with Swarm's exit error, 'unhealthy' ones fail
// the way a failing HEALTHCHECK does, 'exits' ones end with exit code 0 (complete), 'hang' ones stay starting,
// and a build tag scripted 'build-fails' fails its build. Time is counted in listTasks calls (one poll = one step for that service's tasks; see fake-swarm.ts),
// so a test never sleeps. It holds callers to the port's protocol: one deployService per service at a time and,
// if asked, digest-pinned images only.

import { createHash } from 'node:crypto';
import { SlipwayError } from '../../core/errors.js';
import type {
  BuildRequest, ContainerNetworks, EnginePort, ImageLookup, LogOptions, NetworkOptions, NetworkSummary, NodeSummary, PortUse, ServiceDefinition, ServiceState,
  ServiceSummary, SwarmFileSummary, TaskProgress, VolumeSummary,
} from '../../core/ports/engine.js';
import type { RegistryCredentials } from '../../core/ports/registry.js';
import type { TaskState } from '../../core/types.js';
import { normalizeDefinition, specMatches, toServiceSpec } from './convert.js';
import { FakeStackObjects, hasLabels } from './fake-stack-objects.js';
import { FakeSwarm, type ImageBehaviour } from './fake-swarm.js';

export type { ImageBehaviour } from './fake-swarm.js';

export interface FakeEngineOptions {
  /** Image reference or build tag → behaviour. A pushed digest reference inherits its tag's script. */
  readonly images?: Readonly<Record<string, ImageBehaviour>>;
  /** What an unscripted image does (default 'healthy'). */
  readonly defaultBehaviour?: ImageBehaviour;
  /** listTasks calls that see a new task before it runs or fails (default 2; 0 = at once). */
  readonly pollsToRun?: number;
  /** Lines each task of the image prints to stdout (for serviceLogs). */
  readonly logs?: Readonly<Record<string, readonly string[]>>;
  /** Refuse images that are not digest-pinned, as the port's protocol asks of callers (default false). */
  readonly requirePinnedImages?: boolean;
  /** Images the engine has locally besides built ones (e.g. busybox:latest); default ['busybox:latest']. */
  readonly localImages?: readonly string[];
  /** Images a registry knows, with their digests (resolveImage); default none. */
  readonly registryDigests?: Readonly<Record<string, string>>;
  /** The Swarm's nodes; default one ready manager. */
  readonly nodes?: readonly NodeSummary[];
  /** Whether the kernel has IPVS (default false, like the development machines). */
  readonly routingMesh?: boolean;
}

/** The node a fake Swarm runs on unless a test gives others. */
export const FAKE_NODE: NodeSummary = {
  id: 'fakenode0000000000000000', hostname: 'fake-node', role: 'manager', availability: 'active', state: 'ready', labels: {}, engineLabels: {}, os: 'linux', arch: 'x86_64',
};

type ServiceMethod = 'inspectService' | 'inspectDefinition' | 'listTasks' | 'listTaskProgress' | 'removeService' | 'serviceLogs';
type NetworkMethod = 'ensureNetwork' | 'removeNetwork';
type AttachMethod = 'serviceContainers' | 'connectNetwork' | 'disconnectNetwork';

export type FakeCall =
  | {
      readonly method: 'build'; readonly tag: string; readonly extraTags: readonly string[];
      readonly labels: Readonly<Record<string, string>>; readonly contextBytes: number;
    }
  | { readonly method: 'tagImage'; readonly image: string; readonly tag: string }
  | { readonly method: 'removeImage'; readonly tag: string }
  | { readonly method: 'push'; readonly tag: string; readonly digest: string }
  | { readonly method: 'deployService'; readonly definition: ServiceDefinition; readonly changed: boolean; readonly withCredentials: boolean }
  | { readonly method: ServiceMethod; readonly serviceName: string }
  | { readonly method: 'listServices' | 'listNetworks'; readonly labels: Readonly<Record<string, string>> }
  | { readonly method: NetworkMethod; readonly network: string }
  | { readonly method: 'ensureNetworkWith'; readonly network: string; readonly options: NetworkOptions }
  | { readonly method: 'ensureSwarmFile' | 'removeSwarmFile'; readonly kind: 'config' | 'secret'; readonly name: string }
  | { readonly method: OtherMethod; readonly what: string }
  | { readonly method: AttachMethod; readonly network: string; readonly container: string };

type OtherMethod = 'objectExists' | 'listSwarmFiles' | 'listVolumes' | 'removeVolume' | 'listNodes' | 'publishedPorts' | 'resolveImage' | 'routingMesh';

type Method = FakeCall['method'];

export class FakeEngine implements EnginePort {
  readonly calls: FakeCall[] = [];
  readonly #scripts = new Map<string, ImageBehaviour>();
  readonly #logs = new Map<string, readonly string[]>();
  readonly #definitionScripts: Array<{ match: (definition: ServiceDefinition) => boolean; behaviour: ImageBehaviour }> = [];
  readonly #failures = new Map<Method, Error[]>();
  readonly #deploying = new Set<string>();
  readonly #builds = new Map<string, number>();
  readonly #networks = new Map<string, Readonly<Record<string, string>>>();
  readonly #objects: FakeStackObjects;
  /** Running containers a test started (startContainer): id → service and attached networks. */
  readonly #containers = new Map<string, { service: string; networks: Set<string> }>();
  readonly #swarm: FakeSwarm;

  constructor(private readonly options: FakeEngineOptions = {}) {
    for (const [image, behaviour] of Object.entries(options.images ?? {})) this.#scripts.set(image, behaviour);
    for (const [image, lines] of Object.entries(options.logs ?? {})) this.#logs.set(image, lines);
    // A global service runs one task per active node.
    const nodes = (options.nodes ?? [FAKE_NODE]).filter((n) => n.availability === 'active' && n.state === 'ready').length;
    this.#swarm = new FakeSwarm((image, definition) => this.#behaviourOf(image, definition), options.pollsToRun ?? 2, nodes);
    this.#objects = new FakeStackObjects(this.#networks, () => this.#swarm.definitions(), options.nodes ?? [FAKE_NODE]);
  }

  /** Scripts (or re-scripts) an image or build tag; tasks created from now on follow it. */
  script(image: string, behaviour: ImageBehaviour, logs?: readonly string[]): void {
    this.#scripts.set(image, behaviour);
    if (logs) this.#logs.set(image, logs);
  }

  /**
   * Tasks made from a definition that `match`es behave so, whatever their image (the newest script wins): how a
   * test says "this health check never passes" when an update keeps the image.
   */
  scriptDefinition(match: (definition: ServiceDefinition) => boolean, behaviour: ImageBehaviour): void {
    this.#definitionScripts.unshift({ match, behaviour });
  }

  /** The next call(s) of `method` reject with `error` (e.g. dockerd going away mid-rollout). */
  failNext(method: Method, error: Error, times = 1): void {
    this.#failures.set(method, [...(this.#failures.get(method) ?? []), ...Array<Error>(times).fill(error)]);
  }

  /** Pauses the service's update as Swarm does when its monitor sees a failure. */
  pauseUpdate(serviceName: string, message: string): void {
    this.#swarm.pause(serviceName, message);
  }

  /** The service's tasks, newest first, without advancing time (listTasks is a poll and does). */
  tasksOf(serviceName: string): TaskState[] {
    return this.#swarm.tasks(serviceName);
  }

  /** What the service was last deployed with, or null. */
  definitionOf(serviceName: string): ServiceDefinition | null {
    return this.#swarm.definitionOf(serviceName);
  }

  /** The digest a pushed tag got, as the registry would report it. */
  pushedDigest(tag: string): string | null {
    return this.callsTo('push').reverse().find((c) => c.tag === tag)?.digest ?? null;
  }

  callsTo<M extends Method>(method: M): Array<Extract<FakeCall, { method: M }>> {
    return this.calls.filter((c): c is Extract<FakeCall, { method: M }> => c.method === method);
  }

  async build(request: BuildRequest): Promise<void> {
    await this.#io('build');
    let contextBytes = 0;
    for await (const chunk of request.context) contextBytes += (chunk as Buffer).length;
    this.calls.push({ method: 'build', tag: request.tag, extraTags: [...(request.extraTags ?? [])], labels: { ...request.labels }, contextBytes });
    request.onLog('Step 1/3 : FROM busybox:latest\n');
    request.onLog(' ---> 79e3e54d29af\n');
    request.onLog('Step 2/3 : RUN ./build\n');
    request.onLog(' ---> Running in 0a1b2c3d4e5f\n');
    if (request.signal?.aborted) throw new SlipwayError('build_failed', 'the engine refused the build: The operation was aborted');
    if (this.#behaviourOf(request.tag) === 'build-fails') {
      throw new SlipwayError('build_failed', "the image did not build: The command '/bin/sh -c ./build' returned a non-zero code: 1", {
        field: 'Dockerfile',
        hint: 'fix the step shown in the build log above, then push again; the running version keeps serving',
      });
    }
    // The legacy builder adds the labels as a last step.
    const labels = Object.entries(request.labels).map(([k, v]) => `${k}=${v}`).join(' ');
    request.onLog(`Step 3/3 : LABEL ${labels}\n`);
    const builds = (this.#builds.get(request.tag) ?? 0) + 1;
    request.onLog(`Successfully built ${hash(`${request.tag}#${builds}`).slice(0, 12)}\n`);
    for (const tag of [request.tag, ...(request.extraTags ?? [])]) {
      this.#builds.set(tag, builds);
      request.onLog(`Successfully tagged ${tag}\n`);
    }
  }

  async push(tag: string, _credentials: RegistryCredentials, onLog: (line: string) => void): Promise<string> {
    await this.#io('push');
    const builds = this.#builds.get(tag);
    if (builds === undefined) {
      throw new SlipwayError('dependency', `pushing ${tag} to the registry failed: An image does not exist locally with the tag: ${tag}`);
    }
    const digest = `sha256:${hash(`${tag}#${builds}`)}`;
    const repository = tag.slice(0, tag.lastIndexOf(':'));
    onLog(`The push refers to repository [${repository}]\n`);
    onLog(`${tag.slice(repository.length + 1)}: digest: ${digest} size: 527\n`);
    // The pinned reference runs what the tag was scripted to do.
    const scripted = this.#scripts.get(tag);
    if (scripted) this.#scripts.set(`${repository}@${digest}`, scripted);
    const logs = this.#logs.get(tag);
    if (logs) this.#logs.set(`${repository}@${digest}`, logs);
    this.calls.push({ method: 'push', tag, digest });
    return digest;
  }

  async tagImage(image: string, tag: string): Promise<void> {
    await this.#io('tagImage');
    const builds = this.#builds.get(image);
    if (builds === undefined) throw new SlipwayError('dependency', `tagging ${image} as ${tag} failed: No such image: ${image}`);
    this.#builds.set(tag, builds);
    this.calls.push({ method: 'tagImage', image, tag });
  }

  async removeImage(tag: string): Promise<void> {
    await this.#io('removeImage');
    this.#builds.delete(tag);
    this.calls.push({ method: 'removeImage', tag });
  }

  /** The names of local images (built or tagged, not removed): what a later build's FROM could find. */
  localImages(): string[] {
    return [...this.#builds.keys()].sort();
  }

  /** The networks made with ensureNetwork and not removed, by name, with their labels. */
  networks(): ReadonlyMap<string, Readonly<Record<string, string>>> {
    return this.#networks;
  }

  async deployService(definition: ServiceDefinition, credentials: RegistryCredentials | null): Promise<boolean> {
    const name = definition.serviceName;
    if (this.#deploying.has(name)) throw new Error(`EnginePort protocol violated: two deployService calls at once for ${name}`);
    if (this.options.requirePinnedImages && !/(^|@)sha256:[0-9a-f]{64}$/.test(definition.image)) {
      throw new Error(`EnginePort protocol violated: ${definition.image} is not digest-pinned`);
    }
    this.#deploying.add(name);
    try {
      await this.#io('deployService');
    } finally {
      this.#deploying.delete(name);
    }
    if (!IMAGE_REFERENCE.test(definition.image)) {
      // What swarmkit answers (through the adapter) for an image it cannot parse; nothing is created or changed.
      const verb = this.#swarm.has(name) ? 'updating' : 'creating';
      throw new SlipwayError('dependency', `${verb} service ${name} failed: rpc error: code = InvalidArgument desc = ContainerSpec: "${definition.image}" is not a valid repository/tag`);
    }
    this.#objects.checkReferences(definition);
    const current = this.#swarm.definitionOf(name);
    // As the Docker adapter does: a paused update is sent again (that resumes it) even when the spec is the same.
    const changed = current === null || this.#swarm.isPaused(name) || !specMatches(toServiceSpec(current), definition);
    this.calls.push({ method: 'deployService', definition, changed, withCredentials: credentials !== null });
    if (changed) this.#swarm.apply(definition);
    this.#objects.mounted(definition);
    return changed;
  }

  async inspectService(serviceName: string): Promise<ServiceState | null> {
    await this.#serviceCall('inspectService', serviceName);
    return this.#swarm.state(serviceName);
  }

  async inspectDefinition(serviceName: string): Promise<ServiceDefinition | null> {
    await this.#serviceCall('inspectDefinition', serviceName);
    const def = this.#swarm.definitionOf(serviceName);
    return def === null ? null : normalizeDefinition(def);
  }

  async listTasks(serviceName: string): Promise<TaskState[]> {
    await this.#serviceCall('listTasks', serviceName);
    this.#swarm.poll(serviceName);
    return this.#swarm.tasks(serviceName);
  }

  async listTaskProgress(serviceName: string): Promise<TaskProgress[]> {
    await this.#serviceCall('listTaskProgress', serviceName);
    this.#swarm.poll(serviceName);
    return this.#swarm.progress(serviceName);
  }

  async listServices(labels: Readonly<Record<string, string>>): Promise<ServiceSummary[]> {
    this.calls.push({ method: 'listServices', labels });
    await this.#io('listServices');
    return this.#swarm
      .definitions()
      .filter((d) => hasLabels(d.labels, labels))
      .map((d) => ({ serviceName: d.serviceName, labels: { ...d.labels } }));
  }

  async ensureNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<void> {
    this.calls.push({ method: 'ensureNetwork', network: name });
    await this.#io('ensureNetwork');
    if (!this.#networks.has(name)) this.#networks.set(name, { ...labels });
  }

  async listNetworks(labels: Readonly<Record<string, string>>): Promise<NetworkSummary[]> {
    this.calls.push({ method: 'listNetworks', labels });
    await this.#io('listNetworks');
    return [...this.#networks]
      .filter(([, l]) => hasLabels(l, labels))
      .map(([name, l]) => ({ name, labels: { ...l } }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async removeNetwork(name: string): Promise<void> {
    this.calls.push({ method: 'removeNetwork', network: name });
    await this.#io('removeNetwork');
    // dockerd refuses while a service is on it; the protocol says: remove the services first.
    const user = this.#swarm.definitions().find((d) => d.network === name || (d.moreNetworks ?? []).some((n) => n.network === name));
    if (user) throw new Error(`EnginePort protocol violated: network ${name} removed while service ${user.serviceName} uses it`);
    const attached = [...this.#containers].find(([, c]) => c.networks.has(name));
    if (attached) throw new SlipwayError('dependency', `removing network ${name} failed: network has active endpoints (${attached[0]})`);
    this.#networks.delete(name);
    this.#objects.forgetNetwork(name);
  }

  // --- network attachments of running containers (edge ↔ app and stack networks) ---
  /** A running container of a service, as Swarm starts one for its task (the networks of its spec). */
  startContainer(serviceName: string, id: string, networks: readonly string[]): void {
    this.#containers.set(id, { service: serviceName, networks: new Set(networks) });
  }

  /** The container ends (its task is replaced): its attachments go with it. */
  stopContainer(id: string): void {
    this.#containers.delete(id);
  }

  async serviceContainers(serviceName: string): Promise<ContainerNetworks[]> {
    this.calls.push({ method: 'serviceContainers', network: '', container: serviceName });
    await this.#io('serviceContainers');
    return [...this.#containers]
      .filter(([, c]) => c.service === serviceName)
      .map(([id, c]) => ({ id, networks: [...c.networks].sort() }));
  }

  async connectNetwork(network: string, containerId: string): Promise<void> {
    this.calls.push({ method: 'connectNetwork', network, container: containerId });
    await this.#io('connectNetwork');
    const container = this.#containers.get(containerId);
    if (!this.#networks.has(network) || container === undefined) {
      throw new SlipwayError('not_found', `connecting ${containerId} to network ${network}: no such ${container ? 'network' : 'container'}`);
    }
    container.networks.add(network);
  }

  async disconnectNetwork(network: string, containerId: string): Promise<void> {
    this.calls.push({ method: 'disconnectNetwork', network, container: containerId });
    await this.#io('disconnectNetwork');
    this.#containers.get(containerId)?.networks.delete(network);
  }
  // --- end of network attachments ---

  async removeService(serviceName: string): Promise<void> {
    await this.#serviceCall('removeService', serviceName);
    this.#swarm.remove(serviceName);
  }

  async *serviceLogs(serviceName: string, options: LogOptions): AsyncIterable<string> {
    await this.#serviceCall('serviceLogs', serviceName);
    if (!this.#swarm.has(serviceName)) throw new SlipwayError('not_found', `service ${serviceName} not found`);
    const lines = this.#swarm.startedImages(serviceName).flatMap((image) => this.#logs.get(image) ?? []);
    for (const line of lines.slice(Math.max(0, lines.length - options.tail))) yield line.endsWith('\n') ? line : `${line}\n`;
    // Following ends only when the caller aborts, as with dockerd; without a signal the fake stops here.
    if (options.follow && options.signal && !options.signal.aborted) {
      await new Promise((resolve) => options.signal?.addEventListener('abort', resolve, { once: true }));
    }
  }

  /** Makes an object "outside Slipway", as an operator's `docker … create` would (for external references). */
  addExternal(kind: 'network' | 'volume' | 'config' | 'secret', name: string, data = Buffer.from('')): void {
    this.#objects.addExternal(kind, name, data);
  }

  /** An image the engine has locally (resolveImage finds it) without a build. */
  addLocalImage(image: string): void {
    this.#builds.set(image, 0);
  }

  /** The options a network was created with by ensureNetworkWith. */
  networkOptions(name: string): NetworkOptions | null {
    return this.#objects.networkOptions(name);
  }

  /** The bytes of a config or secret. */
  swarmFileData(kind: 'config' | 'secret', name: string): Buffer | null {
    return this.#objects.fileData(kind, name);
  }

  async ensureNetworkWith(name: string, labels: Readonly<Record<string, string>>, options: NetworkOptions): Promise<void> {
    this.calls.push({ method: 'ensureNetworkWith', network: name, options });
    await this.#io('ensureNetworkWith');
    this.#objects.ensureNetworkWith(name, labels, options);
  }

  async objectExists(kind: 'network' | 'volume' | 'config' | 'secret', name: string): Promise<boolean> {
    await this.#other('objectExists', `${kind} ${name}`);
    return this.#objects.exists(kind, name);
  }

  async ensureSwarmFile(kind: 'config' | 'secret', name: string, data: Buffer, labels: Readonly<Record<string, string>>): Promise<void> {
    this.calls.push({ method: 'ensureSwarmFile', kind, name });
    await this.#io('ensureSwarmFile');
    this.#objects.ensureFile(kind, name, data, labels);
  }

  async listSwarmFiles(kind: 'config' | 'secret', labels: Readonly<Record<string, string>>): Promise<SwarmFileSummary[]> {
    await this.#other('listSwarmFiles', kind);
    return this.#objects.listFiles(kind, labels);
  }

  async removeSwarmFile(kind: 'config' | 'secret', name: string): Promise<void> {
    this.calls.push({ method: 'removeSwarmFile', kind, name });
    await this.#io('removeSwarmFile');
    this.#objects.removeFile(kind, name);
  }

  async listVolumes(labels: Readonly<Record<string, string>>): Promise<VolumeSummary[]> {
    await this.#other('listVolumes', '');
    return this.#objects.listVolumes(labels);
  }

  async removeVolume(name: string): Promise<void> {
    await this.#other('removeVolume', name);
    this.#objects.removeVolume(name);
  }

  async listNodes(): Promise<NodeSummary[]> {
    await this.#other('listNodes', '');
    return [...this.#objects.nodes];
  }

  async publishedPorts(): Promise<PortUse[]> {
    await this.#other('publishedPorts', '');
    return this.#objects.publishedPorts();
  }

  async resolveImage(image: string, _credentials: RegistryCredentials | null): Promise<ImageLookup> {
    await this.#other('resolveImage', image);
    const local = this.#builds.has(image) || (this.options.localImages ?? ['busybox:latest']).includes(image);
    const pinned = /@(sha256:[0-9a-f]{64})$/.exec(image)?.[1] ?? null;
    const digest = pinned ?? this.options.registryDigests?.[image] ?? null;
    return { digest, local, reason: digest === null ? 'dial tcp: lookup registry-1.docker.io: no such host' : null };
  }

  async routingMesh(): Promise<boolean> {
    await this.#other('routingMesh', '');
    return this.options.routingMesh ?? false;
  }

  #other(method: OtherMethod, what: string): Promise<void> {
    this.calls.push({ method, what });
    return this.#io(method);
  }

  #behaviourOf(image: string, definition?: ServiceDefinition): ImageBehaviour {
    const byDefinition = definition === undefined ? undefined : this.#definitionScripts.find((s) => s.match(definition))?.behaviour;
    return byDefinition ?? this.#scripts.get(image) ?? this.options.defaultBehaviour ?? 'healthy';
  }

  #serviceCall(method: ServiceMethod, serviceName: string): Promise<void> {
    this.calls.push({ method, serviceName });
    return this.#io(method);
  }

  /** Every call goes through I/O first (so callers that forget to await are caught), then any scripted failure. */
  async #io(method: Method): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    const error = this.#failures.get(method)?.shift();
    if (error) throw error;
  }
}

/** docker/distribution's reference grammar, simplified: [domain[:port]/]path[:tag][@sha256:digest]. */
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_REFERENCE = new RegExp(
  `^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$`,
);


function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
