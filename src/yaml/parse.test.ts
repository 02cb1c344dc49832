// YAML parsing: documents, positions, anchors and merge keys, and hostile input (aliases, depth, size).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DOCUMENTS, MAX_NODES } from './limits.js';
import { toPlain, type MapNode, type YNode } from './node.js';
import { parseYaml } from './parse.js';

const parse = (text: string) => parseYaml({ path: 'f.yml', text });

describe('parseYaml', () => {
  it('splits documents on --- and drops empty ones (a trailing --- is common in Drone files)', () => {
    const r = parse('---\na: 1\n---\nb: 2\n---\n');
    assert.equal(r.documents.length, 2);
    assert.deepEqual(r.findings, []);
  });

  it('positions every key and value (1-based line and column)', () => {
    const [doc] = parse('steps:\n  - name: test\n    image: node\n').documents as MapNode[];
    const steps = doc?.entries[0];
    assert.deepEqual(steps?.keyLoc, { file: 'f.yml', line: 1, column: 1 });
    const step = steps?.value.kind === 'seq' ? steps.value.items[0] : undefined;
    assert.equal(step?.kind, 'map');
    if (step?.kind !== 'map') return;
    assert.deepEqual(step.entries[1]?.value.loc, { file: 'f.yml', line: 3, column: 12 });
  });

  it('resolves anchors, aliases and merge keys; explicit keys win over merged ones', () => {
    const text = 'base: &b {image: node, pull: always}\nstep:\n  <<: *b\n  pull: never\n  extra: *b\n';
    const [doc] = parse(text).documents;
    assert.ok(doc);
    assert.deepEqual(toPlain(doc), {
      base: { image: 'node', pull: 'always' },
      step: { pull: 'never', extra: { image: 'node', pull: 'always' }, image: 'node' },
    });
  });

  it('merges a list of maps, earlier maps first', () => {
    const [doc] = parse('a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n').documents;
    assert.deepEqual(doc && toPlain(doc), { a: { x: 1 }, b: { x: 2, y: 2 }, c: { x: 1, y: 2 } });
  });

  it('keeps the written text of numbers for string fields (1.20 is not 1.2)', () => {
    const [doc] = parse('go: 1.20\n').documents as MapNode[];
    const v = doc?.entries[0]?.value;
    assert.equal(v?.kind === 'scalar' ? v.text : null, '1.20');
    assert.equal(v?.kind === 'scalar' ? v.value : null, 1.2);
  });

  it('reports invalid YAML with the line and column of the yaml library', () => {
    const r = parse('steps:\n  - name: a\n   - name: b\n');
    assert.equal(r.documents.length, 0);
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]?.severity, 'error');
    assert.match(r.findings[0]?.message ?? '', /^invalid YAML: /);
    assert.equal(r.findings[0]?.location.line, 3);
  });

  it('reports duplicate keys', () => {
    const r = parse('a: 1\na: 2\n');
    assert.match(r.findings[0]?.message ?? '', /unique/);
    assert.deepEqual(r.findings[0]?.location, { file: 'f.yml', line: 2, column: 1 });
  });

  it('refuses an alias that contains itself instead of recursing forever', () => {
    const r = parse('a: &x [1, *x]\n');
    assert.match(r.findings.map((f) => f.message).join('\n'), /refers to a node that contains it/);
  });

  it('stops a billion-laughs expansion', { timeout: 30_000 }, () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const r = parse(lines.join('\n'));
    assert.match(r.findings.map((f) => f.message).join('\n'), /expands to more than/);
  });

  it('counts the alias budget per file: many documents each just under the old per-document budget are refused', () => {
    // ≈ 87 000 values per document (an alias costs one more than its target), below the 100 000 one document was
    // allowed; 20 such documents took ≈ 200 MiB before (issue 12: a 990 KB file of them aborted Node).
    const doc = [
      'a0: &a0 [x, x, x, x, x, x, x, x, x, x]',
      ...[1, 2, 3].map((i) => `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`),
      `a4: [${Array(6).fill('*a3').join(', ')}]`,
    ].join('\n');
    const r = parse(Array(20).fill(doc).join('\n---\n'));
    const errors = r.findings.filter((f) => f.severity === 'error');
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', new RegExp(`the file expands to more than ${MAX_NODES} values through aliases \\(all its documents together\\)`));
    assert.deepEqual(errors[0]?.location, { file: 'f.yml', line: 6, column: 1 }, 'the second document (its ---), where the budget ran out');
    assert.equal(r.documents.length, 0);
  });

  it('keeps every document together within the budget', () => {
    const doc = `a: &a [${Array(90).fill('v').join(', ')}]\nb: [${Array(9).fill('*a').join(', ')}]`;
    const r = parse(Array(MAX_DOCUMENTS).fill(doc).join('\n---\n'));
    assert.deepEqual(r.findings, []);
    assert.equal(r.documents.length, MAX_DOCUMENTS);
    assert.ok(r.documents.reduce((n, d) => n + size(d), 0) <= MAX_NODES);
  });

  it('refuses a file with more documents than the limit, at the first one too many', () => {
    const r = parse(Array(MAX_DOCUMENTS + 50).fill('a: 1').join('\n---\n'));
    assert.deepEqual(r.documents, []);
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]?.message, `the file holds more than ${MAX_DOCUMENTS} YAML documents`);
    assert.equal(r.findings[0]?.location.line, 2 * MAX_DOCUMENTS, 'the --- that starts it');
  });

  it('reports too deep nesting (before the yaml library recurses) and too large files', () => {
    const flow = parse(`a: 1\nb: ${'['.repeat(100)}${']'.repeat(100)}\n`).findings[0];
    assert.equal(flow?.message, 'nested more than 64 levels deep');
    assert.deepEqual(flow?.location, { file: 'f.yml', line: 2, column: 68 });
    const block = Array.from({ length: 80 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n');
    assert.match(parse(`${block} 1\n`).findings[0]?.message ?? '', /nested more than 64/);
    assert.match(parse('#'.repeat(1_000_001)).findings[0]?.message ?? '', /larger than/);
  });

  it('rejects maps as keys', () => {
    assert.match(parse('? [a]\n: 1\n').findings[0]?.message ?? '', /map keys must be plain strings/);
  });
});

/** Values in a converted document, counted as the budget counts them (keys too). */
function size(node: YNode): number {
  if (node.kind === 'scalar') return 1;
  if (node.kind === 'seq') return 1 + node.items.reduce((n, i) => n + size(i), 0);
  return 1 + node.entries.reduce((n, e) => n + 1 + size(e.value), 0);
}
