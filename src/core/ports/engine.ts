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
}
