// Positioned YAML nodes: a parsed file (pipeline or compose) as plain maps, lists and scalars, each knowing its line and column.

import type { SourceLocation } from '../core/plan.js';

export type ScalarValue = string | number | boolean | null;

export interface ScalarNode {
  readonly kind: 'scalar';
  readonly value: ScalarValue;
  /** The text as written (`1.20`, not 1.2): Drone and Woodpecker decode string fields from the source text. */
  readonly text: string;
  readonly loc: SourceLocation;
}

export interface MapEntry {
  readonly key: string;
  readonly keyLoc: SourceLocation;
  readonly value: YNode;
}

export interface MapNode {
  readonly kind: 'map';
  readonly entries: readonly MapEntry[];
  readonly loc: SourceLocation;
}

export interface SeqNode {
  readonly kind: 'seq';
  readonly items: readonly YNode[];
  readonly loc: SourceLocation;
}

export type YNode = ScalarNode | MapNode | SeqNode;

export function entryOf(map: MapNode, key: string): MapEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

export function valueOf(map: MapNode, key: string): YNode | undefined {
  return entryOf(map, key)?.value;
}

/** "a list", "a number" … for "expected a string, got a list". */
export function describeNode(node: YNode): string {
  if (node.kind === 'map') return 'a map';
  if (node.kind === 'seq') return 'a list';
  if (node.value === null) return 'nothing (null)';
  if (typeof node.value === 'number') return 'a number';
  if (typeof node.value === 'boolean') return 'a boolean';
  return 'a string';
}

/** The node as plain data (plugin settings are passed on as JSON or strings, like Drone does). */
export function toPlain(node: YNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const e of node.entries) out[e.key] = toPlain(e.value);
  return out;
}
