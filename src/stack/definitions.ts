// A stack's services as Swarm service definitions: names, labels and the stack network (pure, no I/O).

import { stackNetworkName, stackServiceName } from '../core/naming.js';
import type { ServiceDefinition } from '../core/ports/engine.js';
import { STACK_LABEL, STACK_SERVICE_LABEL, appStackLabels, type StackPlan } from '../converge/stack-plan.js';
import type { ComposeStack } from './model.js';

export interface StackTarget {
  readonly instance: string;
  readonly app: string;
  readonly stack: string;
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
