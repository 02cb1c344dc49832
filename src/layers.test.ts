// The import direction rule (ARCHITECTURE.md, "Layers"): a file imports only its own folder or a lower one, only the
// composition roots import adapters, and there is no import circle. It reads the sources the way tsc resolves them.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Top to bottom. The flow reads trigger → run → release → converge → edge → tell, each room using only those below. */
export const LAYERS = [
  'cli',
  'web',
  'api',
  'infra',
  'trigger',
  'run',
  'pipeline',
  'stack',
  'release',
  'converge',
  'edge',
  'tell',
  'yaml',
  'adapters',
  'core',
] as const;

/** The composition roots: the only rooms that pick adapters. */
const ROOTS = new Set(['cli', 'api', 'infra']);

interface Edge {
  readonly from: string;
  readonly to: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'fixtures' && e.name !== 'node_modules') out.push(...sourceFiles(p));
    } else if (/\.ts$/.test(e.name) && !/\.test\.ts$|\.d\.ts$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Relative imports and re-exports of a file, type-only ones included, resolved to source files under src/. */
export function importsOf(file: string, text: string, known: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const re = /^\s*(?:import|export)\s[^'";]*?['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[1];
    if (spec === undefined) continue;
    let target = join(dirname(file), spec).replace(/\.js$/, '.ts');
    if (!known.has(target) && known.has(join(target, 'index.ts'))) target = join(target, 'index.ts');
    if (known.has(target)) out.push(target);
  }
  return out;
}

function roomOf(file: string): string {
  const rel = relative(SRC, file);
  const first = rel.split('/')[0] ?? '';
  return rel.includes('/') ? first : '(top)';
}

function graph(): { files: string[]; edges: Edge[] } {
  const files = sourceFiles(SRC);
  const known = new Set(files);
  const edges: Edge[] = [];
  for (const f of files) for (const t of importsOf(f, readFileSync(f, 'utf8'), known)) edges.push({ from: f, to: t });
  return { files, edges };
}

/** Strongly connected components with more than one file (Tarjan). */
export function circles(files: readonly string[], edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) next.get(e.from)?.push(e.to);
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w !== undefined) {
          onStack.delete(w);
          scc.push(w);
        }
      } while (w !== undefined && w !== v);
      if (scc.length > 1) found.push(scc.map((f) => relative(SRC, f)).sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return found;
}

/** Why an import breaks the layer rule, or null when it is allowed. */
export function violation(fromRoom: string, toRoom: string): string | null {
  if (fromRoom === toRoom) return null;
  const rank = (room: string): number => LAYERS.indexOf(room as (typeof LAYERS)[number]);
  if (rank(fromRoom) < 0) return `${fromRoom}/ is not a known layer: add it to LAYERS (src/layers.test.ts) and ARCHITECTURE.md`;
  if (rank(toRoom) < 0) return `${toRoom}/ is not a known layer`;
  if (toRoom === 'adapters' && !ROOTS.has(fromRoom)) return `only ${[...ROOTS].join(', ')} may import adapters/ (stages take ports)`;
  if (fromRoom === 'adapters' && toRoom !== 'core') return 'adapters/ may import core/ only';
  if (rank(toRoom) < rank(fromRoom)) return `${toRoom}/ is above ${fromRoom}/`;
  return null;
}

describe('layers', () => {
  const { files, edges } = graph();

  it('finds the sources it checks', () => {
    assert.ok(files.length > 100, `only ${files.length} source files found under ${SRC}`);
    assert.ok(edges.length > files.length, 'too few imports found: the import pattern no longer matches');
  });

  it('every file lives in a known layer', () => {
    const unknown = [...new Set(files.map(roomOf))].filter((r) => r !== '(top)' && !LAYERS.includes(r as (typeof LAYERS)[number]));
    assert.deepEqual(unknown, []);
  });

  it('imports go down the layers only; only composition roots import adapters', () => {
    const bad = edges.flatMap((e) => {
      const why = violation(roomOf(e.from), roomOf(e.to));
      return why === null ? [] : [`${relative(SRC, e.from)} → ${relative(SRC, e.to)}: ${why}`];
    });
    assert.deepEqual(bad, []);
  });

  it('has no import circle', () => {
    assert.deepEqual(circles(files, edges), []);
  });

  it('the checker itself catches what it should', () => {
    assert.match(violation('run', 'trigger') ?? '', /above/);
    assert.match(violation('run', 'adapters') ?? '', /only/);
    assert.match(violation('adapters', 'pipeline') ?? '', /core\/ only/);
    assert.equal(violation('api', 'adapters'), null);
    assert.equal(violation('run', 'converge'), null);
    const a = join(SRC, 'x/a.ts');
    const b = join(SRC, 'x/b.ts');
    assert.deepEqual(circles([a, b], [{ from: a, to: b }, { from: b, to: a }]), [['x/a.ts', 'x/b.ts']]);
    const known = new Set([b, join(SRC, 'y/index.ts')]);
    assert.deepEqual(importsOf(a, "import type { B } from './b.js';\nexport * from '../y';\n", known), [b, join(SRC, 'y/index.ts')]);
  });
});
