// One compose service as a Swarm service definition: names of what it uses, Slipway's rollout defaults where the
// file says nothing, and what this engine cannot do (no IPVS: ingress ports and VIPs) turned into what works.

import { SlipwayError } from '../core/errors.js';
import { stackServiceName } from '../core/naming.js';
import type { FileReference, PublishedPort, ServiceDefinition, ServiceMount, UpdatePolicy } from '../core/ports/engine.js';
import { STACK_SERVICE_LABEL, type PlannedVolume } from '../converge/stack-plan.js';
import type { StackService, StackUpdateConfig, StackVolume } from './model.js';

export interface StackNames {
  network(key: string): string | undefined;
  volume(key: string): PlannedVolume | undefined;
  file(kind: 'config' | 'secret', key: string): string | undefined;
  volumeLabels(key: string): Record<string, string>;
  volumeDriver(key: string): StackVolume | null;
}

export interface ServiceContext {
  readonly target: { readonly instance: string; readonly app: string; readonly stack: string };
  readonly network: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly names: StackNames;
  readonly routingMesh: boolean;
  /** Notes for the deploy log are added here. */
  readonly notes: string[];
}

/** Slipway's rollout defaults (start-first, pause: Slipway's gate decides and puts back). */
const DEFAULT_UPDATE: UpdatePolicy = { parallelism: 1, delayMs: 0, failureAction: 'pause', monitorMs: 5000, maxFailureRatio: 0, order: 'start-first' };

export function serviceDefinition(s: StackService, ctx: ServiceContext): ServiceDefinition {
  const { network, names } = ctx;
  // `docker stack ls/ps/services <network name>` then show the stack as docker's own stacks are shown.
  const own = { ...ctx.labels, [STACK_SERVICE_LABEL]: s.name, 'com.docker.stack.namespace': network };
  const nets = s.networks.map((n) => {
    const name = names.network(n.network);
    if (name === undefined) throw unknown(s, 'network', n.network);
    // Each service is reachable by its compose name on every network it joins, as in `docker stack deploy`.
    return { network: name, aliases: [s.name, ...n.aliases.filter((a) => a !== s.name)] };
  });
  const [first, ...rest] = nets.length > 0 ? nets : [{ network, aliases: [s.name] }];
  const { ports, endpointMode, hostPorts } = publishing(s, ctx);
  const updateConfig = update(s, s.updateConfig, hostPorts, ctx, 'update_config');
  return {
    serviceName: stackServiceName(ctx.target.instance, ctx.target.app, ctx.target.stack, s.name),
    image: s.image,
    replicas: s.mode === 'global' ? 0 : s.replicas,
    env: s.environment,
    network: first?.network ?? network,
    labels: { ...s.deployLabels, ...own },
    containerLabels: { ...s.labels, ...own },
    entrypoint: s.entrypoint,
    command: s.command,
    healthcheck: s.healthcheck,
    aliases: first?.aliases ?? [s.name],
    mode: s.mode,
    moreNetworks: rest,
    mounts: s.mounts.map((m) => mount(s, m, ctx)),
    configs: s.configs.map((f) => fileRef(s, 'config', f, ctx)),
    secrets: s.secrets.map((f) => fileRef(s, 'secret', f, ctx)),
    ports,
    placement: s.placement,
    resources: s.resources,
    restartPolicy: s.restartPolicy
      ? { condition: s.restartPolicy.condition, delayMs: s.restartPolicy.delayMs, maxAttempts: s.restartPolicy.maxAttempts ?? 0, windowMs: s.restartPolicy.windowMs }
      : { condition: 'any', delayMs: 2000, maxAttempts: 0, windowMs: null },
    updateConfig,
    rollbackConfig: update(s, s.rollbackConfig, hostPorts, null, 'rollback_config'),
    endpointMode,
    user: s.user, workingDir: s.workingDir, hostname: s.hostname, hosts: s.extraHosts, dns: s.dns, init: s.init, readOnly: s.readOnly,
    stopGracePeriodMs: s.stopGracePeriodMs ?? 10_000, stopSignal: s.stopSignal, ulimits: s.ulimits, sysctls: s.sysctls,
    capAdd: s.capAdd, capDrop: s.capDrop, logDriver: s.logging ? { name: s.logging.driver, options: s.logging.options } : null,
  };
}

/**
 * Ingress ports and VIPs need IPVS. Without it (measured on the development machines: an ingress port refuses
 * connections while its task runs, a VIP does not answer) ingress ports are published in host mode and the endpoint
 * is dnsrr, said in the log.
 * Swarm also refuses ingress ports with dnsrr, so a file asking for both gets host mode too.
 */
