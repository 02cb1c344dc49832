// A service's `volumes` (short "src:dst:ro" and long syntax) and `tmpfs` → StackMounts. Named volumes must be declared
// at the top level; host bind mounts only under a host path an admin allowed (policy.bindRoots).

import { posix } from 'node:path';
import { describeNode, valueOf, type MapNode, type YNode } from '../yaml/node.js';
import { opt, readBool, readBytes, readMode, readStrings, readText, type ComposeContext } from './compose-values.js';
import type { StackMount, StackPolicy } from './model.js';

export function readMounts(volumes: YNode | undefined, tmpfs: YNode | undefined, declared: ReadonlySet<string>, ctx: ComposeContext, where: string): StackMount[] {
  const out: StackMount[] = [];
  if (volumes !== undefined && !(volumes.kind === 'scalar' && volumes.value === null)) {
    if (volumes.kind !== 'seq') ctx.findings.error(volumes.loc, `volumes of ${where} must be a list, got ${describeNode(volumes)}`);
    else {
      for (const item of volumes.items) {
        const m = item.kind === 'map' ? readLong(item, declared, ctx, where) : readShort(item, declared, ctx, where);
        if (m === null) continue;
        if (out.some((o) => o.target === m.target)) ctx.findings.error(item.loc, `${where} mounts two things at ${m.target}`);
        else out.push(m);
      }
    }
  }
  if (tmpfs !== undefined) {
    for (const t of readStrings(tmpfs, ctx, `tmpfs of ${where}`)) {
      // "/run:size=64m,mode=1777": Swarm's tmpfs mount takes size and mode.
      const [target = '', opts = ''] = t.split(/:(.*)/s);
      const size = /(?:^|,)size=([^,]+)/.exec(opts)?.[1];
      const mode = /(?:^|,)mode=([0-7]+)/.exec(opts)?.[1];
      if (!target.startsWith('/')) ctx.findings.error(tmpfs.loc, `tmpfs "${t.slice(0, 40)}" of ${where} must be an absolute path in the container`);
      else out.push({ type: 'tmpfs', target, sizeBytes: size === undefined ? null : sizeOf(size), mode: mode === undefined ? null : parseInt(mode, 8) });
    }
  }
  return out;
}

function readShort(node: YNode, declared: ReadonlySet<string>, ctx: ComposeContext, where: string): StackMount | null {
  const text = readText(node, ctx, `a volume of ${where}`);
  if (text === null) return null;
  const parts = text.split(':');
  if (parts.length > 3 || parts.some((p) => p === '')) {
    ctx.findings.error(node.loc, `volume "${text.slice(0, 60)}" of ${where} is not SOURCE:TARGET[:MODE]`);
    return null;
  }
  if (parts.length === 1) return target(parts[0] as string, node, ctx, where) === null ? null : anonymous(parts[0] as string);
  const [source = '', dst = '', mode = 'rw'] = parts;
  const flags = mode.split(',');
  const unknown = flags.filter((f) => !['ro', 'rw', 'z', 'Z', 'nocopy', 'rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave', 'cached', 'delegated', 'consistent'].includes(f));
  if (unknown.length > 0) ctx.findings.error(node.loc, `volume "${text.slice(0, 60)}" of ${where}: unknown option ${unknown.join(',')}`);
  const readOnly = flags.includes('ro');
  if (target(dst, node, ctx, where) === null) return null;
  if (isHostPath(source)) return bind(source, dst, readOnly, node, ctx, where);
  if (!declared.has(source)) {
    ctx.findings.error(node.loc, `${where} mounts volume "${source}", which the top-level volumes do not declare`, `add it: volumes: { ${source}: {} }`);
    return null;
  }
  return { type: 'volume', source, target: dst, readOnly, noCopy: flags.includes('nocopy') };
}

