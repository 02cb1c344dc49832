// Any shape in any place: the reader reports findings and never throws (every value of the full fixture replaced in
// turn by a list, a map, null, a number, a boolean and a string with a variable).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { toPlain } from '../yaml/node.js';
import { parseYaml } from '../yaml/parse.js';
import { readComposeFiles } from './compose.js';

const text = readFileSync(new URL('./fixtures/full.yaml', import.meta.url), 'utf8');
const doc = toPlain(parseYaml({ path: 'f', text }).documents[0] ?? { kind: 'scalar', value: null, text: '', loc: { file: 'f', line: 1, column: 1 } });
const REPLACEMENTS: readonly unknown[] = [[], {}, null, 7, true, '${X:-}', ['a', { b: [1] }], { a: { b: null } }];

/** Every path to a value of the plain document. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

function replaced(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(root)) return root.map((v, i) => (i === head ? replaced(v, rest, value) : v));
  const obj = root as Record<string, unknown>;
  return { ...obj, [head]: replaced(obj[head], rest, value) };
}

describe('compose reader on mangled files', () => {
  it('never throws, and refuses or accepts with findings that all have a position', { timeout: 120_000 }, () => {
    const all = paths(doc);
    assert.ok(all.length > 150, `${all.length} paths`);
    let refused = 0;
    // Each path gets a third of the replacements (all of them took 12 s of CPU; every one was tried once: no throw).
    for (const [path, value] of all.flatMap((p, i) => REPLACEMENTS.filter((_, j) => (i + j) % 3 === 0).map((v) => [p, v] as const))) {
      const mangled = stringify(replaced(doc, path, value));
      const r = readComposeFiles([{ path: 'deploy/stack.yml', text: mangled }], { SLIPWAY_IMAGE: 'img', API_TOKEN: 't' }, { trusted: false, bindRoots: ['/srv/shop'] }, { readRepoFile: () => 'A=1\n' });
      for (const f of r.findings) assert.ok(f.location.line >= 1 && f.location.column >= 1, JSON.stringify(f));
      if (r.stack === null) refused++;
    }
    assert.ok(refused > 0);
  });
});