function publishing(s: StackService, ctx: ServiceContext): { ports: PublishedPort[]; endpointMode: 'vip' | 'dnsrr'; hostPorts: boolean } {
  const ingress = s.ports.some((p) => p.mode === 'ingress');
  let endpointMode: 'vip' | 'dnsrr' = s.endpointMode ?? (ingress && ctx.routingMesh ? 'vip' : 'dnsrr');
  if (endpointMode === 'vip' && !ctx.routingMesh) {
    endpointMode = 'dnsrr';
    if (s.endpointMode === 'vip') ctx.notes.push(`${s.name}: endpoint_mode vip needs IPVS, which this engine's kernel lacks: using dnsrr (the service name resolves to its task addresses)`);
  }
  const toHost = ingress && (!ctx.routingMesh || endpointMode === 'dnsrr');
  if (toHost) {
    const why = ctx.routingMesh ? 'Swarm publishes no ingress port with endpoint_mode dnsrr' : "this engine's kernel has no IPVS, so Swarm's ingress routing mesh accepts nothing";
    ctx.notes.push(`${s.name}: ${why}: port(s) ${s.ports.filter((p) => p.mode === 'ingress').map((p) => p.published ?? p.target).join(', ')} published in host mode (only on the node(s) running its tasks)`);
  }
  const ports = s.ports.map((p): PublishedPort => ({ target: p.target, published: p.published, protocol: p.protocol, mode: toHost ? 'host' : p.mode }));
  return { ports, endpointMode, hostPorts: ports.some((p) => p.mode === 'host' && p.published !== null) };
}

/** The file's update/rollback settings over Slipway's defaults. */
function update(s: StackService, given: StackUpdateConfig | null, hostPorts: boolean, ctx: ServiceContext | null, key: string): UpdatePolicy {
  const u: Partial<StackUpdateConfig> = given ?? {};
  let order = u.order ?? 'start-first';
  // Two tasks cannot hold one host port on one node (PITFALLS: host mode + start-first).
  if (hostPorts && order === 'start-first') {
    order = 'stop-first';
    ctx?.notes.push(`${s.name}: it publishes a port in host mode, so its ${key.replace('_config', '')}s are stop-first (a new task cannot bind the port while the old one holds it)`);
  }
  // Slipway's health gate decides and puts the whole stack back; Swarm rolling back one service on its own would
  // race that. `continue` is honoured: the gate still sees the failed task.
  const failureAction = u.failureAction === 'continue' ? 'continue' : 'pause';
  if (u.failureAction === 'rollback') ctx?.notes.push(`${s.name}: ${key} failure_action rollback: Slipway puts the whole stack back itself when a service fails its health gate`);
  return {
    parallelism: u.parallelism ?? DEFAULT_UPDATE.parallelism,
    delayMs: u.delayMs ?? 0,
    failureAction,
    monitorMs: u.monitorMs ?? DEFAULT_UPDATE.monitorMs,
    maxFailureRatio: u.maxFailureRatio ?? 0,
    order,
  };
}

function mount(s: StackService, m: StackService['mounts'][number], ctx: ServiceContext): ServiceMount {
  if (m.type !== 'volume') return m;
  if (m.source === '') return { ...m, volumeOptions: null };
  const volume = ctx.names.volume(m.source);
  if (volume === undefined) throw unknown(s, 'volume', m.source);
  if (volume.external) return { type: 'volume', source: volume.name, target: m.target, readOnly: m.readOnly, noCopy: m.noCopy, volumeOptions: null };
  const v = ctx.names.volumeDriver(m.source);
  return {
    type: 'volume', source: volume.name, target: m.target, readOnly: m.readOnly, noCopy: m.noCopy,
    // Swarm creates the volume on each node from these options the first time a task there mounts it.
    volumeOptions: { driver: v?.driver ?? null, driverOpts: v?.driverOpts ?? {}, labels: ctx.names.volumeLabels(m.source) },
  };
}

function fileRef(s: StackService, kind: 'config' | 'secret', f: StackService['configs'][number], ctx: ServiceContext): FileReference {
  const name = ctx.names.file(kind, f.source);
  if (name === undefined) throw unknown(s, kind, f.source);
  // Swarm mounts a secret with a relative target under /run/secrets/, as compose's default path means.
  const target = kind === 'secret' && f.target.startsWith('/run/secrets/') ? f.target.slice('/run/secrets/'.length) : f.target;
  return { name, target, uid: f.uid ?? '0', gid: f.gid ?? '0', mode: f.mode ?? 0o444 };
}

function unknown(s: StackService, kind: string, key: string): SlipwayError {
  return new SlipwayError('invalid_input', `service ${s.name} uses ${kind} ${key}, which the file does not declare`, {
    field: `services.${s.name}`, hint: `declare it under the top-level \`${kind}s:\` key`,
  });
}