function readLong(map: MapNode, declared: ReadonlySet<string>, ctx: ComposeContext, where: string): StackMount | null {
  const what = `a volume of ${where}`;
  const type = opt(map, 'type', (n) => readText(n, ctx, `type of ${what}`)) ?? 'volume';
  const dstNode = valueOf(map, 'target');
  const dst = dstNode === undefined ? null : readText(dstNode, ctx, `target of ${what}`);
  if (dst === null || target(dst, dstNode ?? map, ctx, where) === null) {
    if (dstNode === undefined) ctx.findings.error(map.loc, `${what} has no target (the path in the container)`);
    return null;
  }
  const source = opt(map, 'source', (n) => readText(n, ctx, `source of ${what}`));
  const readOnly = opt(map, 'read_only', (n) => readBool(n, ctx, `read_only of ${what}`)) ?? false;
  if (type === 'tmpfs') {
    const t = valueOf(map, 'tmpfs');
    const tm = t !== undefined && t.kind === 'map' ? t : null;
    return {
      type: 'tmpfs', target: dst,
      sizeBytes: tm === null ? null : opt(tm, 'size', (n) => readBytes(n, ctx, `tmpfs.size of ${what}`)),
      mode: tm === null ? null : opt(tm, 'mode', (n) => readMode(n, ctx, `tmpfs.mode of ${what}`)),
    };
  }
  if (type === 'bind') {
    if (source === null) {
      ctx.findings.error(map.loc, `${what} is a bind mount without a source`);
      return null;
    }
    const b = valueOf(map, 'bind');
    if (b !== undefined) ctx.findings.warn(b.loc, `bind options of ${what} are ignored (propagation, selinux, create_host_path)`);
    return bind(source, dst, readOnly, map, ctx, where);
  }
  if (type !== 'volume') {
    ctx.findings.error(valueOf(map, 'type')?.loc ?? map.loc, `${what} has type ${type}, which Slipway stacks do not mount`, 'use a named volume, a tmpfs or an allowed bind mount');
    return null;
  }
  if (source === null) return anonymous(dst);
  if (!declared.has(source)) {
    ctx.findings.error(valueOf(map, 'source')?.loc ?? map.loc, `${where} mounts volume "${source}", which the top-level volumes do not declare`, `add it: volumes: { ${source}: {} }`);
    return null;
  }
  const v = valueOf(map, 'volume');
  const subpath = v !== undefined && v.kind === 'map' ? valueOf(v, 'subpath') : undefined;
  if (subpath !== undefined) {
    // Ignoring it would mount the whole volume where the file expects one folder of it.
    ctx.findings.error(subpath.loc, `volume.subpath of ${what} needs Docker Engine API 1.45, which Slipway does not require`, 'mount the whole volume and use the folder inside it');
    return null;
  }
  const noCopy = v !== undefined && v.kind === 'map' ? opt(v, 'nocopy', (n) => readBool(n, ctx, `volume.nocopy of ${what}`)) ?? false : false;
  return { type: 'volume', source, target: dst, readOnly, noCopy };
}

/** An anonymous volume: source '' (Swarm creates one per task). */
function anonymous(dst: string): StackMount {
  return { type: 'volume', source: '', target: dst, readOnly: false, noCopy: false };
}

function target(dst: string, node: YNode, ctx: ComposeContext, where: string): string | null {
  if (dst.startsWith('/')) return dst;
  ctx.findings.error(node.loc, `${where}: the mount target "${dst.slice(0, 60)}" must be an absolute path in the container`);
  return null;
}

function isHostPath(source: string): boolean {
  return source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
}

function bind(source: string, dst: string, readOnly: boolean, node: YNode, ctx: ComposeContext, where: string): StackMount | null {
  if (source.startsWith('~')) {
    ctx.findings.error(node.loc, `${where} mounts "${source.slice(0, 60)}", a home folder on the host`, 'use a named volume, or an absolute host path an admin allowed for this app');
    return null;
  }
  if (!source.startsWith('/')) {
    ctx.findings.error(node.loc, `${where} mounts "${source.slice(0, 60)}" from the host: the repository's files are not on the server`, 'put the file in a config (top-level configs: { x: { file: ./path } }) or the data in a named volume');
    return null;
  }
  const path = posix.normalize(source).replace(/(.)\/$/, '$1');
  if (!allowed(path, ctx.policy)) {
    ctx.findings.error(node.loc, `${where} mounts the host path ${path.slice(0, 80)}, which is outside the host paths an admin allowed for this app`, ctx.policy.bindRoots.length === 0 ? 'use a named volume; an admin can allow host paths for a trusted app' : `allowed: ${ctx.policy.bindRoots.join(', ')}`);
    return null;
  }
  return { type: 'bind', source: path, target: dst, readOnly };
}

function allowed(path: string, policy: StackPolicy): boolean {
  return policy.bindRoots.some((root) => root === '/' || path === root || path.startsWith(`${root.replace(/\/$/, '')}/`));
}

function sizeOf(text: string): number | null {
  const m = /^([0-9]+)([kmg]?)b?$/i.exec(text);
  if (m === null) return null;
  return Number(m[1]) * ({ '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase()] ?? 1);
}
