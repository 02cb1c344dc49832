// Pure mapping from a ServiceDefinition to Swarm's ServiceSpec (Engine API 1.41); service-spec-read.ts is the way
// back, so a service read back with inspectDefinition deploys to exactly the spec it came from.

import type { FileReference, HealthcheckDefinition, ServiceDefinition, ServiceMount, UpdatePolicy } from '../../core/ports/engine.js';

const MS_NS = 1_000_000;

/** Slipway's own choices where Swarm's defaults would hurt (PITFALLS.md): what an app service always gets. */
export const DEFAULT_UPDATE: UpdatePolicy = {
  // start-first: the new task runs (and, with a HEALTHCHECK, is healthy) before the old one stops.
  // failure_action pause: Slipway, not Swarm, decides about rollback (Swarm's rollback is one level deep).
  parallelism: 1, delayMs: 0, failureAction: 'pause', monitorMs: 5000, maxFailureRatio: 0, order: 'start-first',
};

export type FullDefinition = Required<ServiceDefinition>;

/** A definition with every optional field filled in, as inspectDefinition returns it. */
export function normalizeDefinition(def: ServiceDefinition): FullDefinition {
  const limits = def.resources?.limits ?? null;
  const reservations = def.resources?.reservations ?? null;
  return {
    ...def,
    replicas: def.mode === 'global' ? 0 : def.replicas,
    entrypoint: def.entrypoint && def.entrypoint.length > 0 ? def.entrypoint : null,
    command: def.command && def.command.length > 0 ? def.command : null,
    healthcheck: def.healthcheck ?? null,
    aliases: def.aliases ?? [],
    containerLabels: def.containerLabels ?? def.labels,
    mode: def.mode ?? 'replicated',
    moreNetworks: def.moreNetworks ?? [],
    mounts: (def.mounts ?? []).map(normalMount),
    configs: def.configs ?? [],
    secrets: def.secrets ?? [],
    ports: def.ports ?? [],
    placement: def.placement ?? { constraints: [], preferences: [], maxReplicasPerNode: null },
    resources: {
      limits: limits && (limits.nanoCpus || limits.memoryBytes || limits.pids) ? { nanoCpus: limits.nanoCpus || null, memoryBytes: limits.memoryBytes || null, pids: limits.pids || null } : null,
      reservations: reservations && (reservations.nanoCpus || reservations.memoryBytes) ? { nanoCpus: reservations.nanoCpus || null, memoryBytes: reservations.memoryBytes || null } : null,
    },
    restartPolicy: def.restartPolicy ? { ...def.restartPolicy, delayMs: def.restartPolicy.delayMs || null, windowMs: def.restartPolicy.windowMs || null } : { condition: 'any', delayMs: 2000, maxAttempts: 0, windowMs: null },
    updateConfig: def.updateConfig ?? DEFAULT_UPDATE,
    rollbackConfig: def.rollbackConfig ?? DEFAULT_UPDATE,
    endpointMode: def.endpointMode ?? 'dnsrr',
    user: def.user || null,
    workingDir: def.workingDir || null,
    hostname: def.hostname || null,
    hosts: def.hosts ?? [],
    dns: def.dns ?? { servers: [], search: [], options: [] },
    init: def.init ?? null,
    readOnly: def.readOnly ?? false,
    stopGracePeriodMs: def.stopGracePeriodMs ?? 10_000,
    stopSignal: def.stopSignal || null,
    ulimits: def.ulimits ?? {},
    sysctls: def.sysctls ?? {},
    capAdd: def.capAdd ?? [],
    capDrop: def.capDrop ?? [],
    logDriver: def.logDriver ?? null,
  };
}

function normalMount(m: ServiceMount): ServiceMount {
  if (m.type !== 'volume' || m.volumeOptions === null) return m;
  const o = m.volumeOptions;
  const empty = o.driver === null && Object.keys(o.driverOpts).length === 0 && Object.keys(o.labels).length === 0;
  return { ...m, volumeOptions: empty ? null : o };
}

