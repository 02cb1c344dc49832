// Pure mapping from Swarm's ServiceSpec back to a ServiceDefinition (the inverse of service-spec.ts), and the
// comparisons built on it: does a service already run a definition, which task runs the current template.

import type { FileReference, PublishedPort, ServiceDefinition, ServiceMount, UpdatePolicy } from '../../core/ports/engine.js';
import { normalizeDefinition, toServiceSpec, type FullDefinition } from './service-spec.js';

const MS_NS = 1_000_000;

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

