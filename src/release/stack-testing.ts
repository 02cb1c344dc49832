// Test helpers for stack releases: a plan as stack/definitions.ts makes one, and a release around it.

import type { ServiceDefinition } from '../core/ports/engine.js';
import type { StackRelease, StackReleaseStatus } from '../core/ports/stack-releases.js';
import { STACK_LABEL, STACK_SERVICE_LABEL, appStackLabels, type StackPlan } from '../converge/stack-plan.js';

export type TestService = Partial<ServiceDefinition> & { readonly name: string };

export function testPlan(services: readonly TestService[], stack = 'back', app = 'shop'): StackPlan {
  const network = `slipway-stack-${app}_${stack}`;
  const labels = { ...appStackLabels('slipway', app), [STACK_LABEL]: stack };
  return {
    name: stack, network, labels: { ...labels, 'com.docker.stack.namespace': network },
    services: services.map(({ name, ...s }) => {
      const own = { ...labels, [STACK_SERVICE_LABEL]: name, 'com.docker.stack.namespace': network };
      return { image: 'busybox:latest', replicas: 1, env: {}, command: ['httpd', '-f'], healthcheck: null, entrypoint: null, ...s, serviceName: `${network}_${name}`, network, labels: own, containerLabels: own, aliases: [name] };
    }),
  };
}

export function testRelease(number: number, status: StackReleaseStatus, plan: StackPlan = testPlan([{ name: 'web', image: `busybox:${number}` }])): StackRelease {
  return {
    id: number, app: 'shop', stack: plan.name, number, plan, sources: [{ path: 'compose.yml', text: `# ${number}` }], runId: number, user: null,
    rollbackOf: null, status, error: status === 'failed' ? 'did not become healthy' : null, createdAt: '2030-01-01T00:00:00.000Z', deployedAt: null,
  };
}
