// Reads `when` (steps, Woodpecker/Slipway pipelines) and `trigger` (Drone pipelines): a map is one condition, a list
// is several (OR); each condition's filters must all match (AND). Include/exclude forms are accepted everywhere.

import type { RunEvent } from '../core/plan.js';
import { suggestion } from '../yaml/findings.js';
import type { MapNode, YNode } from '../yaml/node.js';
import { BUILTIN_NAMES } from './env.js';
import { eventNames, eventsOf } from './events.js';
import { checkGlob } from './glob.js';
import { checkAllowed, checkKeys, clip, keyTable } from './keys.js';
import { ALWAYS, type Condition, type Filter, type GlobFilter, type When } from './model.js';
import { readBool, readMap, readString, readStringList, type ReadContext } from './read-values.js';
import { referencedNames } from './substitute.js';

const GLOB_FIELDS: Readonly<Record<string, GlobFilter['field']>> = {
  branch: 'branch',
  ref: 'ref',
  tag: 'tag',
  cron: 'cron',
  target: 'target',
  environment: 'target',
};

export function readWhen(node: YNode | undefined, ctx: ReadContext, level: 'condition' | 'trigger', where: string): When {
  if (node === undefined || (node.kind === 'scalar' && node.value === null)) return ALWAYS;
  const items = node.kind === 'seq' ? node.items : [node];
  const conditions: Condition[] = [];
  for (const item of items) {
    const map = readMap(item, ctx, `each condition of ${where}`);
    if (map !== null) conditions.push(readCondition(map, ctx, level, where));
  }
  return { conditions };
}

function readCondition(map: MapNode, ctx: ReadContext, level: 'condition' | 'trigger', where: string): Condition {
  checkKeys(map, keyTable(ctx.dialect, level), ctx, where);
  const filters: Filter[] = [];
  let status: ('success' | 'failure')[] | null = null;
  for (const { key, value } of map.entries) {
    const globField = GLOB_FIELDS[key];
    if (globField !== undefined && Object.hasOwn(keyTable(ctx.dialect, level), key)) {
      const c = readConstraint(value, ctx, `${where} ${key}`, true);
      if (c !== null) filters.push({ field: globField, ...c, loc: value.loc });
    } else if (key === 'event') {
      const f = readEvents(value, ctx, where);
      if (f !== null) filters.push(f);
    } else if (key === 'path' || key === 'paths') {
      const f = readPaths(value, ctx, `${where} ${key}`);
      if (f !== null) filters.push(f);
    } else if (key === 'matrix') {
      const f = readMatrixFilter(value, ctx, where);
      if (f !== null) filters.push(f);
    } else if (key === 'status') {
      status = readStatus(value, ctx, where);
    }
  }
  return { filters, status, loc: map.loc };
}

/** string | [string] | { include, exclude }, as both tools accept for every filter. */
function readConstraint(node: YNode, ctx: ReadContext, what: string, globs: boolean): { include: string[]; exclude: string[] } | null {
  let include: string[] | null;
  let exclude: string[] = [];
  if (node.kind === 'map') {
    checkAllowed(node, ['include', 'exclude'], ctx, what);
    const inc = node.entries.find((e) => e.key === 'include');
    const exc = node.entries.find((e) => e.key === 'exclude');
    include = inc === undefined ? [] : readStringList(inc.value, ctx, `${what} include`);
    exclude = (exc === undefined ? [] : readStringList(exc.value, ctx, `${what} exclude`)) ?? [];
  } else {
    include = readStringList(node, ctx, what);
  }
  if (include === null) return null;
  if (globs) {
    for (const p of [...include, ...exclude]) {
      const problem = checkGlob(p);
      if (problem !== null) ctx.findings.error(node.loc, `${what}: ${problem}`);
      checkVariables(p, node, ctx, what);
    }
  }
  return { include, exclude };
}

/** Conditions are substituted like the rest of the file; a CI variable Slipway cannot fill would never match. */
function checkVariables(pattern: string, node: YNode, ctx: ReadContext, what: string): void {
  for (const name of referencedNames(pattern)) {
    if (/^(CI|DRONE)_/.test(name) && !BUILTIN_NAMES.has(name)) {
      ctx.findings.warn(node.loc, `${what}: Slipway does not set ${name}, so "${clip(pattern)}" is compared as written`, 'write the value itself, e.g. `branch: main`');
    }
  }
}

