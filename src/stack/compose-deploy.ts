// A service's `deploy` section → the Swarm settings of the model: mode, replicas, placement, resources, restart,
// update and rollback configs, endpoint mode, service labels.

import { valueOf, type MapNode, type YNode } from '../yaml/node.js';
import { asMap, opt, readBytes, readCount, readDuration, readNumber, readPairs, readStrings, readText, type ComposeContext } from './compose-values.js';
import type { StackPlacement, StackResources, StackRestartPolicy, StackService, StackUpdateConfig } from './model.js';

const MAX_REPLICAS = 100;

export type DeploySettings = Pick<StackService, 'mode' | 'replicas' | 'placement' | 'resources' | 'restartPolicy' | 'updateConfig' | 'rollbackConfig' | 'endpointMode' | 'deployLabels'>;

export const NO_DEPLOY: DeploySettings = {
  mode: 'replicated', replicas: 1, placement: { constraints: [], preferences: [], maxReplicasPerNode: null }, resources: { limits: null, reservations: null },
  restartPolicy: null, updateConfig: null, rollbackConfig: null, endpointMode: null, deployLabels: {},
};

export function readDeploy(node: YNode, ctx: ComposeContext, where: string): DeploySettings {
  const map = asMap(node, ctx, where);
  if (map === null) return NO_DEPLOY;
  const modeText = opt(map, 'mode', (n) => readText(n, ctx, `mode of ${where}`)) ?? 'replicated';
  let mode: 'replicated' | 'global' = 'replicated';
  if (modeText === 'global') mode = 'global';
  else if (modeText !== 'replicated') {
    const hint = modeText.endsWith('-job') ? 'jobs run to completion, which a stack release does not wait for: run it as a pipeline step' : undefined;
    ctx.findings.error(valueOf(map, 'mode')?.loc ?? map.loc, `mode of ${where} must be replicated or global, got "${modeText.slice(0, 30)}"`, hint);
  }
  const replicasNode = valueOf(map, 'replicas');
  if (mode === 'global' && replicasNode !== undefined) ctx.findings.warn(replicasNode.loc, `replicas of ${where} is ignored: mode global runs one task per node`);
  const endpoint = opt(map, 'endpoint_mode', (n) => readText(n, ctx, `endpoint_mode of ${where}`));
  if (endpoint !== null && endpoint !== 'vip' && endpoint !== 'dnsrr') ctx.findings.error(valueOf(map, 'endpoint_mode')?.loc ?? map.loc, `endpoint_mode of ${where} must be vip or dnsrr`);
  return {
    mode,
    replicas: opt(map, 'replicas', (n) => readCount(n, ctx, `replicas of ${where}`, MAX_REPLICAS)) ?? 1,
    placement: opt(map, 'placement', (n) => readPlacement(n, ctx, `placement of ${where}`)) ?? NO_DEPLOY.placement,
    resources: opt(map, 'resources', (n) => readResources(n, ctx, `resources of ${where}`)) ?? NO_DEPLOY.resources,
    restartPolicy: opt(map, 'restart_policy', (n) => readRestart(n, ctx, `restart_policy of ${where}`)),
    updateConfig: opt(map, 'update_config', (n) => readUpdate(n, ctx, `update_config of ${where}`)),
    rollbackConfig: opt(map, 'rollback_config', (n) => readUpdate(n, ctx, `rollback_config of ${where}`)),
    endpointMode: endpoint === 'vip' || endpoint === 'dnsrr' ? endpoint : null,
    deployLabels: opt(map, 'labels', (n) => readPairs(n, ctx, `labels of ${where}`, 'empty')) ?? {},
  };
}

function readPlacement(node: YNode, ctx: ComposeContext, what: string): StackPlacement | null {
  const map = asMap(node, ctx, what);
  if (map === null) return null;
  const preferences: string[] = [];
  const prefs = valueOf(map, 'preferences');
  if (prefs !== undefined && prefs.kind === 'seq') {
    for (const p of prefs.items) {
      // `- spread: node.labels.zone` (the only strategy Swarm has).
      const spread = p.kind === 'map' ? valueOf(p, 'spread') : undefined;
      const text = spread === undefined ? null : readText(spread, ctx, `spread of ${what}`);
      if (text !== null) preferences.push(text);
      else if (spread === undefined) ctx.findings.error(p.loc, `a preference of ${what} must be { spread: <label> }`);
    }
  }
  return {
    constraints: opt(map, 'constraints', (n) => readStrings(n, ctx, `constraints of ${what}`)) ?? [],
    preferences,
    maxReplicasPerNode: opt(map, 'max_replicas_per_node', (n) => readCount(n, ctx, `max_replicas_per_node of ${what}`, 1000)),
  };
}

