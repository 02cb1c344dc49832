// What changed between two stack releases, service by service, read from their stored plans (pure).

import type { ServiceDefinition } from '../core/ports/engine.js';
import { composeNameOf, type StackPlan } from '../converge/stack-plan.js';

export interface StackServiceDiff {
  /** The compose name of the service. */
  readonly service: string;
  readonly change: 'added' | 'removed' | 'changed' | 'unchanged';
  /** One line per difference, in words; env values are never shown (they may be secrets), only their keys. */
  readonly details: readonly string[];
}

/** Services of `from` and `to`, in `to`'s order then the removed ones; the plans as the store gives them back. */
export function diffStackPlans(from: StackPlan, to: StackPlan): StackServiceDiff[] {
  const before = new Map(from.services.map((s) => [composeNameOf(s), s]));
  const after = new Map(to.services.map((s) => [composeNameOf(s), s]));
  const out: StackServiceDiff[] = [];
  for (const [name, s] of after) {
    const old = before.get(name);
    if (old === undefined) {
      out.push({ service: name, change: 'added', details: [`image ${s.image}`, `replicas ${s.replicas}`] });
      continue;
    }
    const details = diffService(old, s);
    out.push({ service: name, change: details.length === 0 ? 'unchanged' : 'changed', details });
  }
  for (const [name, s] of before) {
    if (!after.has(name)) out.push({ service: name, change: 'removed', details: [`image ${s.image}`] });
  }
  return out;
}

/** Fields read the way a person compares them; every other field (the plan grows) is compared as JSON by name. */
const READ_APART = new Set(['image', 'replicas', 'env', 'labels', 'containerLabels', 'serviceName']);

function diffService(a: ServiceDefinition, b: ServiceDefinition): string[] {
  const out: string[] = [];
  if (a.image !== b.image) out.push(`image ${a.image} → ${b.image}`);
  if (a.replicas !== b.replicas) out.push(`replicas ${a.replicas} → ${b.replicas}`);
  out.push(...diffKeys('env', a.env, b.env));
  out.push(...diffKeys('labels', a.labels, b.labels));
  out.push(...diffKeys('container labels', a.containerLabels ?? {}, b.containerLabels ?? {}));
  const rest = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !READ_APART.has(k)).sort();
  const fields = a as unknown as Record<string, unknown>;
  const others = b as unknown as Record<string, unknown>;
  for (const key of rest) {
    const x = canonical(fields[key]);
    const y = canonical(others[key]);
    if (x !== y) out.push(`${key} ${short(x)} → ${short(y)}`);
  }
  return out;
}

function diffKeys(what: string, a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): string[] {
  const added = Object.keys(b).filter((k) => !(k in a)).sort();
  const removed = Object.keys(a).filter((k) => !(k in b)).sort();
  const changed = Object.keys(b).filter((k) => k in a && a[k] !== b[k]).sort();
  return [
    ...(added.length > 0 ? [`${what} added: ${added.join(', ')}`] : []),
    ...(removed.length > 0 ? [`${what} removed: ${removed.join(', ')}`] : []),
    ...(changed.length > 0 ? [`${what} changed: ${changed.join(', ')}`] : []),
  ];
}

/** JSON with sorted keys, so an object whose keys moved is not a change; absent and null read the same. */
function canonical(value: unknown): string {
  if (value === undefined || value === null) return 'none';
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

function short(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