function readEvents(node: YNode, ctx: ReadContext, where: string): Filter | null {
  const c = readConstraint(node, ctx, `${where} event`, false);
  if (c === null) return null;
  const map = (names: string[]): RunEvent[] => {
    const out: RunEvent[] = [];
    for (const name of names) {
      const events = eventsOf(ctx.dialect, name);
      if (events === null) {
        ctx.findings.error(node.loc, `unknown event "${clip(name)}"${suggestion(name, eventNames(ctx.dialect))}`, `events: ${eventNames(ctx.dialect).join(', ')}`);
      } else if (events.length === 0) {
        ctx.findings.warn(node.loc, `event "${name}" never happens in Slipway`);
      }
      out.push(...(events ?? []));
    }
    return out;
  };
  return { field: 'event', include: map(c.include), exclude: map(c.exclude), written: c.include, loc: node.loc };
}

function readPaths(node: YNode, ctx: ReadContext, what: string): Filter | null {
  if (node.kind !== 'map') {
    const c = readConstraint(node, ctx, what, true);
    return c === null ? null : { field: 'path', ...c, ignoreMessage: null, onEmpty: true, loc: node.loc };
  }
  checkAllowed(node, ['include', 'exclude', 'ignore_message', 'on_empty'], ctx, what);
  const rest: MapNode = { ...node, entries: node.entries.filter((e) => e.key === 'include' || e.key === 'exclude') };
  const c = readConstraint(rest, ctx, what, true);
  const ignore = node.entries.find((e) => e.key === 'ignore_message');
  const onEmpty = node.entries.find((e) => e.key === 'on_empty');
  if (c === null) return null;
  return {
    field: 'path',
    ...c,
    ignoreMessage: ignore === undefined ? null : readString(ignore.value, ctx, `${what} ignore_message`),
    onEmpty: onEmpty === undefined ? true : readBool(onEmpty.value, ctx, `${what} on_empty`) ?? true,
    loc: node.loc,
  };
}

function readMatrixFilter(node: YNode, ctx: ReadContext, where: string): Filter | null {
  const map = readMap(node, ctx, `${where} matrix`);
  if (map === null) return null;
  const pairs = (m: MapNode): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const e of m.entries) {
      const v = readString(e.value, ctx, `${where} matrix ${e.key}`);
      if (v !== null) out[e.key] = v;
    }
    return out;
  };
  const inc = map.entries.find((e) => e.key === 'include');
  const exc = map.entries.find((e) => e.key === 'exclude');
  if (inc === undefined && exc === undefined) return { field: 'matrix', include: pairs(map), exclude: {}, loc: node.loc };
  checkAllowed(map, ['include', 'exclude'], ctx, `${where} matrix`);
  const incMap = inc === undefined ? null : readMap(inc.value, ctx, `${where} matrix include`);
  const excMap = exc === undefined ? null : readMap(exc.value, ctx, `${where} matrix exclude`);
  return { field: 'matrix', include: incMap ? pairs(incMap) : {}, exclude: excMap ? pairs(excMap) : {}, loc: node.loc };
}

function readStatus(node: YNode, ctx: ReadContext, where: string): ('success' | 'failure')[] | null {
  const c = readConstraint(node, ctx, `${where} status`, false);
  if (c === null) return null;
  if (c.exclude.length > 0) ctx.findings.error(node.loc, `${where} status: exclude is not supported`, 'list the statuses to run on');
  const out = statusValues(c.include, node, ctx);
  return out.length > 0 ? out : null;
}

/** success and failure, each once, in the order written; anything else is an error at `node`. */
export function statusValues(values: readonly string[], node: YNode, ctx: ReadContext): ('success' | 'failure')[] {
  const out: ('success' | 'failure')[] = [];
  for (const s of values) {
    if (s === 'success' || s === 'failure') {
      if (!out.includes(s)) out.push(s);
    } else {
      ctx.findings.error(node.loc, `unknown status "${clip(s)}"${suggestion(s, ['success', 'failure'])}`, 'status is success or failure');
    }
  }
  return out;
}

/** Woodpecker's legacy top-level `branches:`, ANDed into every condition of the workflow's `when`. */
export function withLegacyBranches(when: When, node: YNode, ctx: ReadContext): When {
  const c = readConstraint(node, ctx, 'branches', true);
  if (c === null) return when;
  const filter: Filter = { field: 'branch', ...c, loc: node.loc };
  if (when.conditions.length === 0) return { conditions: [{ filters: [filter], status: null, loc: node.loc }] };
  return { conditions: when.conditions.map((cond) => ({ ...cond, filters: [...cond.filters, filter] })) };
}
