// What a stack is once its compose files were read and merged: services, networks, volumes, configs and secrets as
// Slipway deploys them. Plain data with every default filled in, no Swarm API shapes (converge maps them).
//
// Conventions: durations in milliseconds, sizes in bytes, CPUs in nano-CPUs (1 CPU = 1e9), as the Engine API takes
// them; null = "not given, Swarm's default". Keys of the top-level maps are the compose keys (`networks: { back:
// … }` → 'back'); services refer to them by those keys, never by Swarm names (converge names the objects).

import type { HealthcheckDefinition } from '../core/ports/engine.js';

export interface StackService {
  /** The compose service name: the DNS name the other services of the stack reach it by. */
  readonly name: string;
  /** As the file gives it, variables replaced (`${SLIPWAY_IMAGE}` is the image this run pushed). */
  readonly image: string;
  readonly entrypoint: readonly string[] | null;
  readonly command: readonly string[] | null;
  /** `environment` over `env_file` (files read from the repository), as compose merges them. */
  readonly environment: Readonly<Record<string, string>>;
  readonly mode: 'replicated' | 'global';
  /** Ignored for mode global. */
  readonly replicas: number;
  readonly healthcheck: HealthcheckDefinition | null;
  /** Compose `labels`: on the containers. */
  readonly labels: Readonly<Record<string, string>>;
  /** Compose `deploy.labels`: on the Swarm service. */
  readonly deployLabels: Readonly<Record<string, string>>;
  readonly user: string | null;
  readonly workingDir: string | null;
  readonly hostname: string | null;
  /** Docker's form "IP host [aliases…]"; compose's `host:ip` and `host=ip` are turned into it. */
  readonly extraHosts: readonly string[];
  readonly dns: StackDns;
  readonly init: boolean | null;
  readonly readOnly: boolean;
  readonly stopGracePeriodMs: number | null;
  readonly stopSignal: string | null;
  readonly ulimits: Readonly<Record<string, { readonly soft: number; readonly hard: number }>>;
  readonly sysctls: Readonly<Record<string, string>>;
  readonly logging: { readonly driver: string; readonly options: Readonly<Record<string, string>> } | null;
  /** Only for an app an admin trusted; the reader refuses them otherwise. */
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
  readonly ports: readonly StackPort[];
  readonly mounts: readonly StackMount[];
  readonly configs: readonly StackFileRef[];
  readonly secrets: readonly StackFileRef[];
  /** The networks the service joins, by top-level key; the stack's default network when the file names none. */
  readonly networks: readonly StackServiceNetwork[];
  readonly placement: StackPlacement;
  readonly resources: StackResources;
  readonly restartPolicy: StackRestartPolicy | null;
  readonly updateConfig: StackUpdateConfig | null;
  readonly rollbackConfig: StackUpdateConfig | null;
  readonly endpointMode: 'vip' | 'dnsrr' | null;
  /** Where the edge serves it, from `slipway.domain`/`slipway.port`, VIRTUAL_HOST/VIRTUAL_PORT or Traefik labels. */
  readonly route: StackRoute | null;
}

export interface StackDns {
  readonly servers: readonly string[];
  readonly search: readonly string[];
  readonly options: readonly string[];
}

export interface StackPort {
  /** The container port. */
  readonly target: number;
  /** null: Swarm picks one (ingress) — Slipway refuses 80 and 443, which belong to the edge. */
  readonly published: number | null;
  readonly protocol: 'tcp' | 'udp';
  readonly mode: 'ingress' | 'host';
}

export type StackMount =
  | { readonly type: 'volume'; readonly source: string; readonly target: string; readonly readOnly: boolean; readonly noCopy: boolean }
  /** Only under a host path an admin allowed, never from a fork's run. */
  | { readonly type: 'bind'; readonly source: string; readonly target: string; readonly readOnly: boolean }
  | { readonly type: 'tmpfs'; readonly target: string; readonly sizeBytes: number | null; readonly mode: number | null };

export interface StackFileRef {
  /** The top-level `configs`/`secrets` key. */
  readonly source: string;
  /** Absolute path in the container; compose's default (`/<source>` for configs, `/run/secrets/<source>`) filled in. */
  readonly target: string;
  readonly uid: string | null;
  readonly gid: string | null;
  readonly mode: number | null;
}