function readResources(node: YNode, ctx: ComposeContext, what: string): StackResources | null {
  const map = asMap(node, ctx, what);
  if (map === null) return null;
  const limits = opt(map, 'limits', (n) => asMap(n, ctx, `limits of ${what}`));
  const reservations = opt(map, 'reservations', (n) => asMap(n, ctx, `reservations of ${what}`));
  for (const [m, name] of [[reservations, 'reservations'], [limits, 'limits']] as const) {
    for (const k of ['devices', 'generic_resources']) {
      const n = m === null ? undefined : valueOf(m, k);
      if (n !== undefined) ctx.findings.warn(n.loc, `${k} of ${name} of ${what} is ignored: Slipway does not schedule devices or generic resources`);
    }
  }
  return {
    limits: limits === null ? null : { ...cpuMem(limits, ctx, `limits of ${what}`), pids: opt(limits, 'pids', (n) => readCount(n, ctx, `pids of limits of ${what}`, 4_194_304)) },
    reservations: reservations === null ? null : cpuMem(reservations, ctx, `reservations of ${what}`),
  };
}

function cpuMem(map: MapNode, ctx: ComposeContext, what: string): { nanoCpus: number | null; memoryBytes: number | null } {
  const cpus = opt(map, 'cpus', (n) => readNumber(n, ctx, `cpus of ${what}`, 1024));
  return { nanoCpus: cpus === null ? null : Math.round(cpus * 1e9), memoryBytes: opt(map, 'memory', (n) => readBytes(n, ctx, `memory of ${what}`)) };
}

function readRestart(node: YNode, ctx: ComposeContext, what: string): StackRestartPolicy | null {
  const map = asMap(node, ctx, what);
  if (map === null) return null;
  const condition = opt(map, 'condition', (n) => readText(n, ctx, `condition of ${what}`)) ?? 'any';
  if (condition !== 'none' && condition !== 'on-failure' && condition !== 'any') {
    ctx.findings.error(valueOf(map, 'condition')?.loc ?? map.loc, `condition of ${what} must be none, on-failure or any`);
    return null;
  }
  return {
    condition,
    delayMs: opt(map, 'delay', (n) => readDuration(n, ctx, `delay of ${what}`)),
    maxAttempts: opt(map, 'max_attempts', (n) => readCount(n, ctx, `max_attempts of ${what}`, 1_000_000)),
    windowMs: opt(map, 'window', (n) => readDuration(n, ctx, `window of ${what}`)),
  };
}

function readUpdate(node: YNode, ctx: ComposeContext, what: string): StackUpdateConfig | null {
  const map = asMap(node, ctx, what);
  if (map === null) return null;
  const failure = opt(map, 'failure_action', (n) => readText(n, ctx, `failure_action of ${what}`));
  if (failure !== null && failure !== 'continue' && failure !== 'pause' && failure !== 'rollback') {
    ctx.findings.error(valueOf(map, 'failure_action')?.loc ?? map.loc, `failure_action of ${what} must be continue, pause or rollback`);
  }
  const order = opt(map, 'order', (n) => readText(n, ctx, `order of ${what}`));
  if (order !== null && order !== 'start-first' && order !== 'stop-first') ctx.findings.error(valueOf(map, 'order')?.loc ?? map.loc, `order of ${what} must be start-first or stop-first`);
  return {
    parallelism: opt(map, 'parallelism', (n) => readCount(n, ctx, `parallelism of ${what}`, 1000)),
    delayMs: opt(map, 'delay', (n) => readDuration(n, ctx, `delay of ${what}`)),
    failureAction: failure === 'continue' || failure === 'pause' || failure === 'rollback' ? failure : null,
    monitorMs: opt(map, 'monitor', (n) => readDuration(n, ctx, `monitor of ${what}`)),
    maxFailureRatio: opt(map, 'max_failure_ratio', (n) => readNumber(n, ctx, `max_failure_ratio of ${what}`, 1)),
    order: order === 'start-first' || order === 'stop-first' ? order : null,
  };
}
