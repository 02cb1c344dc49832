// The container engine port: what Slipway needs from Docker (builds, pushes, Swarm services, logs).
//
// Protocol:
// - build streams the builder's output line by line through onLog and throws SlipwayError('build_failed')
//   carrying the builder's own error text; push returns the digest the engine reports.
// - tagImage and removeImage only name local images; removeImage of a name that another name shares only untags it.
// - deployService creates the service or updates it to exactly this spec. It is idempotent: when the service
//   already has this spec it changes nothing (no restart). It never turns tags into digests: callers pass
//   digest-pinned images (see PITFALLS: the Engine API does not resolve tags).
// - Stack services (src/stack) may name an image as their compose file gives it (e.g. `redis:7`): the engine uses
//   it as given, and deployService takes null credentials for it, because auth sent with a create/update is used
//   for whichever registry hosts the image (Slipway's registry password must not go to Docker Hub).
// - inspectDefinition returns the definition with every optional field filled in (normalizeDefinition), so
//   deployService(await inspectDefinition(name)) puts exactly that spec back: how a failed stack deploy restores.
// - listTasks returns every task Swarm still remembers for the service, newest first; the health gate reads them.
//   listTaskProgress also tells which tasks run the service's current task template: an update that keeps the
//   image (a new command, env or health check) is only done when the tasks of the old template are gone.
// - Networks are overlay networks owned by Slipway: ensureNetwork is idempotent; removeNetwork is called after
//   the services on it were removed, waits (bounded) for their tasks to leave it, and is fine when it is gone.
// - Network attachments of running containers (issue 12: the edge joins each app's and stack's network without a
//   service update, which would restart it): serviceContainers lists a service's running containers on this node with
//   their networks; connectNetwork/disconnectNetwork are idempotent (already attached / not attached is fine) and
//   connectNetwork of a network that does not exist is SlipwayError not_found. An attachment lasts as long as that
//   container: a replaced task starts with only its spec's networks, so callers reconcile again.
// - Calls may run concurrently for different services; one service is only driven by one caller at a time
//   (the run queue serialises deploys per app).

import type { Readable } from 'node:stream';
import type { TaskState } from '../types.js';
import type { RegistryCredentials } from './registry.js';