export interface StackServiceNetwork {
  /** The top-level `networks` key ('default' for the stack's own network). */
  readonly network: string;
  readonly aliases: readonly string[];
}

export interface StackPlacement {
  readonly constraints: readonly string[];
  /** `spread` descriptors, e.g. node.labels.zone. */
  readonly preferences: readonly string[];
  readonly maxReplicasPerNode: number | null;
}

export interface StackResources {
  readonly limits: { readonly nanoCpus: number | null; readonly memoryBytes: number | null; readonly pids: number | null } | null;
  readonly reservations: { readonly nanoCpus: number | null; readonly memoryBytes: number | null } | null;
}

export interface StackRestartPolicy {
  readonly condition: 'none' | 'on-failure' | 'any';
  readonly delayMs: number | null;
  readonly maxAttempts: number | null;
  readonly windowMs: number | null;
}

export interface StackUpdateConfig {
  readonly parallelism: number | null;
  readonly delayMs: number | null;
  readonly failureAction: 'continue' | 'pause' | 'rollback' | null;
  readonly monitorMs: number | null;
  readonly maxFailureRatio: number | null;
  readonly order: 'start-first' | 'stop-first' | null;
}

export interface StackRoute {
  readonly domain: string;
  readonly port: number;
}

export interface StackNetwork {
  /** An existing network Slipway neither creates nor removes; `name` is then its Docker name. */
  readonly external: boolean;
  /** The Docker name for an external network (compose `name`, else the key); null: Slipway names it. */
  readonly name: string | null;
  /** Always overlay on Swarm; other drivers are refused by the reader. */
  readonly driver: 'overlay';
  readonly attachable: boolean;
  readonly internal: boolean;
  readonly driverOpts: Readonly<Record<string, string>>;
  readonly ipam: { readonly driver: string | null; readonly subnets: readonly string[] } | null;
  readonly labels: Readonly<Record<string, string>>;
}

export interface StackVolume {
  readonly external: boolean;
  /** The Docker name for an external volume; null: Slipway names it. */
  readonly name: string | null;
  readonly driver: string | null;
  readonly driverOpts: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

/** Where a config's or secret's bytes come from. */
export type StackFileSource =
  /** A file of the repository, path relative to the repository root (the reader resolves `./x` against the file). */
  | { readonly kind: 'file'; readonly path: string }
  /** Created outside Slipway (`docker config create`); Slipway only refers to it. */
  | { readonly kind: 'external'; readonly name: string }
  /** Compose Specification `content:` (variables already replaced). */
  | { readonly kind: 'content'; readonly text: string }
  /** Compose Specification `environment:` — the value of this variable of the app's settings. */
  | { readonly kind: 'environment'; readonly variable: string }
  /** `x-slipway-secret: NAME` (or `external` naming a Slipway secret): the app's sealed secret of that name. */
  | { readonly kind: 'slipway'; readonly secret: string };

export interface StackFileObject {
  readonly source: StackFileSource;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ComposeStack {
  /** Paths of the compose files in the repository, in merge order. */
  readonly files: readonly string[];
  /** In file order. */
  readonly services: readonly StackService[];
  readonly networks: Readonly<Record<string, StackNetwork>>;
  readonly volumes: Readonly<Record<string, StackVolume>>;
  readonly configs: Readonly<Record<string, StackFileObject>>;
  readonly secrets: Readonly<Record<string, StackFileObject>>;
}

/**
 * The variables a compose file may use. A name mapped to `{ missing }` is known but has no value in this run
 * (e.g. SLIPWAY_IMAGE before any push): using it is an error that says why.
 */
export type ComposeVariables = Readonly<Record<string, string | { readonly missing: string }>>;

/** What the reader may allow: decided by an admin for the app, never by the file. */
export interface StackPolicy {
  /** cap_add, privileged-like options (devices, pid/network host are never possible on Swarm: always refused). */
  readonly trusted: boolean;
  /** Host paths (absolute, normalised) under which bind mounts are allowed; [] for none; always [] for a fork's run. */
  readonly bindRoots: readonly string[];
  /** More host ports no stack may publish (Slipway's configured API, registry and edge ports). */
  readonly reservedPorts?: readonly number[];
}
