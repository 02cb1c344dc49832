// Typed readers for YAML values (string, list, boolean, map): each reports "expected X, got Y" at the value and
// returns null, so a reader can carry on and show every problem of a file in one lint run.

import type { Findings } from '../yaml/findings.js';
import { describeNode, type MapNode, type YNode } from '../yaml/node.js';
import type { Dialect } from './source.js';

export interface ReadContext {
  readonly findings: Findings;
  readonly dialect: Dialect;
}

export function readMap(node: YNode, ctx: ReadContext, what: string): MapNode | null {
  if (node.kind === 'map') return node;
  ctx.findings.error(node.loc, `${what} must be a map, got ${describeNode(node)}`);
  return null;
}

/** A scalar as a string: numbers keep their written form (`1.20`), like Go decoding into a string field. */
export function readString(node: YNode, ctx: ReadContext, what: string): string | null {
  if (node.kind === 'scalar' && node.value !== null) return node.text;
  ctx.findings.error(node.loc, `${what} must be a string, got ${describeNode(node)}`);
  return null;
}

export function readNonEmptyString(node: YNode, ctx: ReadContext, what: string): string | null {
  const s = readString(node, ctx, what);
  if (s !== null && s.trim() === '') {
    ctx.findings.error(node.loc, `${what} must not be empty`);
    return null;
  }
  return s;
}

/** A list of strings; a single string counts as a one-item list (both tools accept that shorthand). */
export function readStringList(node: YNode, ctx: ReadContext, what: string): string[] | null {
  if (node.kind === 'scalar') {
    if (node.value === null) return [];
    return [node.text];
  }
  if (node.kind === 'map') {
    ctx.findings.error(node.loc, `${what} must be a list of strings, got a map`);
    return null;
  }
  const out: string[] = [];
  for (const item of node.items) {
    const s = readString(item, ctx, `each item of ${what}`);
    if (s !== null) out.push(s);
  }
  return out;
}

export function readBool(node: YNode, ctx: ReadContext, what: string): boolean | null {
  if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
  ctx.findings.error(node.loc, `${what} must be true or false, got ${describeNode(node)}`);
  return null;
}

export function readWholeNumber(node: YNode, ctx: ReadContext, what: string, max: number): number | null {
  if (node.kind === 'scalar' && typeof node.value === 'number' && Number.isInteger(node.value) && node.value >= 0 && node.value <= max) {
    return node.value;
  }
  const got = node.kind === 'scalar' && node.value !== null ? `"${node.text.slice(0, 20)}"` : describeNode(node);
  ctx.findings.error(node.loc, `${what} must be a whole number from 0 to ${max}, got ${got}`);
  return null;
}

/** Items of a list of maps, or of a map of maps (the `name:` taken from the key), for steps and services. */
export function namedItems(node: YNode, ctx: ReadContext, what: string): { node: MapNode; keyName: string | null }[] | null {
  if (node.kind === 'seq') {
    const out: { node: MapNode; keyName: string | null }[] = [];
    for (const item of node.items) {
      const m = readMap(item, ctx, `each item of ${what}`);
      if (m !== null) out.push({ node: m, keyName: null });
    }
    return out;
  }
  if (node.kind === 'map') {
    const out: { node: MapNode; keyName: string | null }[] = [];
    for (const e of node.entries) {
      const m = readMap(e.value, ctx, `${what} "${e.key}"`);
      if (m !== null) out.push({ node: m, keyName: e.key });
    }
    return out;
  }
  ctx.findings.error(node.loc, `${what} must be a list, got ${describeNode(node)}`);
  return null;
}
