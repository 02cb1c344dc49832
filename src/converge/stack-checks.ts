// What can be known before a stack deploy changes anything: external objects that must exist, placements some
// node satisfies, published ports nobody else holds, configs and secrets whose content is at hand.

import { SlipwayError } from '../core/errors.js';
import type { EnginePort, NodeSummary, ServiceDefinition } from '../core/ports/engine.js';
import { composeNameOf, type StackPlan } from './stack-plan.js';

export interface Preflight {
  /** Tasks each service should end up with: its replicas, or for a global service the nodes that may run it. */
  readonly wanted: ReadonlyMap<string, number>;
}

type Engine = Pick<EnginePort, 'objectExists' | 'listNodes' | 'publishedPorts'>;

export async function preflight(plan: StackPlan, engine: Engine, secretData: ReadonlyMap<string, Buffer>): Promise<Preflight> {
  const problems: string[] = [];
  for (const n of (plan.networks ?? []).filter((x) => x.external)) {
    if (!(await engine.objectExists('network', n.name))) problems.push(`external network ${n.name} (networks.${n.key}) does not exist`);
  }
  for (const v of (plan.volumes ?? []).filter((x) => x.external)) {
    if (!(await engine.objectExists('volume', v.name))) problems.push(`external volume ${v.name} (volumes.${v.key}) does not exist`);
  }
  for (const f of plan.files ?? []) {
    if (f.external || (f.kind === 'config' ? f.data !== null : secretData.has(f.name))) {
      if (f.external && !(await engine.objectExists(f.kind, f.name))) problems.push(`external ${f.kind} ${f.name} (${f.kind}s.${f.key}) does not exist`);
    } else if (!(await engine.objectExists(f.kind, f.name))) {
      problems.push(`${f.kind} ${f.key}: its value is not at hand and ${f.name} is not in Swarm any more`);
    }
  }
  const nodes = (await engine.listNodes()).filter((n) => n.availability === 'active' && n.state === 'ready');
  const wanted = new Map<string, number>();
  for (const s of plan.services) {
    const fit = nodes.filter((n) => (s.placement?.constraints ?? []).every((c) => satisfies(n, c, s)));
    if (fit.length === 0) {
      problems.push(`service ${composeNameOf(s)}: no ready node satisfies its placement (${(s.placement?.constraints ?? []).join(', ') || 'any node'})`);
    }
    wanted.set(s.serviceName, s.mode === 'global' ? fit.length : s.replicas);
  }
  problems.push(...await portProblems(plan, engine));
  if (problems.length > 0) {
    throw new SlipwayError('invalid_input', `stack ${plan.name} cannot be deployed: ${problems.join('; ')}`, {
      hint: 'nothing was changed: the stack runs what it ran before',
    });
  }
  return { wanted };
}

/** A port is taken when a service outside this stack publishes it, or two services of the stack both ask for it. */
async function portProblems(plan: StackPlan, engine: Engine): Promise<string[]> {
  const ours = new Set(plan.services.map((s) => s.serviceName));
  const taken = new Map((await engine.publishedPorts()).filter((p) => !ours.has(p.serviceName)).map((p) => [`${p.published}/${p.protocol}`, p.serviceName]));
  const out: string[] = [];
  for (const s of plan.services) {
    for (const p of s.ports ?? []) {
      if (p.published === null) continue;
      const key = `${p.published}/${p.protocol}`;
      const holder = taken.get(key);
      if (holder !== undefined) out.push(`service ${composeNameOf(s)}: port ${key} is already published by ${holder}`);
      taken.set(key, s.serviceName);
    }
  }
  return out;
}

/** Swarm's constraint grammar (swarmkit constraint.go): `key==value` / `key!=value`, values compared ignoring case. */
function satisfies(node: NodeSummary, constraint: string, s: ServiceDefinition): boolean {
  const m = /^\s*([\w.\-/]+)\s*(==|!=)\s*(.*?)\s*$/.exec(constraint);
  if (!m) throw new SlipwayError('invalid_input', `service ${composeNameOf(s)}: placement constraint "${constraint}" is not key==value or key!=value`);
  const [, key = '', op, value = ''] = m;
  const actual = valueOf(node, key);
  if (actual === undefined && !/^(node|engine)\.labels\./.test(key)) {
    throw new SlipwayError('invalid_input', `service ${composeNameOf(s)}: placement constraint "${constraint}" names an unknown attribute ${key}`, {
      hint: 'use node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.<label> or engine.labels.<label>',
    });
  }
  const equal = actual !== undefined && actual.toLowerCase() === value.toLowerCase();
  return op === '==' ? equal : !equal;
}

function valueOf(node: NodeSummary, key: string): string | undefined {
  if (key.startsWith('node.labels.')) return node.labels[key.slice('node.labels.'.length)];
  if (key.startsWith('engine.labels.')) return node.engineLabels[key.slice('engine.labels.'.length)];
  return ({ 'node.id': node.id, 'node.hostname': node.hostname, 'node.role': node.role, 'node.platform.os': node.os, 'node.platform.arch': node.arch } as Record<string, string>)[key];
}
