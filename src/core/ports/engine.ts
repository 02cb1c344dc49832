// The container engine port: what Slipway needs from Docker (builds, pushes, Swarm services, logs).
//
// Protocol:
// - build streams the builder's output line by line through onLog and throws SlipwayError('build_failed')
//   carrying the builder's own error text; push returns the digest the engine reports.
// - deployService creates the service or updates it to exactly this spec. It is idempotent: when the service
//   already has this spec it changes nothing (no restart). It never turns tags into digests: callers pass
//   digest-pinned images (see PITFALLS: the Engine API does not resolve tags).
// - listTasks returns every task Swarm still remembers for the service, newest first; the health gate reads them.
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
  readonly labels: Readonly<Record<string, string>>;
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
  /** Returns false when the service already had exactly this spec (nothing was changed). */
  deployService(definition: ServiceDefinition, credentials: RegistryCredentials): Promise<boolean>;
  inspectService(serviceName: string): Promise<ServiceState | null>;
  listTasks(serviceName: string): Promise<TaskState[]>;
  removeService(serviceName: string): Promise<void>;
  /** The service's stdout/stderr as text lines (Docker's multiplexing removed). */
  serviceLogs(serviceName: string, options: LogOptions): AsyncIterable<string>;
}
