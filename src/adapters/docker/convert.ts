// Pure mapping between Slipway's service definitions and Docker Engine API objects (no I/O here).

import type { HealthcheckDefinition, ServiceDefinition, ServiceState } from '../../core/ports/engine.js';
import type { TaskState } from '../../core/types.js';

const SECOND_NS = 1_000_000_000;
const MS_NS = 1_000_000;

/** The Swarm ServiceSpec for an app. Every choice here is a Swarm default we must not keep (PITFALLS.md). */
export function toServiceSpec(def: ServiceDefinition): Record<string, unknown> {
  return {
    Name: def.serviceName,
    Labels: { ...def.labels },
    TaskTemplate: {
      ContainerSpec: {
        Image: def.image,
        // Only what is set: an app service's spec stays what it always was, so upgrading Slipway updates nothing.
        ...(def.entrypoint ? { Command: [...def.entrypoint] } : {}),
        ...(def.command ? { Args: [...def.command] } : {}),
        Env: Object.entries(def.env)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => `${k}=${v}`),
        Labels: { ...(def.containerLabels ?? def.labels) },
        ...(def.healthcheck ? { Healthcheck: toHealthcheck(def.healthcheck) } : {}),
        // Enough for an app to finish in-flight requests; Swarm has already dropped the task from DNS.
        StopGracePeriod: 10 * SECOND_NS,
      },
      RestartPolicy: { Condition: 'any', Delay: 2 * SECOND_NS, MaxAttempts: 0 },
      Networks: [{ Target: def.network, ...(def.aliases && def.aliases.length > 0 ? { Aliases: [...def.aliases] } : {}) }],
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
  return {
    template: pickTemplate(s.TaskTemplate),
    replicas: asRecord(asRecord(s.Mode).Replicated).Replicas,
    labels: s.Labels ?? {},
    order: asRecord(s.UpdateConfig).Order,
    endpoint: asRecord(s.EndpointSpec).Mode ?? 'vip',
  };
}

/**
 * The parts of a task template Slipway sets, in one normal form. Swarm copies the template into each task's Spec
 * but leaves some fields out there (StopGracePeriod, RestartPolicy, Runtime: measured on dockerd 20.10), so a
 * task and its service are compared on these parts only.
 */
function pickTemplate(template: unknown): unknown {
  const tt = asRecord(template);
  const cs = asRecord(tt.ContainerSpec);
  const nets = Array.isArray(tt.Networks) ? tt.Networks.map((n) => ({ target: asRecord(n).Target, aliases: asRecord(n).Aliases ?? [] })) : [];
  return {
    image: cs.Image,
    entrypoint: cs.Command ?? [],
    command: cs.Args ?? [],
    env: cs.Env ?? [],
    containerLabels: cs.Labels ?? {},
    healthcheck: cs.Healthcheck === undefined ? null : normalHealthcheck(cs.Healthcheck),
    networks: nets,
    force: tt.ForceUpdate ?? 0,
  };
}

/** Equal for a task and its service's template when the task runs that template (see pickTemplate). */
export function templateKey(template: unknown): string {
  return stableJson(pickTemplate(template));
}

function toHealthcheck(h: HealthcheckDefinition): Record<string, unknown> {
  return {
    Test: [...h.test],
    ...(h.intervalMs ? { Interval: h.intervalMs * MS_NS } : {}),
    ...(h.timeoutMs ? { Timeout: h.timeoutMs * MS_NS } : {}),
    ...(h.retries ? { Retries: h.retries } : {}),
    ...(h.startPeriodMs ? { StartPeriod: h.startPeriodMs * MS_NS } : {}),
  };
}

/** Docker leaves zero durations out of what it returns: absent and 0 are the same. */
function normalHealthcheck(raw: unknown): unknown {
  const h = asRecord(raw);
  return { test: h.Test ?? [], interval: h.Interval ?? 0, timeout: h.Timeout ?? 0, retries: h.Retries ?? 0, startPeriod: h.StartPeriod ?? 0 };
}

/** A definition with every optional field filled in, as inspectDefinition returns it. */
export function normalizeDefinition(def: ServiceDefinition): Required<ServiceDefinition> {
  return {
    ...def,
    entrypoint: def.entrypoint && def.entrypoint.length > 0 ? def.entrypoint : null,
    command: def.command && def.command.length > 0 ? def.command : null,
    healthcheck: def.healthcheck ?? null,
    aliases: def.aliases ?? [],
    containerLabels: def.containerLabels ?? def.labels,
  };
}

/** The inverse of toServiceSpec (network as Swarm stores it: its ID; the adapter maps it back to the name). */
export function fromServiceSpec(spec: unknown): Required<ServiceDefinition> {
  const s = asRecord(spec);
  const tt = asRecord(s.TaskTemplate);
  const cs = asRecord(tt.ContainerSpec);
  const net = asRecord(Array.isArray(tt.Networks) ? tt.Networks[0] : undefined);
  const env = strings(cs.Env).map((e) => [e.slice(0, e.indexOf('=') < 0 ? e.length : e.indexOf('=')), e.includes('=') ? e.slice(e.indexOf('=') + 1) : '']);
  const h = asRecord(cs.Healthcheck);
  const ms = (ns: unknown): number | null => (typeof ns === 'number' && ns > 0 ? Math.round(ns / MS_NS) : null);
  return normalizeDefinition({
    serviceName: String(s.Name ?? ''),
    image: String(cs.Image ?? ''),
    replicas: Number(asRecord(asRecord(s.Mode).Replicated).Replicas ?? 0),
    env: Object.fromEntries(env),
    network: String(net.Target ?? ''),
    labels: stringMap(s.Labels),
    entrypoint: strings(cs.Command),
    command: strings(cs.Args),
    healthcheck: cs.Healthcheck === undefined ? null : {
      test: strings(h.Test),
      intervalMs: ms(h.Interval),
      timeoutMs: ms(h.Timeout),
      retries: typeof h.Retries === 'number' && h.Retries > 0 ? h.Retries : null,
      startPeriodMs: ms(h.StartPeriod),
    },
    aliases: strings(net.Aliases),
    containerLabels: stringMap(cs.Labels),
  });
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(asRecord(value)).filter((e): e is [string, string] => typeof e[1] === 'string'));
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
