// Typed readers for compose values (strings, argv, KEY=value pairs, durations, sizes, counts): each reports a finding
// at the value and returns null, so one read shows every problem of the file. Variables were replaced before
// (interpolate-tree.ts): these never interpolate again, so `$$` stays a literal `$`.

import type { Findings } from '../yaml/findings.js';
import { describeNode, valueOf, type MapNode, type YNode } from '../yaml/node.js';
import type { ComposeVariables, StackPolicy } from './model.js';
import { splitWords } from './words.js';

export interface ComposeContext {
  readonly findings: Findings;
  /** Slipway's variables over the `.env` file's: what `${VAR}` and a bare `- KEY` in environment read. */
  readonly vars: ComposeVariables;
  /** The variables Slipway gave (the app's settings), without `.env`'s. */
  readonly appVars: ComposeVariables;
  readonly policy: StackPolicy;
  readonly readRepoFile: (path: string) => string | null;
}

/** A scalar as a string (numbers and booleans as written). */
export function readText(node: YNode, ctx: ComposeContext, what: string): string | null {
  if (node.kind !== 'scalar' || node.value === null) {
    ctx.findings.error(node.loc, `${what} must be a string, got ${describeNode(node)}`);
    return null;
  }
  return node.text;
}

/** A string, or a list of strings (dns, dns_search, env_file …). */
export function readStrings(node: YNode, ctx: ComposeContext, what: string): string[] {
  if (node.kind === 'seq') return node.items.map((i) => readText(i, ctx, `each item of ${what}`)).filter((t): t is string => t !== null);
  const one = readText(node, ctx, what);
  return one === null ? [] : [one];
}

export function readBool(node: YNode, ctx: ComposeContext, what: string): boolean | null {
  if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
  if (node.kind === 'scalar' && /^(true|false)$/i.test(node.text)) return node.text.toLowerCase() === 'true';
  ctx.findings.error(node.loc, `${what} must be true or false, got ${describeNode(node)}`);
  return null;
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

/**
 * `environment`/`labels`/`sysctls`: a map, or a list of KEY=value. A name without a value takes the variable of
 * that name (Slipway's or `.env`'s) for 'vars' (environment: compose takes it from the shell), is "" for 'empty'
 * (labels, as compose reads them), and is an error otherwise.
 */
export function readPairs(node: YNode, ctx: ComposeContext, what: string, bare: 'vars' | 'empty' | 'error' = 'error'): Record<string, string> {
  const fromVars = bare === 'vars';
  const out: Record<string, string> = {};
  const put = (key: string, value: string | null, at: YNode) => {
    if (value === null) return;
    if (Object.hasOwn(out, key)) ctx.findings.error(at.loc, `${what} ${key} is given twice`);
    out[key] = value;
  };
  const noValue = (key: string, at: YNode) => {
    if (bare === 'empty') return put(key, '', at);
    const v = fromVars && Object.hasOwn(ctx.vars, key) ? ctx.vars[key] : undefined;
    if (typeof v === 'string') return put(key, v, at);
    ctx.findings.error(at.loc, `${what} ${key} has no value`, fromVars ? `give it one, or set ${key} in the app's settings or the .env file` : 'give it one');
  };
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

/** A whole number (a string of digits too: interpolated values are strings). */
export function readCount(node: YNode, ctx: ComposeContext, what: string, max: number): number | null {
  const n = node.kind === 'scalar' && /^[0-9]+$/.test(node.text) ? Number(node.text) : NaN;
  if (Number.isInteger(n) && n >= 0 && n <= max) return n;
  ctx.findings.error(node.loc, `${what} must be a whole number from 0 to ${max}, got ${node.kind === 'scalar' && node.value !== null ? `"${node.text.slice(0, 20)}"` : describeNode(node)}`);
  return null;
}

/** A number ≥ 0 (max_failure_ratio, cpus). */
export function readNumber(node: YNode, ctx: ComposeContext, what: string, max: number): number | null {
  const n = node.kind === 'scalar' && /^[0-9]+(\.[0-9]+)?$|^\.[0-9]+$/.test(node.text) ? Number(node.text) : NaN;
  if (Number.isFinite(n) && n >= 0 && n <= max) return n;
  ctx.findings.error(node.loc, `${what} must be a number from 0 to ${max}, got ${node.kind === 'scalar' ? `"${node.text.slice(0, 20)}"` : describeNode(node)}`);
  return null;
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4 };

/** A byte size as compose reads it (`512M`, `1g`, `1.5gb`, a plain number of bytes): units are powers of 1024. */
export function readBytes(node: YNode, ctx: ComposeContext, what: string): number | null {
  const m = node.kind === 'scalar' ? /^([0-9]+(?:\.[0-9]+)?)\s*([a-z]*)$/i.exec(node.text.trim()) : null;
  const unit = SIZE_UNITS[(m?.[2] ?? 'x').toLowerCase()];
  if (m === null || unit === undefined) {
    ctx.findings.error(node.loc, `${what} must be a size such as 512M or 1G, got ${node.kind === 'scalar' ? `"${node.text.slice(0, 20)}"` : describeNode(node)}`);
    return null;
  }
  return Math.round(Number(m[1]) * unit);
}

/** A file mode: YAML's 0440 is octal for compose (go-yaml reads a leading 0 as octal), as is 0o440. */
export function readMode(node: YNode, ctx: ComposeContext, what: string): number | null {
  const t = node.kind === 'scalar' ? node.text : '';
  const octal = /^0o?([0-7]+)$/.exec(t);
  const n = octal !== null ? parseInt(octal[1] ?? '', 8) : /^[0-9]+$/.test(t) ? Number(t) : NaN;
  if (Number.isInteger(n) && n >= 0 && n <= 0o7777) return n;
  ctx.findings.error(node.loc, `${what} must be a file mode such as 0440, got ${node.kind === 'scalar' ? `"${t.slice(0, 20)}"` : describeNode(node)}`);
  return null;
}

/** The value of `key` read with `read` when the key is there and not null. */
export function opt<T>(map: MapNode, key: string, read: (node: YNode) => T | null): T | null {
  const node = valueOf(map, key);
  return node === undefined || (node.kind === 'scalar' && node.value === null) ? null : read(node);
}

/** A map node, or an error saying what was expected. */
export function asMap(node: YNode, ctx: ComposeContext, what: string): MapNode | null {
  if (node.kind === 'map') return node;
  ctx.findings.error(node.loc, `${what} must be a map, got ${describeNode(node)}`);
  return null;
}
