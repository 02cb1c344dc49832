// What a stack rollout deploys: the stack's network and services as Swarm service definitions, and the labels
// that find them again (stack/definitions.ts makes one from a compose file).

import type { ServiceDefinition } from '../core/ports/engine.js';

export interface StackPlan {
  readonly name: string;
  readonly network: string;
  /** Carried by the network and every service of the stack: how Slipway finds them again (prune, app removal). */
  readonly labels: Readonly<Record<string, string>>;
  /** In file order. */
  readonly services: readonly ServiceDefinition[];
}

export const STACK_LABEL = 'io.slipway.stack';
export const STACK_SERVICE_LABEL = 'io.slipway.stack.service';

/** What finds every stack of an app (and nothing else: the app's own service has no stack label). */
export function appStackLabels(instance: string, app: string): Record<string, string> {
  return { 'io.slipway.instance': instance, 'io.slipway.app': app };
}

/** The compose name of a stack service, for messages. */
export function composeNameOf(def: ServiceDefinition): string {
  return def.labels[STACK_SERVICE_LABEL] ?? def.serviceName;
}
