// Removes every stack of an app (services first, then their configs, secrets and networks): part of deleting the
// app. Named volumes stay: they hold data, and deleting data is an operator's decision (`docker volume rm`).

import type { EnginePort } from '../core/ports/engine.js';
import { STACK_LABEL, appStackLabels } from './stack-plan.js';

export async function removeAppStacks(engine: EnginePort, instance: string, app: string): Promise<string[]> {
  const labels = appStackLabels(instance, app);
  const services = (await engine.listServices(labels)).filter((s) => s.labels[STACK_LABEL] !== undefined);
  for (const s of services) await engine.removeService(s.serviceName);
  for (const kind of ['config', 'secret'] as const) {
    for (const f of (await engine.listSwarmFiles(kind, labels)).filter((x) => x.labels[STACK_LABEL] !== undefined)) await engine.removeSwarmFile(kind, f.name);
  }
  const networks = (await engine.listNetworks(labels)).filter((n) => n.labels[STACK_LABEL] !== undefined);
  for (const n of networks) await engine.removeNetwork(n.name);
  return services.map((s) => s.serviceName);
}
