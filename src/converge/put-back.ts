// The one put-back of every rollout (apps and stack services): give a service what it ran before a failed
// rollout, health-gated, or remove it when the rollout created it.

import { asSlipwayError } from '../core/errors.js';
import type { EnginePort, ServiceDefinition } from '../core/ports/engine.js';
import type { RegistryCredentials } from '../core/ports/registry.js';
import { waitUntilLive, type GateOptions, type GateResult } from './health-gate.js';

export interface PutBackOptions {
  readonly serviceName: string;
  /**
   * What the service ran before the rollout, or null when the rollout created it: then it is removed, rather than
   * left crash-looping (a first deploy that never went live leaves nothing behind).
   */
  readonly before: ServiceDefinition | null;
  readonly credentials: RegistryCredentials | null;
  /** How the gate tells the put-back version's tasks apart, its deadline and rules (see health-gate.ts). */
  readonly gate: Omit<GateOptions, 'serviceName' | 'replicas' | 'since'>;
}

/**
 * Resolves `{ ok: true }` once the service runs what it ran before (or is removed); a put-back version that does
 * not become live again, or an engine failure while deploying it, is a failed result. Failing to remove throws.
 */
export async function putBackService(engine: EnginePort, opts: PutBackOptions): Promise<GateResult> {
  if (opts.before === null) {
    await engine.removeService(opts.serviceName);
    return { ok: true };
  }
  const before = new Date();
  try {
    const changed = await engine.deployService(opts.before, opts.credentials);
    // Unchanged spec (the old tasks never stopped, or a resumed put-back): the tasks to judge are the ones there.
    return await waitUntilLive(engine, {
      ...opts.gate, serviceName: opts.serviceName, replicas: opts.before.replicas, since: changed ? before : new Date(0),
    });
  } catch (err) {
    return { ok: false, kind: 'health_gate_failed', reason: asSlipwayError(err).message };
  }
}
