// Pure mapping between Slipway's service definitions and Docker Engine API objects (no I/O here).

import type { ServiceDefinition, ServiceState } from '../../core/ports/engine.js';
import type { TaskState } from '../../core/types.js';

const SECOND_NS = 1_000_000_000;

/** The Swarm ServiceSpec for an app. Every choice here is a Swarm default we must not keep (PITFALLS.md). */
export function toServiceSpec(def: ServiceDefinition): Record<string, unknown> {
  return {
    Name: def.serviceName,
    Labels: { ...def.labels },
    TaskTemplate: {
      ContainerSpec: {
        Image: def.image,
        Env: Object.entries(def.env)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => `${k}=${v}`),
        Labels: { ...def.labels },
        // Enough for an app to finish in-flight requests; Swarm has already dropped the task from DNS.
        StopGracePeriod: 10 * SECOND_NS,
      },
      RestartPolicy: { Condition: 'any', Delay: 2 * SECOND_NS, MaxAttempts: 0 },
      Networks: [{ Target: def.network }],
      ForceUpdate: 0,
    },
    Mode: { Replicated: { Replicas: def.replicas } },
    // start-first: the new task runs (and, with a HEALTHCHECK, is healthy) before the old one stops.
    // failure_action pause: Slipway, not Swarm, decides about rollback (Swarm's rollback is one level deep).
    UpdateConfig: { Parallelism: 1, Order: 'start-first', FailureAction: 'pause', Monitor: 5 * SECOND_NS, MaxFailureRatio: 0 },
    RollbackConfig: { Parallelism: 1, Order: 'start-first', FailureAction: 'pause', Monitor: 5 * SECOND_NS, MaxFailureRatio: 0 },
    // dnsrr: the edge dials tasks.<service> task addresses; works with and without IPVS.
    EndpointSpec: { Mode: 'dnsrr' },
  };
}

/** True when the service already runs this definition, so deployService can skip the update. */
export function specMatches(current: unknown, def: ServiceDefinition): boolean {
  return stableJson(pickComparable(current)) === stableJson(pickComparable(toServiceSpec(def)));
}

function pickComparable(spec: unknown): unknown {
  const s = asRecord(spec);
  const tt = asRecord(s.TaskTemplate);
  const cs = asRecord(tt.ContainerSpec);
  const nets = Array.isArray(tt.Networks) ? tt.Networks.map((n) => asRecord(n).Target) : [];
  return {
    image: cs.Image,
    env: cs.Env ?? [],
    replicas: asRecord(asRecord(s.Mode).Replicated).Replicas,
    labels: s.Labels ?? {},
    networks: nets,
    order: asRecord(s.UpdateConfig).Order,
    endpoint: asRecord(s.EndpointSpec).Mode ?? 'vip',
  };
}

export function toServiceState(raw: unknown): ServiceState {
  const s = asRecord(raw);
  const spec = asRecord(s.Spec);
  const update = asRecord(s.UpdateStatus);
  return {
    id: String(s.ID ?? ''),
    version: Number(asRecord(s.Version).Index ?? 0),
    image: String(asRecord(asRecord(spec.TaskTemplate).ContainerSpec).Image ?? ''),
    replicas: Number(asRecord(asRecord(spec.Mode).Replicated).Replicas ?? 0),
    updateState: typeof update.State === 'string' ? update.State : null,
    updateMessage: typeof update.Message === 'string' ? update.Message : null,
  };
}

export function toTaskState(raw: unknown): TaskState {
  const t = asRecord(raw);
  const status = asRecord(t.Status);
  const err = typeof status.Err === 'string' && status.Err !== '' ? status.Err : null;
  return {
    id: String(t.ID ?? ''),
    image: String(asRecord(asRecord(t.Spec).ContainerSpec).Image ?? ''),
    state: String(status.State ?? 'unknown'),
    desiredState: String(t.DesiredState ?? 'unknown'),
    message: String(status.Message ?? ''),
    error: err,
    node: typeof t.NodeID === 'string' ? t.NodeID : null,
    createdAt: String(t.CreatedAt ?? ''),
    updatedAt: String(t.UpdatedAt ?? status.Timestamp ?? ''),
  };
}

/** Build output is a stream of JSON objects; returns the text to show and the error, if any. */
export function parseBuildMessage(raw: unknown): { text: string | null; error: string | null } {
  const m = asRecord(raw);
  const detail = asRecord(m.errorDetail);
  if (typeof detail.message === 'string') return { text: null, error: detail.message };
  if (typeof m.error === 'string') return { text: null, error: m.error };
  if (typeof m.stream === 'string') return { text: m.stream, error: null };
  if (typeof m.status === 'string') {
    const id = typeof m.id === 'string' ? `${m.id}: ` : '';
    return { text: `${id}${m.status}\n`, error: null };
  }
  return { text: null, error: null };
}

export function pushDigestOf(raw: unknown): string | null {
  const aux = asRecord(asRecord(raw).aux);
  return typeof aux.Digest === 'string' ? aux.Digest : null;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
