// A stack service with every optional setting at "not given": what the reader starts from, and tests build on.

import type { StackService } from './model.js';

export function defaultService(name: string, image: string): StackService {
  return {
    name, image, entrypoint: null, command: null, environment: {}, mode: 'replicated', replicas: 1, healthcheck: null, labels: {}, deployLabels: {},
    user: null, workingDir: null, hostname: null, extraHosts: [], dns: { servers: [], search: [], options: [] }, init: null, readOnly: false,
    stopGracePeriodMs: null, stopSignal: null, ulimits: {}, sysctls: {}, logging: null, capAdd: [], capDrop: [], ports: [], mounts: [],
    configs: [], secrets: [], networks: [{ network: 'default', aliases: [] }], placement: { constraints: [], preferences: [], maxReplicasPerNode: null },
    resources: { limits: null, reservations: null }, restartPolicy: null, updateConfig: null, rollbackConfig: null, endpointMode: null, route: null,
  };
}
