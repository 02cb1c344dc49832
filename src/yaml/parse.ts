// YAML text → positioned nodes, one per document (Drone separates pipelines with `---`), with anchors, aliases and
// merge keys (`<<`) resolved; YAML errors become findings carrying the yaml library's line and column.

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { LintFinding, SourceLocation } from '../core/plan.js';
import { Findings } from './findings.js';
import type { RepoFile } from './file.js';
import type { MapEntry, ScalarValue, YNode } from './node.js';

export interface ParsedFile {
  readonly file: string;
  /** Documents without errors, in file order; empty documents (a trailing `---`) are left out. */
  readonly documents: readonly YNode[];
  readonly findings: readonly LintFinding[];
}

/** Larger files are refused before parsing: no pipeline needs a megabyte of YAML. */
export const MAX_FILE_BYTES = 1_000_000;
/** Nodes one document may expand to through aliases (a "billion laughs" file must not exhaust memory). */
const MAX_NODES = 100_000;
const MAX_DEPTH = 64;
/** After the first YAML error the parser reports follow-on noise; the first one says what is wrong. */
const MAX_YAML_ERRORS = 1;

class TooLarge extends Error {}

export function parseYaml(file: RepoFile): ParsedFile {
  const findings = new Findings();
  const at = (line: number, column: number): SourceLocation => ({ file: file.path, line, column });
  if (file.text.length > MAX_FILE_BYTES) {
    findings.error(at(1, 1), `file is larger than ${MAX_FILE_BYTES} bytes`);
    return { file: file.path, documents: [], findings: findings.list };
  }
  const lineCounter = new LineCounter();
  const tooDeep = deepFlowAt(file.text);
  if (tooDeep !== null) {
    lineCounter.addNewLine(0);
    for (let i = file.text.indexOf('\n'); i >= 0 && i < tooDeep; i = file.text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
    const pos = lineCounter.linePos(tooDeep);
    findings.error(at(pos.line, pos.col), `nested more than ${MAX_DEPTH} levels deep`);
    return { file: file.path, documents: [], findings: findings.list };
  }
  const docs = parseAllDocuments(file.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const locOf = (offset: number | undefined): SourceLocation => {
    const pos = lineCounter.linePos(offset ?? 0);
    return at(pos.line, pos.col);
  };
  const documents: YNode[] = [];
  for (const doc of Array.from(docs)) {
    for (const err of doc.errors.slice(0, MAX_YAML_ERRORS)) {
      findings.error(locOf(err.pos[0]), `invalid YAML: ${firstLine(err.message)}`);
    }
    for (const w of doc.warnings.slice(0, MAX_YAML_ERRORS)) findings.warn(locOf(w.pos[0]), `YAML: ${firstLine(w.message)}`);
    if (doc.errors.length > 0 || doc.contents === null) continue;
    const converter = new Converter(doc, locOf, findings);
    try {
      const node = converter.convert(doc.contents, 0);
      if (node !== null && !(node.kind === 'scalar' && node.value === null)) documents.push(node);
    } catch (err) {
      if (!(err instanceof TooLarge)) throw err;
      findings.error(locOf(doc.range[0]), `document expands to more than ${MAX_NODES} values through aliases`);
    }
  }
  return { file: file.path, documents, findings: findings.list };
}

/**
 * Offset where `[`/`{` nesting passes MAX_DEPTH, or null. The yaml library composes flow collections recursively and
 * spends seconds unwinding from stack exhaustion on `[[[[…` inputs, so such files are refused before parsing.
 * Quotes and comments are skipped roughly; a legitimate pipeline never comes near the limit.
 */
function deepFlowAt(text: string): number | null {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === quote || c === '\n') quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_DEPTH) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return null;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** Walks the yaml library's AST into YNodes; aliases are expanded in place, so readers never see them. */
class Converter {
  private budget = MAX_NODES;
  private readonly expanding = new Set<unknown>();
  /** The yaml library finds an alias's anchor by walking the document: once per alias is enough. */
  private readonly resolved = new Map<unknown, unknown>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly locOf: (offset: number | undefined) => SourceLocation,
    private readonly findings: Findings,
  ) {}

  convert(node: unknown, depth: number): YNode | null {
    if (--this.budget < 0) throw new TooLarge();
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
