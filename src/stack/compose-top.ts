// The top-level networks, volumes, configs and secrets of a compose file → the model's declarations. Only overlay
// networks exist on Swarm; config and secret files are paths in the repository (never outside it).

import type { MapNode, YNode } from '../yaml/node.js';
import { describeNode, valueOf } from '../yaml/node.js';
import { resolveRepoPath } from './compose-paths.js';
import { opt, readBool, readPairs, readText, type ComposeContext } from './compose-values.js';
import type { StackFileObject, StackFileSource, StackNetwork, StackVolume } from './model.js';

/** Network names that are the host's own: joining them gives a service the host's network or bypasses the stack's. */
const HOST_NETWORKS = new Set(['host', 'bridge', 'docker_gwbridge', 'ingress']);

/** Labels Slipway sets itself to find and name the stack's objects: a file may not set them (it could pose as another's). */
const RESERVED_LABELS = /^(io\.slipway\.|com\.docker\.stack\.)/;

const TRUST_HINT = 'no admin setting trusts an app with this yet; use the stack\'s own objects (declared without external)';

/**
 * An external object of an untrusted app is refused: its name can be another app's volume, secret or network, or
 * Slipway's own (the edge's), and Swarm lets any service use them (issue 13 review).
 */
function refuseExternal(map: MapNode, ctx: ComposeContext, what: string): boolean {
  const ext = valueOf(map, 'external');
  if (ext === undefined || ctx.policy.trusted) return false;
  if (ext.kind === 'scalar' && ext.value === false) return false;
  ctx.findings.error(ext.loc, `${what} is external: it could be another app's or Slipway's own, which only an app an admin trusted may use`, TRUST_HINT);
  return true;
}

function labelsOf(map: MapNode | null, ctx: ComposeContext, what: string): Record<string, string> {
  const node = map === null ? undefined : valueOf(map, 'labels');
  if (node === undefined) return {};
  const labels = readPairs(node, ctx, `labels of ${what}`, 'empty');
  for (const key of Object.keys(labels)) {
    if (RESERVED_LABELS.test(key)) ctx.findings.error(node.loc, `labels of ${what}: ${key} is set by Slipway`, 'use another label name');
  }
  return labels;
}

/** Each entry of a top-level map, its value a map (null counts as an empty map, as `volumes: { data: }` means). */
function eachDeclared(node: YNode | undefined, ctx: ComposeContext, what: string, read: (key: string, map: MapNode | null, at: YNode) => void): void {
  if (node === undefined || (node.kind === 'scalar' && node.value === null)) return;
  if (node.kind !== 'map') {
    ctx.findings.error(node.loc, `${what} must be a map, got ${describeNode(node)}`);
    return;
  }
  for (const e of node.entries) {
    if (e.key.startsWith('x-')) continue;
    if (e.value.kind === 'map') read(e.key, e.value, e.value);
    else if (e.value.kind === 'scalar' && e.value.value === null) read(e.key, null, { ...e.value, loc: e.keyLoc });
    else ctx.findings.error(e.value.loc, `${what} ${e.key} must be a map, got ${describeNode(e.value)}`);
  }
}

/** `external: true` with `name`, or the legacy `external: { name: x }`; null when not external. */
function externalName(key: string, map: MapNode, ctx: ComposeContext, what: string): string | null {
  const ext = valueOf(map, 'external');
  if (ext === undefined) return null;
  if (ext.kind === 'map') return opt(ext, 'name', (n) => readText(n, ctx, `external.name of ${what}`)) ?? key;
  if (readBool(ext, ctx, `external of ${what}`) !== true) return null;
  return opt(map, 'name', (n) => readText(n, ctx, `name of ${what}`)) ?? key;
}

function ignoreName(key: string, map: MapNode | null, ctx: ComposeContext, what: string): void {
  const name = map === null ? undefined : valueOf(map, 'name');
  if (name !== undefined) ctx.findings.warn(name.loc, `name of ${what} is ignored: Slipway names the stack's own objects (write external: true to use an existing one)`);
}

