// Removes every stack of an app (services first, then their networks): part of deleting the app.

import type { EnginePort } from '../core/ports/engine.js';
import { STACK_LABEL, appStackLabels } from './stack-plan.js';

export async function removeAppStacks(engine: EnginePort, instance: string, app: string): Promise<string[]> {
  const labels = appStackLabels(instance, app);
  const services = (await engine.listServices(labels)).filter((s) => s.labels[STACK_LABEL] !== undefined);
  for (const s of services) await engine.removeService(s.serviceName);
  const networks = (await engine.listNetworks(labels)).filter((n) => n.labels[STACK_LABEL] !== undefined);
  for (const n of networks) await engine.removeNetwork(n.name);
  return services.map((s) => s.serviceName);
}
