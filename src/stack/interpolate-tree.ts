// Replaces variables in every value of a parsed compose file, before anything reads it (as compose does: the schema
// and every reader see the values the stack will get); keys are never interpolated.

import type { Findings } from '../yaml/findings.js';
import type { YNode } from '../yaml/node.js';
import { interpolate } from './interpolate.js';
import type { ComposeVariables } from './model.js';

export function interpolateTree(node: YNode, vars: ComposeVariables, findings: Findings, path = ''): YNode {
  if (node.kind === 'map') {
    return { ...node, entries: node.entries.map((e) => ({ ...e, value: interpolateTree(e.value, vars, findings, join(path, e.key)) })) };
  }
  if (node.kind === 'seq') return { ...node, items: node.items.map((item, i) => interpolateTree(item, vars, findings, `${path}[${i}]`)) };
  if (typeof node.value !== 'string' || !node.value.includes('$')) return node;
  const r = interpolate(node.value, vars);
  if ('error' in r) {
    findings.error(node.loc, `${describe(path)}: ${r.error}`);
    return node;
  }
  return { ...node, value: r.value, text: r.value };
}

/** `services.api.image` → `image of service "api"`, as the readers name what they read. */
function describe(path: string): string {
  const m = /^services\.([^.[]+)[.[](.*)$/.exec(path);
  if (m === null) return path === '' ? 'value' : path;
  const rest = m[2] ?? '';
  return `${path.charAt(`services.${m[1]}`.length) === '[' ? `[${rest}` : rest} of service "${m[1]}"`;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