/** The Swarm ServiceSpec. Only settings that differ from an app's are written, so an upgrade updates no app. */
export function toServiceSpec(input: ServiceDefinition): Record<string, unknown> {
  const def = normalizeDefinition(input);
  const d = def;
  const containerSpec: Record<string, unknown> = {
    Image: d.image,
    ...(d.entrypoint ? { Command: [...d.entrypoint] } : {}),
    ...(d.command ? { Args: [...d.command] } : {}),
    Env: Object.entries(d.env).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`),
    Labels: { ...d.containerLabels },
    ...(d.healthcheck ? { Healthcheck: toHealthcheck(d.healthcheck) } : {}),
    // Enough for an app to finish in-flight requests; Swarm has already dropped the task from DNS.
    StopGracePeriod: d.stopGracePeriodMs * MS_NS,
    ...(d.user ? { User: d.user } : {}),
    ...(d.workingDir ? { Dir: d.workingDir } : {}),
    ...(d.hostname ? { Hostname: d.hostname } : {}),
    ...(d.hosts.length > 0 ? { Hosts: [...d.hosts] } : {}),
    ...(d.dns.servers.length + d.dns.search.length + d.dns.options.length > 0
      ? { DNSConfig: { Nameservers: [...d.dns.servers], Search: [...d.dns.search], Options: [...d.dns.options] } } : {}),
    ...(d.init !== null ? { Init: d.init } : {}),
    ...(d.readOnly ? { ReadOnly: true } : {}),
    ...(d.stopSignal ? { StopSignal: d.stopSignal } : {}),
    ...(Object.keys(d.ulimits).length > 0
      ? { Ulimits: Object.entries(d.ulimits).sort(([a], [b]) => a.localeCompare(b)).map(([Name, l]) => ({ Name, Soft: l.soft, Hard: l.hard })) } : {}),
    ...(Object.keys(d.sysctls).length > 0 ? { Sysctls: { ...d.sysctls } } : {}),
    ...(d.capAdd.length > 0 ? { CapabilityAdd: [...d.capAdd] } : {}),
    ...(d.capDrop.length > 0 ? { CapabilityDrop: [...d.capDrop] } : {}),
    ...(d.mounts.length > 0 ? { Mounts: d.mounts.map(toMount) } : {}),
    // The IDs Swarm also wants are filled in by the adapter (withFileIds); the pure form carries names.
    ...(d.configs.length > 0 ? { Configs: d.configs.map((f) => ({ File: toFile(f), ConfigName: f.name })) } : {}),
    ...(d.secrets.length > 0 ? { Secrets: d.secrets.map((f) => ({ File: toFile(f), SecretName: f.name })) } : {}),
  };
  const nets = [{ network: d.network, aliases: d.aliases }, ...d.moreNetworks];
  const { limits, reservations } = d.resources;
  const placement = d.placement;
  return {
    Name: d.serviceName,
    Labels: { ...d.labels },
    TaskTemplate: {
      ContainerSpec: containerSpec,
      RestartPolicy: {
        Condition: d.restartPolicy.condition,
        ...(d.restartPolicy.delayMs !== null ? { Delay: d.restartPolicy.delayMs * MS_NS } : {}),
        MaxAttempts: d.restartPolicy.maxAttempts,
        ...(d.restartPolicy.windowMs !== null ? { Window: d.restartPolicy.windowMs * MS_NS } : {}),
      },
      ...(limits || reservations ? {
        Resources: {
          ...(limits ? { Limits: compact({ NanoCPUs: limits.nanoCpus, MemoryBytes: limits.memoryBytes, Pids: limits.pids }) } : {}),
          ...(reservations ? { Reservations: compact({ NanoCPUs: reservations.nanoCpus, MemoryBytes: reservations.memoryBytes }) } : {}),
        },
      } : {}),
      ...(placement.constraints.length + placement.preferences.length > 0 || placement.maxReplicasPerNode !== null ? {
        Placement: {
          ...(placement.constraints.length > 0 ? { Constraints: [...placement.constraints] } : {}),
          ...(placement.preferences.length > 0 ? { Preferences: placement.preferences.map((p) => ({ Spread: { SpreadDescriptor: p } })) } : {}),
          ...(placement.maxReplicasPerNode !== null ? { MaxReplicas: placement.maxReplicasPerNode } : {}),
        },
      } : {}),
      Networks: nets.map((n) => ({ Target: n.network, ...(n.aliases.length > 0 ? { Aliases: [...n.aliases] } : {}) })),
      ...(d.logDriver ? { LogDriver: { Name: d.logDriver.name, Options: { ...d.logDriver.options } } } : {}),
      ForceUpdate: 0,
    },
    Mode: d.mode === 'global' ? { Global: {} } : { Replicated: { Replicas: d.replicas } },
    UpdateConfig: toUpdate(d.updateConfig),
    RollbackConfig: toUpdate(d.rollbackConfig),
    // dnsrr: the edge dials tasks.<service> task addresses; works with and without IPVS.
    EndpointSpec: {
      Mode: d.endpointMode,
      ...(d.ports.length > 0 ? {
        Ports: d.ports.map((p) => ({ Protocol: p.protocol, TargetPort: p.target, ...(p.published !== null ? { PublishedPort: p.published } : {}), PublishMode: p.mode })),
      } : {}),
    },
  };
}

function compact(o: Record<string, number | null>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, number] => e[1] !== null));
}

function toUpdate(u: UpdatePolicy): Record<string, unknown> {
  return {
    Parallelism: u.parallelism, ...(u.delayMs > 0 ? { Delay: u.delayMs * MS_NS } : {}), Order: u.order, FailureAction: u.failureAction,
    Monitor: u.monitorMs * MS_NS, MaxFailureRatio: u.maxFailureRatio,
  };
}

function toMount(m: ServiceMount): Record<string, unknown> {
  if (m.type === 'tmpfs') {
    const opts = compact({ SizeBytes: m.sizeBytes, Mode: m.mode });
    return { Type: 'tmpfs', Target: m.target, ...(Object.keys(opts).length > 0 ? { TmpfsOptions: opts } : {}) };
  }
  const base = { Type: m.type, Source: m.source, Target: m.target, ...(m.readOnly ? { ReadOnly: true } : {}) };
  if (m.type === 'bind') return base;
  const o = m.volumeOptions;
  if (!m.noCopy && o === null) return base;
  return {
    ...base,
    VolumeOptions: {
      ...(m.noCopy ? { NoCopy: true } : {}),
      ...(o && Object.keys(o.labels).length > 0 ? { Labels: { ...o.labels } } : {}),
      ...(o && (o.driver !== null || Object.keys(o.driverOpts).length > 0) ? { DriverConfig: { ...(o.driver !== null ? { Name: o.driver } : {}), Options: { ...o.driverOpts } } } : {}),
    },
  };
}

function toFile(f: FileReference): Record<string, unknown> {
  return { Name: f.target, UID: f.uid, GID: f.gid, Mode: f.mode };
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
