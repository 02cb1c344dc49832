// Matrix pipelines: `matrix:` axes (one run per combination) or Woodpecker's `include:` list of combinations.

import type { YNode } from '../yaml/node.js';
import { clip } from './keys.js';
import type { MatrixModel } from './model.js';
import { readMap, readString, type ReadContext } from './read-values.js';

/** Woodpecker caps matrices too; past this a file is more likely a mistake than a test grid. */
export const MAX_COMBINATIONS = 64;
const AXIS_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function readMatrix(node: YNode, ctx: ReadContext): MatrixModel | null {
  const map = readMap(node, ctx, 'matrix');
  if (map === null) return null;
  const axes: [string, string[]][] = [];
  const include: Record<string, string>[] = [];
  for (const e of map.entries) {
    if (e.key === 'include') {
      const items = e.value.kind === 'seq' ? e.value.items : [];
      if (e.value.kind !== 'seq') ctx.findings.error(e.value.loc, 'matrix include must be a list of maps');
      for (const item of items) {
        const combo = readCombination(item, ctx);
        if (combo !== null) include.push(combo);
      }
      continue;
    }
    if (!AXIS_NAME.test(e.key)) ctx.findings.error(e.keyLoc, `matrix axis "${clip(e.key)}" must be a valid environment variable name`);
    const values = e.value.kind === 'seq' ? e.value.items.map((i) => readString(i, ctx, `matrix ${clip(e.key)} value`)) : null;
    if (values === null || values.length === 0) ctx.findings.error(e.value.loc, `matrix ${clip(e.key)} must be a non-empty list of values`);
    else axes.push([e.key, values.filter((v): v is string => v !== null)]);
  }
  if (axes.length > 0 && include.length > 0) ctx.findings.error(map.loc, 'matrix has both axes and include', 'list every combination under include, or use axes only');
  const count = include.length > 0 ? include.length : axes.reduce((n, [, v]) => n * v.length, 1);
  if (count > MAX_COMBINATIONS) ctx.findings.error(map.loc, `matrix has ${count} combinations, more than ${MAX_COMBINATIONS}`);
  if (axes.length === 0 && include.length === 0) return null;
  return { axes, include, loc: map.loc };
}

function readCombination(node: YNode, ctx: ReadContext): Record<string, string> | null {
  const map = readMap(node, ctx, 'each matrix include item');
  if (map === null) return null;
  const out: Record<string, string> = {};
  for (const e of map.entries) {
    if (!AXIS_NAME.test(e.key)) ctx.findings.error(e.keyLoc, `matrix axis "${clip(e.key)}" must be a valid environment variable name`);
    const v = readString(e.value, ctx, `matrix ${clip(e.key)} value`);
    if (v !== null) out[e.key] = v;
  }
  return out;
}

/** Every combination, in file order; [null] for a pipeline without matrix. */
export function expandMatrix(matrix: MatrixModel | null): (Readonly<Record<string, string>> | null)[] {
  if (matrix === null) return [null];
  if (matrix.include.length > 0) return [...matrix.include];
  let combos: Record<string, string>[] = [{}];
  for (const [axis, values] of matrix.axes) {
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [axis]: v })));
    if (combos.length > MAX_COMBINATIONS) return combos.slice(0, MAX_COMBINATIONS);
  }
  return combos;
}

/** "test (GO=1.22, DB=postgres)". */
export function matrixName(name: string, combo: Readonly<Record<string, string>> | null): string {
  if (combo === null) return name;
  return `${name} (${Object.entries(combo).map(([k, v]) => `${k}=${v}`).join(', ')})`;
}

