// Pure mapping between a ServiceDefinition and Swarm's ServiceSpec (Engine API 1.41), both ways, so a service read
// back with inspectDefinition deploys to exactly the spec it came from.

import type {
  FileReference, HealthcheckDefinition, PublishedPort, ServiceDefinition, ServiceMount, UpdatePolicy,
} from '../../core/ports/engine.js';

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

/** The inverse of toServiceSpec (networks as Swarm stores them: IDs; the adapter maps them back to names). */
export function fromServiceSpec(spec: unknown): FullDefinition {
  const s = rec(spec);
  const tt = rec(s.TaskTemplate);
  const cs = rec(tt.ContainerSpec);
  const nets = arr(tt.Networks).map((n) => ({ network: str(rec(n).Target) ?? '', aliases: strings(rec(n).Aliases) }));
  const env = strings(cs.Env).map((e) => (e.includes('=') ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e, '']));
  const h = rec(cs.Healthcheck);
  const rp = rec(tt.RestartPolicy);
  const res = rec(tt.Resources);
  const lim = rec(res.Limits);
  const resv = rec(res.Reservations);
  const pl = rec(tt.Placement);
  const dns = rec(cs.DNSConfig);
  const ep = rec(s.EndpointSpec);
  const log = rec(tt.LogDriver);
  return normalizeDefinition({
    serviceName: String(s.Name ?? ''),
    image: String(cs.Image ?? ''),
    replicas: Number(rec(rec(s.Mode).Replicated).Replicas ?? 0),
    mode: rec(s.Mode).Global !== undefined ? 'global' : 'replicated',
    env: Object.fromEntries(env),
    network: nets[0]?.network ?? '',
    aliases: nets[0]?.aliases ?? [],
    moreNetworks: nets.slice(1),
    labels: stringMap(s.Labels),
    entrypoint: strings(cs.Command),
    command: strings(cs.Args),
    healthcheck: cs.Healthcheck === undefined ? null : {
      test: strings(h.Test), intervalMs: ms(h.Interval), timeoutMs: ms(h.Timeout), retries: num(h.Retries) || null, startPeriodMs: ms(h.StartPeriod),
    },
    containerLabels: stringMap(cs.Labels),
    mounts: arr(cs.Mounts).map(fromMount),
    configs: arr(cs.Configs).map((c) => fromFile(rec(c).ConfigName, rec(c).File)),
    secrets: arr(cs.Secrets).map((c) => fromFile(rec(c).SecretName, rec(c).File)),
    ports: arr(ep.Ports).map((raw): PublishedPort => {
      const p = rec(raw);
      return { target: num(p.TargetPort), published: num(p.PublishedPort) || null, protocol: p.Protocol === 'udp' ? 'udp' : 'tcp', mode: p.PublishMode === 'host' ? 'host' : 'ingress' };
    }),
    placement: {
      constraints: strings(pl.Constraints),
      preferences: arr(pl.Preferences).map((p) => str(rec(rec(p).Spread).SpreadDescriptor) ?? '').filter((p) => p !== ''),
      maxReplicasPerNode: num(pl.MaxReplicas) || null,
    },
    resources: {
      limits: { nanoCpus: num(lim.NanoCPUs) || null, memoryBytes: num(lim.MemoryBytes) || null, pids: num(lim.Pids) || null },
      reservations: { nanoCpus: num(resv.NanoCPUs) || null, memoryBytes: num(resv.MemoryBytes) || null },
    },
    restartPolicy: tt.RestartPolicy === undefined ? undefined : {
      condition: rp.Condition === 'none' || rp.Condition === 'on-failure' ? rp.Condition : 'any',
      delayMs: ms(rp.Delay), maxAttempts: num(rp.MaxAttempts), windowMs: ms(rp.Window),
    },
    updateConfig: s.UpdateConfig === undefined ? undefined : fromUpdate(s.UpdateConfig),
    rollbackConfig: s.RollbackConfig === undefined ? undefined : fromUpdate(s.RollbackConfig),
    endpointMode: ep.Mode === 'vip' || (ep.Mode === undefined && s.EndpointSpec === undefined) ? 'vip' : 'dnsrr',
    user: str(cs.User), workingDir: str(cs.Dir), hostname: str(cs.Hostname),
    hosts: strings(cs.Hosts),
    dns: { servers: strings(dns.Nameservers), search: strings(dns.Search), options: strings(dns.Options) },
    init: typeof cs.Init === 'boolean' ? cs.Init : null,
    readOnly: cs.ReadOnly === true,
    stopGracePeriodMs: typeof cs.StopGracePeriod === 'number' ? Math.round(cs.StopGracePeriod / MS_NS) : undefined,
    stopSignal: str(cs.StopSignal),
    ulimits: Object.fromEntries(arr(cs.Ulimits).map((u) => [String(rec(u).Name ?? ''), { soft: num(rec(u).Soft), hard: num(rec(u).Hard) }])),
    sysctls: stringMap(cs.Sysctls),
    capAdd: strings(cs.CapabilityAdd),
    capDrop: strings(cs.CapabilityDrop),
    logDriver: typeof log.Name === 'string' ? { name: log.Name, options: stringMap(log.Options) } : null,
  });
}

