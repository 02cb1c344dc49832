// Typed readers for compose values (strings with variables, argv, KEY=value pairs, durations, counts): each reports
// a finding at the value and returns null, so one read shows every problem of the file.

import type { Findings } from '../yaml/findings.js';
import { describeNode, type YNode } from '../yaml/node.js';
import { interpolate } from './interpolate.js';
import type { ComposeVariables } from './model.js';
import { splitWords } from './words.js';

export interface ComposeContext {
  readonly findings: Findings;
  readonly vars: ComposeVariables;
}

/** A scalar as a string, variables replaced. */
export function readText(node: YNode, ctx: ComposeContext, what: string): string | null {
  if (node.kind !== 'scalar' || node.value === null) {
    ctx.findings.error(node.loc, `${what} must be a string, got ${describeNode(node)}`);
    return null;
  }
  const r = interpolate(node.text, ctx.vars);
  if ('error' in r) {
    ctx.findings.error(node.loc, `${what}: ${r.error}`);
    return null;
  }
  return r.value;
}

/** `command`/`entrypoint`: a list (exact argv) or a string split like compose splits it. */
export function readArgv(node: YNode, ctx: ComposeContext, what: string): string[] | null {
  let argv: string[] | null;
  if (node.kind === 'seq') {
    const items = node.items.map((item) => readText(item, ctx, `each item of ${what}`));
    argv = items.every((i): i is string => i !== null) ? items : null;
  } else {
    const text = readText(node, ctx, what);
    const split = text === null ? null : splitWords(text);
    if (split !== null && 'error' in split) ctx.findings.error(node.loc, `${what}: ${split.error}`);
    argv = split !== null && 'words' in split ? split.words : null;
  }
  if (argv !== null && argv.length === 0) {
    // Compose reads an empty command as "clear the image's"; a Swarm service cannot say that (empty = the image's).
    ctx.findings.error(node.loc, `${what} is empty`, 'give the command to run, or leave the key out to keep the image\'s');
    return null;
  }
  return argv;
}

/** `environment`/`labels`: a map, or a list of KEY=value. */
export function readPairs(node: YNode, ctx: ComposeContext, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (key: string, value: string | null, at: YNode) => {
    if (value === null) return;
    if (Object.hasOwn(out, key)) ctx.findings.error(at.loc, `${what} ${key} is given twice`);
    out[key] = value;
  };
  const noValue = (key: string, at: YNode) =>
    ctx.findings.error(at.loc, `${what} ${key} has no value`, 'give it one: Slipway has no shell environment to take it from');
  if (node.kind === 'map') {
    for (const e of node.entries) {
      if (e.value.kind === 'scalar' && e.value.value === null) noValue(e.key, e.value);
      else put(e.key, readText(e.value, ctx, `${what} ${e.key}`), e.value);
    }
  } else if (node.kind === 'seq') {
    for (const item of node.items) {
      const text = readText(item, ctx, `each item of ${what}`);
      if (text === null) continue;
      const eq = text.indexOf('=');
      if (eq < 0) noValue(text, item);
      else if (eq === 0) ctx.findings.error(item.loc, `an item of ${what} has no name before "="`);
      else put(text.slice(0, eq), text.slice(eq + 1), item);
    }
  } else {
    ctx.findings.error(node.loc, `${what} must be a map or a list of KEY=value, got ${describeNode(node)}`);
  }
  return out;
}

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration as compose writes them (`1m30s`, `500ms`); null for 0 (Docker's default then applies). */
export function readDuration(node: YNode, ctx: ComposeContext, what: string): number | null {
  const text = readText(node, ctx, what);
  if (text === null) return null;
  const parts = [...text.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (text === '' || parts.map((p) => p[0]).join('') !== text) {
    ctx.findings.error(node.loc, `${what} "${text.slice(0, 40)}" is not a duration`, 'write e.g. 10s, 1m30s or 500ms');
    return null;
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] ?? ''] ?? 0), 0);
  if (ms > 0 && ms < 1) {
    ctx.findings.error(node.loc, `${what} must be at least 1ms`);
    return null;
  }
  return ms === 0 ? null : Math.round(ms);
}

export function readCount(node: YNode, ctx: ComposeContext, what: string, max: number): number | null {
  if (node.kind === 'scalar' && typeof node.value === 'number' && Number.isInteger(node.value) && node.value >= 0 && node.value <= max) {
    return node.value;
  }
  ctx.findings.error(node.loc, `${what} must be a whole number from 0 to ${max}, got ${node.kind === 'scalar' && node.value !== null ? `"${node.text.slice(0, 20)}"` : describeNode(node)}`);
  return null;
}
