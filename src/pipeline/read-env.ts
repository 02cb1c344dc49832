// Reads `environment` (values or `from_secret`), plugin `settings` and Woodpecker's legacy `secrets` list.

import type { SourceLocation } from '../core/plan.js';
import { describeNode, toPlain, type YNode } from '../yaml/node.js';
import { clip } from './keys.js';
import type { EnvEntry, Setting } from './model.js';
import { readMap, readNonEmptyString, readString, type ReadContext } from './read-values.js';

/** `{ from_secret: name }` → the name; null when the node is not a secret reference. */
function secretRef(node: YNode, ctx: ReadContext, what: string): { secret: string; loc: SourceLocation } | null {
  if (node.kind !== 'map' || !node.entries.some((e) => e.key === 'from_secret')) return null;
  for (const e of node.entries) {
    if (e.key !== 'from_secret') ctx.findings.error(e.keyLoc, `unknown key "${clip(e.key)}" next to from_secret in ${what}`);
  }
  const value = node.entries.find((e) => e.key === 'from_secret')?.value;
  const secret = value === undefined ? null : readNonEmptyString(value, ctx, `${what} from_secret`);
  return secret === null ? { secret: '', loc: node.loc } : { secret, loc: value?.loc ?? node.loc };
}

/** Docker rejects these in variable names; everything else Drone and Woodpecker pass through. */
const BAD_ENV_NAME = /[=\s\0]/;

export function readEnvironment(node: YNode, ctx: ReadContext, where: string): EnvEntry[] {
  if (node.kind === 'scalar' && node.value === null) return [];
  const map = readMap(node, ctx, `environment of ${where}`);
  if (map === null) return [];
  const out: EnvEntry[] = [];
  for (const e of map.entries) {
    if (e.key === '' || BAD_ENV_NAME.test(e.key)) {
      ctx.findings.error(e.keyLoc, `invalid environment variable name "${clip(e.key)}"`);
      continue;
    }
    const ref = secretRef(e.value, ctx, `environment ${e.key}`);
    if (ref !== null) {
      out.push({ name: e.key, value: { kind: 'secret', secret: ref.secret, loc: ref.loc } });
    } else if (e.value.kind === 'scalar') {
      out.push({ name: e.key, value: { kind: 'plain', value: e.value.text } });
    } else {
      ctx.findings.error(e.value.loc, `environment ${clip(e.key)} must be a string or { from_secret: name }, got ${describeNode(e.value)}`);
    }
  }
  return out;
}

export function readSettings(node: YNode, ctx: ReadContext, where: string): Setting[] {
  if (node.kind === 'scalar' && node.value === null) return [];
  const map = readMap(node, ctx, `settings of ${where}`);
  if (map === null) return [];
  const out: Setting[] = [];
  for (const e of map.entries) {
    const ref = secretRef(e.value, ctx, `setting ${e.key}`);
    if (ref !== null) {
      out.push({ key: e.key, value: { kind: 'secret', secret: ref.secret, loc: ref.loc } });
      continue;
    }
    const nested = findNestedSecret(e.value);
    if (nested !== null) {
      // A secret inside a JSON-encoded setting would have to be spliced in at run time: the plan has no place for it.
      ctx.findings.error(nested, `from_secret inside a list or map setting is not supported by Slipway`, `give the secret its own setting: ${e.key}_<part>: { from_secret: … }`);
      continue;
    }
    out.push({ key: e.key, value: { kind: 'data', data: toPlain(e.value) } });
  }
  return out;
}

function findNestedSecret(node: YNode): SourceLocation | null {
  if (node.kind === 'scalar') return null;
  if (node.kind === 'map' && node.entries.some((e) => e.key === 'from_secret')) return node.loc;
  const children = node.kind === 'seq' ? node.items : node.entries.map((e) => e.value);
  for (const c of children) {
    const found = findNestedSecret(c);
    if (found !== null) return found;
  }
  return null;
}

/** Woodpecker ≤ 2: `secrets: [name]` or `[{ source, target }]`, exposed as the upper-cased target name. */
export function readLegacySecrets(node: YNode, ctx: ReadContext, where: string): EnvEntry[] {
  const items = node.kind === 'seq' ? node.items : [node];
  const out: EnvEntry[] = [];
  for (const item of items) {
    if (item.kind === 'map') {
      const source = item.entries.find((e) => e.key === 'source');
      const target = item.entries.find((e) => e.key === 'target');
      const s = source ? readNonEmptyString(source.value, ctx, `secrets source in ${where}`) : null;
      const t = target ? readNonEmptyString(target.value, ctx, `secrets target in ${where}`) : s;
      if (s === null || t === null) ctx.findings.error(item.loc, `each secret in ${where} needs a source`);
      else out.push({ name: t.toUpperCase(), value: { kind: 'secret', secret: s, loc: source?.value.loc ?? item.loc } });
    } else {
      const s = readString(item, ctx, `each item of secrets in ${where}`);
      if (s !== null) out.push({ name: s.toUpperCase(), value: { kind: 'secret', secret: s, loc: item.loc } });
    }
  }
  return out;
}