export function readNetworks(node: YNode | undefined, ctx: ComposeContext): Record<string, StackNetwork> {
  const out: Record<string, StackNetwork> = {};
  eachDeclared(node, ctx, 'network', (key, map, at) => {
    const what = `network ${key}`;
    if (map !== null && refuseExternal(map, ctx, what)) return;
    const external = map === null ? null : externalName(key, map, ctx, what);
    if (external !== null && HOST_NETWORKS.has(external) && !ctx.policy.trusted) {
      ctx.findings.error(at.loc, `${what} is the host's "${external}" network, which only an app an admin trusted may join`, 'use the stack\'s own overlay networks');
      return;
    }
    const driver = map === null ? null : opt(map, 'driver', (n) => readText(n, ctx, `driver of ${what}`));
    if (driver !== null && driver !== 'overlay') {
      ctx.findings.error(valueOf(map as MapNode, 'driver')?.loc ?? at.loc, `${what} has driver ${driver}: a Swarm stack's networks are overlay networks`, 'remove driver (overlay is the default), or use external: true for a network made outside the stack');
      return;
    }
    if (external === null) ignoreName(key, map, ctx, what);
    const ipam = map === null ? undefined : valueOf(map, 'ipam');
    let ipamOut: StackNetwork['ipam'] = null;
    if (ipam !== undefined && !ctx.policy.trusted) {
      // A chosen subnet can shadow the host's own networks (172.17.0.0/16) for the services and the edge.
      ctx.findings.error(ipam.loc, `ipam of ${what}: only an app an admin trusted may choose its addresses`, 'remove ipam: Swarm picks a free subnet');
    } else if (ipam !== undefined && ipam.kind === 'map') {
      const config = valueOf(ipam, 'config');
      const subnets = config !== undefined && config.kind === 'seq' ? config.items.flatMap((c) => (c.kind === 'map' ? [opt(c, 'subnet', (n) => readText(n, ctx, `subnet of ipam of ${what}`))] : [])).filter((s): s is string => s !== null) : [];
      ipamOut = { driver: opt(ipam, 'driver', (n) => readText(n, ctx, `ipam.driver of ${what}`)), subnets };
    }
    for (const k of ['enable_ipv4', 'enable_ipv6']) {
      const n = map === null ? undefined : valueOf(map, k);
      if (n !== undefined) ctx.findings.warn(n.loc, `${k} of ${what} is ignored by Swarm stacks`);
    }
    out[key] = {
      external: external !== null,
      name: external,
      driver: 'overlay',
      attachable: (map === null ? null : opt(map, 'attachable', (n) => readBool(n, ctx, `attachable of ${what}`))) ?? false,
      internal: (map === null ? null : opt(map, 'internal', (n) => readBool(n, ctx, `internal of ${what}`))) ?? false,
      driverOpts: networkDriverOpts(map, ctx, what),
      ipam: ipamOut,
      labels: labelsOf(map, ctx, what),
    };
  });
  return out;
}

export function readVolumes(node: YNode | undefined, ctx: ComposeContext): Record<string, StackVolume> {
  const out: Record<string, StackVolume> = {};
  eachDeclared(node, ctx, 'volume', (key, map) => {
    const what = `volume ${key}`;
    if (map !== null && refuseExternal(map, ctx, what)) return;
    const external = map === null ? null : externalName(key, map, ctx, what);
    if (external === null) ignoreName(key, map, ctx, what);
    const driver = map === null ? null : opt(map, 'driver', (n) => readText(n, ctx, `driver of ${what}`));
    const optsNode = map === null ? undefined : valueOf(map, 'driver_opts');
    if (!ctx.policy.trusted && driver !== null && driver !== 'local') {
      ctx.findings.error(valueOf(map as MapNode, 'driver')?.loc ?? map!.loc, `${what} has driver ${driver}: only an app an admin trusted may use a volume plugin`, 'remove driver: the local driver keeps the data on the node');
    }
    if (!ctx.policy.trusted && optsNode !== undefined) {
      // The local driver's options mount whatever they name: `type: none, o: bind, device: /` is the host's root.
      ctx.findings.error(optsNode.loc, `driver_opts of ${what} can mount host paths or devices (type: none, o: bind, device: …), which only an app an admin trusted may do`, 'remove driver_opts: a plain named volume keeps its data across releases');
    }
    out[key] = {
      external: external !== null,
      name: external,
      driver,
      driverOpts: (optsNode === undefined ? null : readPairs(optsNode, ctx, `driver_opts of ${what}`)) ?? {},
      labels: labelsOf(map, ctx, what),
    };
  });
  return out;
}

