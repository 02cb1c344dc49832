// What a stack rollout deploys: the stack's networks, configs, secrets, volumes and services as Swarm objects, and
// the labels that find them again (stack/definitions.ts makes one from a compose file). Plain JSON data: stack
// releases store it as it is, so it holds no secret value (those are passed to deployStack beside it).

import type { NetworkOptions, ServiceDefinition } from '../core/ports/engine.js';

export interface StackPlan {
  readonly name: string;
  /** The stack's own network (compose `default`), where every service is reachable by its compose name. */
  readonly network: string;
  /** Carried by every object of the stack: how Slipway finds them again (prune, app removal). */
  readonly labels: Readonly<Record<string, string>>;
  /** In file order. */
  readonly services: readonly ServiceDefinition[];
  /** Networks the services join, the stack's own first; external ones are only checked to exist. */
  readonly networks?: readonly PlannedNetwork[];
  /** Named volumes: Swarm creates each on a node from the mount's options; external ones must exist. */
  readonly volumes?: readonly PlannedVolume[];
  /** Configs and secrets under content-addressed names. */
  readonly files?: readonly PlannedFile[];
  /** Where the edge serves a service, by compose service name (from the file's labels; see edge/). */
  readonly routes?: Readonly<Record<string, PlannedRoute>>;
  /** What Slipway changed from the file and why (e.g. no IPVS here): printed at every deploy. */
  readonly notes?: readonly string[];
}

export interface PlannedNetwork {
  /** The compose key ('default' for the stack's own). */
  readonly key: string;
  readonly name: string;
  readonly external: boolean;
  readonly options: NetworkOptions;
  readonly labels: Readonly<Record<string, string>>;
}

export interface PlannedVolume {
  readonly key: string;
  readonly name: string;
  readonly external: boolean;
}

export interface PlannedFile {
  readonly kind: 'config' | 'secret';
  readonly key: string;
  /** `<stack>_<key>_<sha256 prefix of the content>`, or the external object's name. */
  readonly name: string;
  readonly external: boolean;
  readonly labels: Readonly<Record<string, string>>;
  /** A config's content, base64 (a config is no secret: a stored plan can create it again). Secrets: null. */
  readonly data: string | null;
}

export interface PlannedRoute {
  readonly domain: string;
  readonly port: number;
}

export const STACK_LABEL = 'io.slipway.stack';
export const STACK_SERVICE_LABEL = 'io.slipway.stack.service';
/** On configs and secrets: the compose key, so `docker config ls` shows where a versioned name comes from. */
export const STACK_FILE_LABEL = 'io.slipway.stack.file';

/** What finds every stack of an app (and nothing else: the app's own service has no stack label). */
export function appStackLabels(instance: string, app: string): Record<string, string> {
  return { 'io.slipway.instance': instance, 'io.slipway.app': app };
}

/** The compose name of a stack service, for messages. */
export function composeNameOf(def: ServiceDefinition): string {
  return def.labels[STACK_SERVICE_LABEL] ?? def.serviceName;
}
