// The yaml library's AST → positioned YNodes: aliases expanded in place and merge keys (`<<`) applied, so readers
// never see either; every value converted is charged to one budget shared by the whole file.

import { isAlias, isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import type { SourceLocation } from '../core/plan.js';
import type { Findings } from './findings.js';
import { MAX_DEPTH, MAX_NODES } from './limits.js';
import type { MapEntry, ScalarValue, YNode } from './node.js';

/** Thrown when the file's budget runs out; parseYaml turns it into a finding naming the limit. */
export class TooLarge extends Error {}

/** Values left for the rest of the file; one instance is passed to the converter of every document. */
export class NodeBudget {
  private left = MAX_NODES;

  spend(): void {
    if (--this.left < 0) throw new TooLarge();
  }
}

export class Converter {
  private readonly expanding = new Set<unknown>();
  /** The yaml library finds an alias's anchor by walking the document: once per alias is enough. */
  private readonly resolved = new Map<unknown, unknown>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly locOf: (offset: number | undefined) => SourceLocation,
    private readonly findings: Findings,
    private readonly budget: NodeBudget,
  ) {}

  convert(node: unknown, depth: number): YNode | null {
    this.budget.spend();
    if (isAlias(node)) return this.alias(node, depth);
    const loc = this.locOf(rangeStart(node));
    if (depth > MAX_DEPTH) {
      this.findings.error(loc, `nested more than ${MAX_DEPTH} levels deep`);
      return null;
    }
    if (isScalar(node)) return this.scalar(node.value, node.source, loc);
    if (isSeq(node)) {
      const items: YNode[] = [];
      for (const item of node.items) {
        const converted = this.convert(item, depth + 1);
        if (converted !== null) items.push(converted);
      }
      return { kind: 'seq', items, loc };
    }
    if (isMap(node)) return { kind: 'map', entries: this.entries(node.items, depth), loc };
    return { kind: 'scalar', value: null, text: '', loc };
  }

  private alias(node: { source: string; resolve(doc: Document.Parsed): unknown }, depth: number): YNode | null {
    const target = this.resolved.has(node) ? this.resolved.get(node) : node.resolve(this.doc);
    this.resolved.set(node, target);
    const loc = this.locOf(rangeStart(node));
    if (target === undefined) {
      this.findings.error(loc, `unknown alias *${node.source}`);
      return null;
    }
    if (this.expanding.has(target)) {
      this.findings.error(loc, `alias *${node.source} refers to a node that contains it`);
      return null;
    }
    this.expanding.add(target);
    try {
      return this.convert(target, depth);
    } finally {
      this.expanding.delete(target);
    }
  }

  private scalar(value: unknown, source: unknown, loc: SourceLocation): YNode {
    const v: ScalarValue =
      value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : String(value);
    const text = typeof v === 'string' ? v : v === null ? '' : typeof source === 'string' ? source : String(v);
    return { kind: 'scalar', value: v, text, loc };
  }

  private entries(pairs: readonly unknown[], depth: number): MapEntry[] {
    const own: MapEntry[] = [];
    const merged: MapEntry[] = [];
    for (const pair of pairs) {
      if (!isPair(pair)) continue;
      const key = this.convert(pair.key, depth + 1);
      const keyLoc = key?.loc ?? this.locOf(rangeStart(pair.value));
      if (key === null || key.kind !== 'scalar' || key.value === null) {
        this.findings.error(keyLoc, 'map keys must be plain strings');
        continue;
      }
      const value = pair.value === null ? { kind: 'scalar' as const, value: null, text: '', loc: keyLoc } : this.convert(pair.value, depth + 1);
      if (value === null) continue;
      // YAML 1.1 merge key, which Drone and Woodpecker files use to share step defaults; explicit keys win.
      if (key.text === '<<' && isScalar(pair.key) && pair.key.type === 'PLAIN') merged.push(...this.mergeSources(value, keyLoc));
      else own.push({ key: key.text, keyLoc: key.loc, value });
    }
    const seen = new Set(own.map((e) => e.key));
    for (const e of merged) {
      if (seen.has(e.key)) continue;
      seen.add(e.key);
      own.push(e);
    }
    return own;
  }

  private mergeSources(value: YNode, loc: SourceLocation): MapEntry[] {
    const sources = value.kind === 'seq' ? value.items : [value];
    const out: MapEntry[] = [];
    for (const source of sources) {
      if (source.kind === 'map') out.push(...source.entries);
      else this.findings.error(loc, '`<<` merges maps only (an alias to a map, or a list of them)');
    }
    return out;
  }
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range: unknown = node.range;
  return Array.isArray(range) && typeof range[0] === 'number' ? range[0] : undefined;
}
