// What a service points at by top-level key: configs and secrets (short "name" and long syntax, compose's default
// targets filled in) and networks (list or map with aliases). An undeclared key is an error, as in compose.

import { posix } from 'node:path';
import { describeNode, valueOf, type YNode } from '../yaml/node.js';
import { opt, readMode, readStrings, readText, type ComposeContext } from './compose-values.js';
import type { StackFileRef, StackServiceNetwork } from './model.js';

export function readFileRefs(node: YNode, kind: 'configs' | 'secrets', declared: ReadonlySet<string>, ctx: ComposeContext, where: string): StackFileRef[] {
  if (node.kind !== 'seq') {
    ctx.findings.error(node.loc, `${kind} of ${where} must be a list, got ${describeNode(node)}`);
    return [];
  }
  const out: StackFileRef[] = [];
  for (const item of node.items) {
    const what = `an item of ${kind} of ${where}`;
    const long = item.kind === 'map' ? item : null;
    const sourceNode = long === null ? item : valueOf(long, 'source');
    const source = sourceNode === undefined ? null : readText(sourceNode, ctx, `source of ${what}`);
    if (source === null) {
      if (sourceNode === undefined) ctx.findings.error(item.loc, `${what} has no source`);
      continue;
    }
    if (!declared.has(source)) {
      ctx.findings.error(sourceNode?.loc ?? item.loc, `${where} uses ${kind === 'configs' ? 'config' : 'secret'} "${source}", which the top-level ${kind} do not declare`);
      continue;
    }
    const given = long === null ? null : opt(long, 'target', (n) => readText(n, ctx, `target of ${what}`));
    // Compose's defaults: a config at /<name>, a secret at /run/secrets/<name>; a relative secret target goes there too.
    const base = kind === 'secrets' ? '/run/secrets' : '/';
    const target = given === null ? posix.join(base, source) : given.startsWith('/') ? given : posix.join(base, given);
    const text = (key: string) => (long === null ? null : opt(long, key, (n) => readText(n, ctx, `${key} of ${what}`)));
    const ref = { source, target, uid: text('uid'), gid: text('gid'), mode: long === null ? null : opt(long, 'mode', (n) => readMode(n, ctx, `mode of ${what}`)) };
    if (out.some((o) => o.target === ref.target)) ctx.findings.error(item.loc, `${where} puts two ${kind} at ${ref.target}`);
    else out.push(ref);
  }
  return out;
}

export function readServiceNetworks(node: YNode, declared: ReadonlySet<string>, ctx: ComposeContext, where: string): StackServiceNetwork[] {
  const out: StackServiceNetwork[] = [];
  const add = (network: string, aliases: string[], at: YNode) => {
    if (network !== 'default' && !declared.has(network)) {
      ctx.findings.error(at.loc, `${where} joins network "${network}", which the top-level networks do not declare`, `add it: networks: { ${network}: {} }`);
      return;
    }
    out.push({ network, aliases });
  };
  if (node.kind === 'seq') {
    for (const item of node.items) {
      const name = readText(item, ctx, `an item of networks of ${where}`);
      if (name !== null) add(name, [], item);
    }
  } else if (node.kind === 'map') {
    for (const e of node.entries) {
      const settings = e.value;
      const aliasNode = settings.kind === 'map' ? valueOf(settings, 'aliases') : undefined;
      const aliases = aliasNode === undefined ? [] : readStrings(aliasNode, ctx, `aliases of network ${e.key} of ${where}`);
      if (settings.kind === 'map') {
        for (const k of ['ipv4_address', 'ipv6_address', 'link_local_ips', 'mac_address', 'priority', 'gw_priority', 'driver_opts', 'interface_name']) {
          const n = valueOf(settings, k);
          if (n !== undefined) ctx.findings.warn(n.loc, `${where}: ${k} of network ${e.key} is ignored by Swarm`);
        }
      } else if (!(settings.kind === 'scalar' && settings.value === null)) {
        ctx.findings.error(settings.loc, `network ${e.key} of ${where} must be a map or empty, got ${describeNode(settings)}`);
        continue;
      }
      add(e.key, aliases, settings.kind === 'map' ? settings : { ...settings, loc: e.keyLoc });
    }
  } else {
    ctx.findings.error(node.loc, `networks of ${where} must be a list or a map, got ${describeNode(node)}`);
  }
  return out;
}