function fromUpdate(raw: unknown): UpdatePolicy {
  const u = rec(raw);
  return {
    parallelism: num(u.Parallelism), delayMs: ms(u.Delay) ?? 0,
    failureAction: u.FailureAction === 'continue' || u.FailureAction === 'rollback' ? u.FailureAction : 'pause',
    monitorMs: ms(u.Monitor) ?? 0, maxFailureRatio: num(u.MaxFailureRatio), order: u.Order === 'start-first' ? 'start-first' : 'stop-first',
  };
}

function fromMount(raw: unknown): ServiceMount {
  const m = rec(raw);
  const target = String(m.Target ?? '');
  if (m.Type === 'tmpfs') {
    const t = rec(m.TmpfsOptions);
    return { type: 'tmpfs', target, sizeBytes: num(t.SizeBytes) || null, mode: num(t.Mode) || null };
  }
  const source = String(m.Source ?? '');
  const readOnly = m.ReadOnly === true;
  if (m.Type === 'bind') return { type: 'bind', source, target, readOnly };
  const vo = rec(m.VolumeOptions);
  const dc = rec(vo.DriverConfig);
  return {
    type: 'volume', source, target, readOnly, noCopy: vo.NoCopy === true,
    volumeOptions: { driver: str(dc.Name), driverOpts: stringMap(dc.Options), labels: stringMap(vo.Labels) },
  };
}

function fromFile(name: unknown, raw: unknown): FileReference {
  const f = rec(raw);
  return { name: String(name ?? ''), target: String(f.Name ?? ''), uid: String(f.UID ?? '0'), gid: String(f.GID ?? '0'), mode: num(f.Mode) };
}

/** True when the service already runs this definition, so deployService can skip the update. */
export function specMatches(current: unknown, def: ServiceDefinition): boolean {
  return stableJson(fromServiceSpec(current)) === stableJson(fromServiceSpec(toServiceSpec(def)));
}

/**
 * The parts of a task template that make a task, in one normal form. Swarm copies the template into each task's
 * Spec but leaves some fields out there (StopGracePeriod, RestartPolicy, Runtime: measured on dockerd 20.10), so a
 * task and its service are compared on the others only.
 */
export function templateKey(template: unknown): string {
  const t = rec(template);
  const d = fromServiceSpec({ TaskTemplate: t });
  const { serviceName: _n, replicas: _r, mode: _m, labels: _l, restartPolicy: _p, updateConfig: _u, rollbackConfig: _b, endpointMode: _e, ports: _o, stopGracePeriodMs: _s, ...rest } = d;
  return stableJson({ ...rest, force: t.ForceUpdate ?? 0 });
}

function ms(ns: unknown): number | null {
  return typeof ns === 'number' && ns > 0 ? Math.round(ns / MS_NS) : null;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function strings(value: unknown): string[] {
  return arr(value).filter((v): v is string => typeof v === 'string');
}

function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(rec(value)).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function rec(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

