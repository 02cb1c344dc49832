// A stack's services as Swarm service definitions: names, labels and the stack network (pure, no I/O).

import { stackNetworkName, stackServiceName } from '../core/naming.js';
import type { ServiceDefinition } from '../core/ports/engine.js';
import type { ComposeStack } from './model.js';

export interface StackTarget {
  readonly instance: string;
  readonly app: string;
  readonly stack: string;
}

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

export function stackPlan(compose: ComposeStack, target: StackTarget): StackPlan {
  const network = stackNetworkName(target.instance, target.app, target.stack);
  const labels = { ...appStackLabels(target.instance, target.app), [STACK_LABEL]: target.stack };
  const services = compose.services.map((s): ServiceDefinition => {
    // `docker stack ls/ps/services <network name>` then show the stack as docker's own stacks are shown.
    const own = { ...labels, [STACK_SERVICE_LABEL]: s.name, 'com.docker.stack.namespace': network };
    return {
      serviceName: stackServiceName(target.instance, target.app, target.stack, s.name),
      image: s.image,
      replicas: s.replicas,
      env: s.environment,
      network,
      labels: { ...s.deployLabels, ...own },
      containerLabels: { ...s.labels, ...own },
      entrypoint: s.entrypoint,
      command: s.command,
      healthcheck: s.healthcheck,
      aliases: [s.name],
    };
  });
  return { name: target.stack, network, labels: { ...labels, 'com.docker.stack.namespace': network }, services };
}

/** The compose name of a stack service, for messages. */
export function composeNameOf(def: ServiceDefinition): string {
  return def.labels[STACK_SERVICE_LABEL] ?? def.serviceName;
}