export function readFileObjects(node: YNode | undefined, kind: 'configs' | 'secrets', ctx: ComposeContext): Record<string, StackFileObject> {
  const out: Record<string, StackFileObject> = {};
  eachDeclared(node, ctx, kind === 'configs' ? 'config' : 'secret', (key, map, at) => {
    const what = `${kind === 'configs' ? 'config' : 'secret'} ${key}`;
    if (map === null) {
      ctx.findings.error(at.loc, `${what} says nowhere where its content comes from`, 'give file, external, environment' + (kind === 'configs' ? ', content' : '') + ' or x-slipway-secret');
      return;
    }
    if (refuseExternal(map, ctx, what)) return;
    const source = readSource(key, map, kind, ctx, what);
    if (source === null) return;
    for (const k of ['template_driver', 'driver', 'driver_opts']) {
      const n = valueOf(map, k);
      if (n !== undefined) ctx.findings.warn(n.loc, `${k} of ${what} is ignored: Slipway creates ${kind} from their content`);
    }
    out[key] = { source, labels: labelsOf(map, ctx, what) };
  });
  return out;
}

function readSource(key: string, map: MapNode, kind: 'configs' | 'secrets', ctx: ComposeContext, what: string): StackFileSource | null {
  const ways = ['file', 'external', 'content', 'environment', 'x-slipway-secret'].filter((k) => valueOf(map, k) !== undefined);
  if (ways.length !== 1) {
    ctx.findings.error(map.loc, ways.length === 0 ? `${what} says nowhere where its content comes from` : `${what} gives ${ways.join(' and ')}: give one`);
    return null;
  }
  const way = ways[0] as string;
  const node = valueOf(map, way) as YNode;
  if (way === 'x-slipway-secret') {
    const name = readText(node, ctx, `x-slipway-secret of ${what}`);
    return name === null ? null : { kind: 'slipway', secret: name };
  }
  if (way === 'external') {
    const name = externalName(key, map, ctx, what);
    return name === null ? null : { kind: 'external', name };
  }
  if (way === 'content') {
    if (kind === 'secrets') ctx.findings.error(node.loc, `${what}: secrets do not take content (it would sit in the repository)`, 'use x-slipway-secret: NAME for a secret set with slipway secrets set');
    const text = readText(node, ctx, `content of ${what}`);
    return text === null || kind === 'secrets' ? null : { kind: 'content', text };
  }
  if (way === 'environment') {
    const variable = readText(node, ctx, `environment of ${what}`);
    if (variable === null) return null;
    if (Object.hasOwn(ctx.appVars, variable)) return { kind: 'environment', variable };
    // Only the .env file has it: its value is known now, and the rollout never reads .env.
    const fromFile = Object.hasOwn(ctx.vars, variable) ? ctx.vars[variable] : undefined;
    if (typeof fromFile === 'string' && kind === 'configs') return { kind: 'content', text: fromFile };
    ctx.findings.error(node.loc, `${what} takes variable ${variable}, which the app's settings do not have`, kind === 'secrets' ? 'set it in the app\'s settings (a secret from .env would sit in the repository)' : 'set it in the app\'s settings or the .env file');
    return null;
  }
  const rel = readText(node, ctx, `file of ${what}`);
  if (rel === null) return null;
  const resolved = resolveRepoPath(node.loc.file, rel);
  if ('error' in resolved) {
    ctx.findings.error(node.loc, `file of ${what}: ${resolved.error}`);
    return null;
  }
  if (kind === 'secrets') ctx.findings.warn(node.loc, `${what} is a file of the repository: whoever reads the repository reads the secret`, 'set it with slipway secrets set and write x-slipway-secret: NAME');
  return { kind: 'file', path: resolved.path };
}


/** An untrusted app's network may only ask for encryption: other options reach the host's bridge and iptables setup. */
function networkDriverOpts(map: MapNode | null, ctx: ComposeContext, what: string): Record<string, string> {
  const node = map === null ? undefined : valueOf(map, 'driver_opts');
  if (node === undefined) return {};
  const opts = readPairs(node, ctx, `driver_opts of ${what}`);
  const other = Object.keys(opts).filter((k) => k !== 'encrypted');
  if (other.length > 0 && !ctx.policy.trusted) {
    ctx.findings.error(node.loc, `driver_opts of ${what}: ${other.join(', ')} only for an app an admin trusted`, 'keep only encrypted: ""');
  }
  return opts;
}
