// YAML text → positioned nodes, one per document (Drone separates pipelines with `---`), with anchors, aliases and
// merge keys (`<<`) resolved; YAML errors and exceeded limits become findings with a line and column.

import { Composer, LineCounter, Parser } from 'yaml';
import type { LintFinding, SourceLocation } from '../core/plan.js';
import { Converter, NodeBudget, TooLarge } from './convert.js';
import type { RepoFile } from './file.js';
import { Findings } from './findings.js';
import { MAX_DEPTH, MAX_DOCUMENTS, MAX_FILE_BYTES, MAX_NODES, MAX_YAML_ERRORS } from './limits.js';
import type { YNode } from './node.js';

export interface ParsedFile {
  readonly file: string;
  /** Documents without errors, in file order; empty documents (a trailing `---`) are left out. */
  readonly documents: readonly YNode[];
  readonly findings: readonly LintFinding[];
}

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
  const locOf = (offset: number | undefined): SourceLocation => {
    const pos = lineCounter.linePos(offset ?? 0);
    return at(pos.line, pos.col);
  };
  const budget = new NodeBudget();
  const documents: YNode[] = [];
  let count = 0;
  // Documents are composed one at a time and converted at once, so a file never holds all its ASTs in memory, and
  // reading stops at the first document past a limit.
  const composer = new Composer({ prettyErrors: false, uniqueKeys: true });
  for (const doc of composer.compose(new Parser(lineCounter.addNewLine).parse(file.text))) {
    if (++count > MAX_DOCUMENTS) {
      findings.error(locOf(doc.range[0]), `the file holds more than ${MAX_DOCUMENTS} YAML documents`, 'split it into several files');
      return { file: file.path, documents: [], findings: findings.list };
    }
    for (const err of doc.errors.slice(0, MAX_YAML_ERRORS)) {
      findings.error(locOf(err.pos[0]), `invalid YAML: ${firstLine(err.message)}`);
    }
    for (const w of doc.warnings.slice(0, MAX_YAML_ERRORS)) findings.warn(locOf(w.pos[0]), `YAML: ${firstLine(w.message)}`);
    if (doc.errors.length > 0 || doc.contents === null) continue;
    try {
      const node = new Converter(doc, locOf, findings, budget).convert(doc.contents, 0);
      if (node !== null && !(node.kind === 'scalar' && node.value === null)) documents.push(node);
    } catch (err) {
      if (!(err instanceof TooLarge)) throw err;
      findings.error(
        locOf(doc.range[0]),
        `the file expands to more than ${MAX_NODES} values through aliases (all its documents together)`,
        'an alias counts again each time it is used; write the values out or use fewer aliases',
      );
      return { file: file.path, documents: [], findings: findings.list };
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
