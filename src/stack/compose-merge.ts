// Merges several compose files the way `docker stack deploy -c a -c b` (and compose) does: maps key by key, the later
// file winning; environment/labels by name; ports, volumes, configs and secrets by what they point at; command,
// entrypoint and healthcheck.test replaced. Nodes keep their own file and position, so findings name the file.

import type { MapEntry, MapNode, ScalarNode, SeqNode, YNode } from '../yaml/node.js';

/** Lists that are KEY=value pairs or a map: merged by name. */
const BY_NAME = new Set(['environment', 'labels', 'sysctls', 'extra_hosts', 'args', 'options', 'driver_opts', 'ulimits', 'networks']);
/** Replaced as a whole by the later file. */
const REPLACED = new Set(['command', 'entrypoint', 'test']);

export function mergeComposeTrees(trees: readonly MapNode[]): MapNode | null {
  let merged: MapNode | null = null;
  for (const tree of trees) merged = merged === null ? tree : (mergeNode(merged, tree, '') as MapNode);
  return merged;
}

function mergeNode(base: YNode, over: YNode, key: string): YNode {
  if (REPLACED.has(key)) return over;
  if (BY_NAME.has(key)) {
    const a = asNamedMap(base, key);
    const b = asNamedMap(over, key);
    if (a !== null && b !== null) return mergeMaps(a, b);
  }
  if (base.kind === 'map' && over.kind === 'map') return mergeMaps(base, over);
  if (base.kind === 'seq' && over.kind === 'seq') return mergeSeqs(base, over, key);
  return over;
}

function mergeMaps(base: MapNode, over: MapNode): MapNode {
  const entries: MapEntry[] = [...base.entries];
  for (const e of over.entries) {
    const i = entries.findIndex((x) => x.key === e.key);
    if (i < 0) entries.push(e);
    else {
      const old = entries[i] as MapEntry;
      // An explicit null in the override (e.g. `networks: { back: }`) keeps what the base said.
      const value = e.value.kind === 'scalar' && e.value.value === null && old.value.kind !== 'scalar' ? old.value : mergeNode(old.value, e.value, e.key);
      entries[i] = { ...old, value };
    }
  }
  return { ...base, entries };
}

function mergeSeqs(base: SeqNode, over: SeqNode, key: string): SeqNode {
  const identity = keyOf(key);
  const items = [...base.items];
  for (const item of over.items) {
    const id = identity(item);
    const i = items.findIndex((x) => identity(x) === id);
    if (i < 0) items.push(item);
    else items[i] = item;
  }
  return { ...base, items };
}

/** What makes two items of a list "the same" for the override to replace it. */
function keyOf(key: string): (node: YNode) => string {
  if (key === 'volumes') return (n) => (n.kind === 'map' ? text(field(n, 'target')) : volumeTarget(text(n)));
  if (key === 'secrets' || key === 'configs') return (n) => (n.kind === 'map' ? text(field(n, 'source')) : text(n));
  return (n) => JSON.stringify(plain(n));
}

function volumeTarget(short: string): string {
  const parts = short.split(':');
  return parts.length >= 2 ? (parts[1] ?? short) : short;
}

/** A KEY=value list (or a list of names, for networks) as a map node, positions kept; a map stays as it is. */
function asNamedMap(node: YNode, key: string): MapNode | null {
  if (node.kind === 'map') return node;
  if (node.kind !== 'seq') return null;
  const entries: MapEntry[] = [];
  for (const item of node.items) {
    if (item.kind !== 'scalar' || item.value === null) return null;
    const t = item.text;
    const eq = key === 'extra_hosts' ? t.search(/[=:]/) : t.indexOf('=');
    // "KEY=value" (environment, labels), or "host:ip" for extra_hosts; a bare name has no value (networks).
    const value: ScalarNode = eq < 0 ? { kind: 'scalar', value: null, text: '', loc: item.loc } : { kind: 'scalar', value: t.slice(eq + 1), text: t.slice(eq + 1), loc: item.loc };
    entries.push({ key: eq < 0 ? t : t.slice(0, eq), keyLoc: item.loc, value });
  }
  return { kind: 'map', entries, loc: node.loc };
}

function field(map: MapNode, key: string): YNode | undefined {
  return map.entries.find((e) => e.key === key)?.value;
}

function text(node: YNode | undefined): string {
  return node !== undefined && node.kind === 'scalar' ? node.text : JSON.stringify(node === undefined ? null : plain(node));
}

function plain(node: YNode): unknown {
  if (node.kind === 'scalar') return node.text;
  if (node.kind === 'seq') return node.items.map(plain);
  return Object.fromEntries(node.entries.map((e) => [e.key, plain(e.value)]));
}