export interface BuildRequest {
  /** A tar (optionally gzipped) whose root holds the Dockerfile. */
  readonly context: Readable;
  readonly tag: string;
  /** More tags for the same image (e.g. the `git describe` tag). */
  readonly extraTags?: readonly string[];
  /** Path of the Dockerfile inside the context; default "Dockerfile". */
  readonly dockerfile?: string;
  readonly target?: string | null;
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly onLog: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface ServiceDefinition {
  readonly serviceName: string;
  readonly image: string;
  readonly replicas: number;
  readonly env: Readonly<Record<string, string>>;
  readonly network: string;
  /** Labels of the service, and of its containers unless containerLabels is given. */
  readonly labels: Readonly<Record<string, string>>;
  /** Replaces the image's ENTRYPOINT (compose `entrypoint`); null or absent: the image's. */
  readonly entrypoint?: readonly string[] | null;
  /** Replaces the image's CMD (compose `command`); null or absent: the image's. */
  readonly command?: readonly string[] | null;
  /** Replaces the image's HEALTHCHECK; null or absent: the image's. */
  readonly healthcheck?: HealthcheckDefinition | null;
  /** More DNS names of the service on its network (a stack service is reached by its compose name). */
  readonly aliases?: readonly string[];
  /** Labels of the containers when they differ from the service's (compose `labels` vs `deploy.labels`). */
  readonly containerLabels?: Readonly<Record<string, string>>;
  // --- Swarm settings of stack services (issue 13). Absent: Slipway's app defaults (see SWARM DEFAULTS below). ---
  readonly mode?: 'replicated' | 'global';
  /** Networks joined besides `network`, each with its aliases. */
  readonly moreNetworks?: readonly NetworkAttachment[];
  readonly mounts?: readonly ServiceMount[];
  /** Configs and secrets by their Swarm name (the adapter finds their IDs). */
  readonly configs?: readonly FileReference[];
  readonly secrets?: readonly FileReference[];
  readonly ports?: readonly PublishedPort[];
  readonly placement?: ServicePlacement;
  readonly resources?: ServiceResources;
  /** Default: condition any, 2 s delay, no attempt limit. */
  readonly restartPolicy?: RestartPolicy;
  /** Default: parallelism 1, start-first, failure_action pause, monitor 5 s (Slipway's gate decides). */
  readonly updateConfig?: UpdatePolicy;
  readonly rollbackConfig?: UpdatePolicy;
  /** Default dnsrr (works without IPVS); vip needs the kernel's IPVS. */
  readonly endpointMode?: 'vip' | 'dnsrr';
  readonly user?: string | null;
  readonly workingDir?: string | null;
  readonly hostname?: string | null;
  /** "IP host [aliases…]" lines for /etc/hosts. */
  readonly hosts?: readonly string[];
  readonly dns?: DnsSettings;
  readonly init?: boolean | null;
  readonly readOnly?: boolean;
  /** Default 10 s. */
  readonly stopGracePeriodMs?: number;
  readonly stopSignal?: string | null;
  readonly ulimits?: Readonly<Record<string, { readonly soft: number; readonly hard: number }>>;
  readonly sysctls?: Readonly<Record<string, string>>;
  readonly capAdd?: readonly string[];
  readonly capDrop?: readonly string[];
  readonly logDriver?: { readonly name: string; readonly options: Readonly<Record<string, string>> } | null;
}

export interface NetworkAttachment {
  readonly network: string;
  readonly aliases: readonly string[];
}

/** A named volume is created by Swarm on each node from volumeOptions when it does not exist there yet. */
export type ServiceMount =
  | {
      readonly type: 'volume'; readonly source: string; readonly target: string; readonly readOnly: boolean; readonly noCopy: boolean;
      readonly volumeOptions: { readonly driver: string | null; readonly driverOpts: Readonly<Record<string, string>>; readonly labels: Readonly<Record<string, string>> } | null;
    }
  | { readonly type: 'bind'; readonly source: string; readonly target: string; readonly readOnly: boolean }
  | { readonly type: 'tmpfs'; readonly target: string; readonly sizeBytes: number | null; readonly mode: number | null };

export interface FileReference {
  /** The Swarm name of the config or secret. */
  readonly name: string;
  readonly target: string;
  /** Default "0", "0", 0o444. */
  readonly uid: string;
  readonly gid: string;
  readonly mode: number;
}

export interface PublishedPort {
  readonly target: number;
  /** null: Swarm picks one (ingress mode only). */
  readonly published: number | null;
  readonly protocol: 'tcp' | 'udp';
  readonly mode: 'ingress' | 'host';
}

export interface ServicePlacement {
  readonly constraints: readonly string[];
  /** Spread descriptors, e.g. node.labels.zone. */
  readonly preferences: readonly string[];
  readonly maxReplicasPerNode: number | null;
}

export interface ServiceResources {
  readonly limits: { readonly nanoCpus: number | null; readonly memoryBytes: number | null; readonly pids: number | null } | null;
  readonly reservations: { readonly nanoCpus: number | null; readonly memoryBytes: number | null } | null;
}

export interface RestartPolicy {
  readonly condition: 'none' | 'on-failure' | 'any';
  readonly delayMs: number | null;
  /** 0 = no limit. */
  readonly maxAttempts: number;
  readonly windowMs: number | null;
}

export interface UpdatePolicy {
  readonly parallelism: number;
  readonly delayMs: number;
  readonly failureAction: 'continue' | 'pause' | 'rollback';
  readonly monitorMs: number;
  readonly maxFailureRatio: number;
  readonly order: 'start-first' | 'stop-first';
}

export interface DnsSettings {
  readonly servers: readonly string[];
  readonly search: readonly string[];
  readonly options: readonly string[];
}

/** A Swarm config or secret as Slipway sees it (the data never leaves Swarm again). */
export interface SwarmFileSummary {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface NetworkOptions {
  readonly attachable: boolean;
  readonly internal: boolean;
  /** E.g. { encrypted: '' } for IPsec between nodes. */
  readonly driverOpts: Readonly<Record<string, string>>;
  readonly ipam: { readonly driver: string | null; readonly subnets: readonly string[] } | null;
}

export interface VolumeSummary {
  readonly name: string;
  readonly driver: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface NodeSummary {
  readonly id: string;
  readonly hostname: string;
  readonly role: 'manager' | 'worker';
  /** active, pause or drain. */
  readonly availability: string;
  /** ready, down, … */
  readonly state: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly engineLabels: Readonly<Record<string, string>>;
  readonly os: string;
  readonly arch: string;
}

export interface PortUse {
  readonly serviceName: string;
  readonly published: number;
  readonly protocol: 'tcp' | 'udp';
  readonly mode: 'ingress' | 'host';
}

/** What resolveImage found: a digest from the image's registry, else whether the engine has it locally. */
export interface ImageLookup {
  /** sha256:… from the registry, or null when the registry could not be asked or does not know the image. */
  readonly digest: string | null;
  readonly local: boolean;
  /** Why the registry gave no digest (for the log). */
  readonly reason: string | null;
}

export interface HealthcheckDefinition {
  /** Docker's form: ['CMD', prog, …args], ['CMD-SHELL', command] or ['NONE'] (the image's check is disabled). */
  readonly test: readonly string[];
  /** null: Docker's default (30 s, 30 s, 3, 0 s). */
  readonly intervalMs: number | null;
  readonly timeoutMs: number | null;
  readonly retries: number | null;
  readonly startPeriodMs: number | null;
}

export interface TaskProgress extends TaskState {
  /** The task runs the service's current task template (during an update, the others are being replaced). */
  readonly current: boolean;
}

export interface ServiceSummary {
  readonly serviceName: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface NetworkSummary {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A running container of a service, with the names of the networks it is attached to. */
export interface ContainerNetworks {
  readonly id: string;
  readonly networks: readonly string[];
}

export interface ServiceState {
  readonly id: string;
  readonly version: number;
  readonly image: string;
  readonly replicas: number;
  /** Swarm's UpdateStatus.State (updating, paused, completed, rollback_started, …) or null if never updated. */
  readonly updateState: string | null;
  readonly updateMessage: string | null;
}

export interface LogOptions {
  readonly follow: boolean;
  readonly tail: number;
  readonly signal?: AbortSignal;
}

export interface EnginePort {
  build(request: BuildRequest): Promise<void>;
  push(tag: string, credentials: RegistryCredentials, onLog: (line: string) => void): Promise<string>;
  /** Gives the local image `image` one more name `tag` (repository:tag); a name that pointed elsewhere moves. */
  tagImage(image: string, tag: string): Promise<void>;
  /** Removes the local name `tag` (the image itself once no other name holds it); fine when it is already gone. */
  removeImage(tag: string): Promise<void>;
  /**
   * Returns false when the service already had exactly this spec (nothing was changed). Credentials: those of
   * the registry the image is in, or null for an image from elsewhere.
   */
  deployService(definition: ServiceDefinition, credentials: RegistryCredentials | null): Promise<boolean>;
  inspectService(serviceName: string): Promise<ServiceState | null>;
  /** What the service runs now, every optional field filled in; null when there is no such service. */
  inspectDefinition(serviceName: string): Promise<ServiceDefinition | null>;
  listTasks(serviceName: string): Promise<TaskState[]>;
  /** listTasks, each task marked whether it runs the current task template. */
  listTaskProgress(serviceName: string): Promise<TaskProgress[]>;
  /** The services carrying every one of these labels. */
  listServices(labels: Readonly<Record<string, string>>): Promise<ServiceSummary[]>;
  removeService(serviceName: string): Promise<void>;
  /** Creates the attachable overlay network unless it exists. */
  ensureNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<void>;
  /** The networks carrying every one of these labels. */
  listNetworks(labels: Readonly<Record<string, string>>): Promise<NetworkSummary[]>;
  removeNetwork(name: string): Promise<void>;
  // --- network attachments of running containers (edge ↔ app and stack networks) ---
  /** The service's running containers on this node, each with its networks; none while its task is replaced. */
  serviceContainers(serviceName: string): Promise<ContainerNetworks[]>;
  /** Attaches a running container to an attachable network; fine when already attached. */
  connectNetwork(network: string, containerId: string): Promise<void>;
  /** Detaches a container from a network; fine when not attached or either is gone. */
  disconnectNetwork(network: string, containerId: string): Promise<void>;
  // --- end of network attachments ---
  /** The service's stdout/stderr as text lines (Docker's multiplexing removed). */
  serviceLogs(serviceName: string, options: LogOptions): AsyncIterable<string>;
  // --- Stack objects (issue 13) ---
  /** ensureNetwork with the compose file's options; an existing network is kept as it is (networks cannot change). */
  ensureNetworkWith(name: string, labels: Readonly<Record<string, string>>, options: NetworkOptions): Promise<void>;
  /** Whether a network, volume, config or secret of exactly this name exists (external objects of a stack). */
  objectExists(kind: 'network' | 'volume' | 'config' | 'secret', name: string): Promise<boolean>;
  /** Creates a config or secret unless one of that name exists (they are immutable: names are content-addressed). */
  ensureSwarmFile(kind: 'config' | 'secret', name: string, data: Buffer, labels: Readonly<Record<string, string>>): Promise<void>;
  listSwarmFiles(kind: 'config' | 'secret', labels: Readonly<Record<string, string>>): Promise<SwarmFileSummary[]>;
  /** Fine when it is gone; refused (SlipwayError dependency) while a service uses it. */
  removeSwarmFile(kind: 'config' | 'secret', name: string): Promise<void>;
  listVolumes(labels: Readonly<Record<string, string>>): Promise<VolumeSummary[]>;
  /** Fine when it is gone; refused while a container uses it. */
  removeVolume(name: string): Promise<void>;
  listNodes(): Promise<NodeSummary[]>;
  /** Every port published by any service. */
  publishedPorts(): Promise<PortUse[]>;
  /** The registry's digest of `image` (credentials for Slipway's registry, else null), and whether it is local. */
  resolveImage(image: string, credentials: RegistryCredentials | null): Promise<ImageLookup>;
  /** Whether the engine can route Swarm's ingress ports and VIPs (the kernel has IPVS). */
  routingMesh(): Promise<boolean>;
}
