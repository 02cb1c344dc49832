// Where the source sits inside every container: /drone/src, /woodpecker/src or /workspace unless the file says
// otherwise (Drone: base joined with path; Woodpecker: base + path; Slipway: path, absolute or under /workspace).

import { posix } from 'node:path';
import type { SourceLocation } from '../core/plan.js';
import type { YNode } from '../yaml/node.js';
import { checkAllowed, clip } from './keys.js';
import { readMap, readNonEmptyString, type ReadContext } from './read-values.js';
import type { Dialect } from './source.js';

export const DEFAULT_WORKSPACE: Readonly<Record<Dialect, string>> = {
  drone: '/drone/src',
  woodpecker: '/woodpecker/src',
  slipway: '/workspace',
};

/** Mounting the workspace over these would break the container itself. */
const RESERVED = new Set(['/', '/bin', '/sbin', '/lib', '/usr', '/etc', '/dev', '/proc', '/sys', '/tmp', '/var', '/root', '/home']);

export function readWorkspace(node: YNode | undefined, ctx: ReadContext): string {
  const fallback = DEFAULT_WORKSPACE[ctx.dialect];
  if (node === undefined) return fallback;
  const map = readMap(node, ctx, 'workspace');
  if (map === null) return fallback;
  const allowed = ctx.dialect === 'slipway' ? ['path'] : ['base', 'path'];
  checkAllowed(map, allowed, ctx, 'workspace');
  const part = (key: string): string | null => {
    const v = map.entries.find((e) => e.key === key)?.value;
    return v === undefined || !allowed.includes(key) ? null : readNonEmptyString(v, ctx, `workspace ${key}`);
  };
  const base = part('base');
  const path = part('path');
  let full: string;
  if (ctx.dialect === 'drone') full = posix.join(base ?? '/drone/src', path ?? '');
  else if (ctx.dialect === 'woodpecker') full = posix.join(base ?? '/woodpecker', path ?? 'src');
  else full = path === null ? fallback : posix.join(path.startsWith('/') ? '' : '/workspace', path);
  return check(full, [base, path], map.loc, ctx) ? full.replace(/\/+$/, '') || '/' : fallback;
}

function check(full: string, parts: readonly (string | null)[], loc: SourceLocation, ctx: ReadContext): boolean {
  if (parts.some((p) => p !== null && p.split('/').includes('..'))) {
    ctx.findings.error(loc, 'workspace must not contain ".."');
    return false;
  }
  if (!full.startsWith('/') || RESERVED.has(full.replace(/\/+$/, '') || '/')) {
    ctx.findings.error(loc, `workspace "${clip(full)}" cannot be used`, 'choose an absolute directory of its own, e.g. /go/src/app');
    return false;
  }
  return true;
}
