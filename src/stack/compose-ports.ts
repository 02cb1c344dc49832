// A service's `ports` in the short ("8080:80/udp", "127.0.0.1:8080:80", ranges) and long syntax → StackPorts. 80 and
// 443 belong to Slipway's edge: a stack that publishes them is refused with the way to get HTTPS instead.

import { describeNode, valueOf, type YNode } from '../yaml/node.js';
import { readText, type ComposeContext } from './compose-values.js';
import type { StackPort } from './model.js';

const EDGE_PORTS = new Set([80, 443]);
/**
 * Ports a stack may not publish: the host's privileged ports (sshd, the edge, …), Swarm's own (2377 management,
 * 7946 gossip, 4789 VXLAN) and Slipway's defaults (API 7070, registry 5000). Swarm's ingress DNAT would take them over,
 * loopback included (issue 13 review).
 */
const HOST_PORTS = new Set([2377, 7946, 4789, 7070, 5000]);
const MAX_RANGE = 1000;

export function readPorts(node: YNode, ctx: ComposeContext, where: string): StackPort[] {
  if (node.kind !== 'seq') {
    ctx.findings.error(node.loc, `ports of ${where} must be a list, got ${describeNode(node)}`);
    return [];
  }
  const out: StackPort[] = [];
  for (const item of node.items) {
    const ports = item.kind === 'map' ? readLong(item, ctx, where) : readShort(item, ctx, where);
    for (const p of ports) {
      if (p.published !== null && EDGE_PORTS.has(p.published)) {
        ctx.findings.error(item.loc, `${where} publishes port ${p.published}, which belongs to Slipway's edge`, 'give the service a route instead (deploy.labels slipway.domain and slipway.port): the edge serves it over HTTPS');
        continue;
      }
      const reserved = p.published !== null && (p.published < 1024 || HOST_PORTS.has(p.published) || ctx.policy.reservedPorts?.includes(p.published) === true);
      if (reserved && !ctx.policy.trusted) {
        ctx.findings.error(item.loc, `${where} publishes port ${p.published}, which belongs to the host (ports below 1024, Swarm's and Slipway's own)`, 'publish a port from 1024 up, or give the service a route (deploy.labels slipway.domain and slipway.port)');
        continue;
      }
      if (out.some((o) => o.published !== null && o.published === p.published && o.protocol === p.protocol)) {
        ctx.findings.error(item.loc, `${where} publishes port ${p.published}/${p.protocol} twice`);
        continue;
      }
      out.push(p);
    }
  }
  return out;
}

function readShort(node: YNode, ctx: ComposeContext, where: string): StackPort[] {
  const text = readText(node, ctx, `a port of ${where}`);
  if (text === null) return [];
  const bad = (why: string) => {
    ctx.findings.error(node.loc, `port "${text.slice(0, 40)}" of ${where}: ${why}`, 'write [HOST:]CONTAINER[/PROTOCOL], e.g. "8080:80" or "53:53/udp"');
    return [];
  };
  const [spec = '', proto = 'tcp', ...more] = text.split('/');
  if (more.length > 0 || (proto !== 'tcp' && proto !== 'udp')) return bad(proto === 'sctp' ? 'sctp is not supported' : 'the protocol must be tcp or udp');
  // IPv6 host addresses are written in brackets: [::1]:8080:80.
  const ipv6 = /^\[[^\]]*\]:(.*)$/.exec(spec);
  const parts = ipv6 !== null ? [(ipv6[1] ?? '').split(':')].flatMap((p) => ['ip', ...p]) : spec.split(':');
  if (parts.length > 3) return bad('too many ":"');
  if (parts.length === 3) {
    ctx.findings.warn(node.loc, `${where}: Swarm publishes ports on every address; the host address in "${text.slice(0, 40)}" is ignored`);
    parts.shift();
  }
  const target = range(parts[parts.length - 1] ?? '');
  const published = parts.length === 2 ? range(parts[0] ?? '') : null;
  if (target === null) return bad('the container port must be a number from 1 to 65535 (or a range a-b)');
  if (parts.length === 2 && published === null) return bad('the published port must be a number from 1 to 65535 (or a range a-b)');
  if (published !== null && published.length !== target.length && published.length !== 1) return bad('the two ranges differ in length');
  return target.map((t, i) => ({ target: t, published: published === null ? null : (published[i] ?? published[0] ?? null), protocol: proto, mode: 'ingress' as const }));
}

function readLong(node: YNode & { kind: 'map' }, ctx: ComposeContext, where: string): StackPort[] {
  const what = `a port of ${where}`;
  const get = (k: string) => valueOf(node, k);
  const targetNode = get('target');
  if (targetNode === undefined) {
    ctx.findings.error(node.loc, `${what} has no target (the container port)`);
    return [];
  }
  const target = range(targetNode.kind === 'scalar' ? targetNode.text : '');
  if (target === null || target.length !== 1) {
    ctx.findings.error(targetNode.loc, `target of ${what} must be a port number from 1 to 65535`);
    return [];
  }
  const pubNode = get('published');
  const published = pubNode === undefined || (pubNode.kind === 'scalar' && pubNode.value === null) ? null : range(pubNode.kind === 'scalar' ? pubNode.text : '');
  if (pubNode !== undefined && published !== null && published.length !== 1) {
    ctx.findings.error(pubNode.loc, `published of ${what} must be one port number`);
    return [];
  }
  if (pubNode !== undefined && pubNode.kind === 'scalar' && pubNode.value !== null && published === null) {
    ctx.findings.error(pubNode.loc, `published of ${what} must be a port number from 1 to 65535`);
    return [];
  }
  const protoNode = get('protocol');
  const protocol = protoNode === undefined ? 'tcp' : readText(protoNode, ctx, `protocol of ${what}`);
  if (protocol !== 'tcp' && protocol !== 'udp') {
    if (protoNode !== undefined && protocol !== null) ctx.findings.error(protoNode.loc, `protocol of ${what} must be tcp or udp`);
    return [];
  }
  const modeNode = get('mode');
  const mode = modeNode === undefined ? 'ingress' : readText(modeNode, ctx, `mode of ${what}`);
  if (mode !== 'ingress' && mode !== 'host') {
    if (modeNode !== undefined && mode !== null) ctx.findings.error(modeNode.loc, `mode of ${what} must be ingress or host`);
    return [];
  }
  const ip = get('host_ip');
  if (ip !== undefined) ctx.findings.warn(ip.loc, `${where}: Swarm publishes ports on every address; host_ip is ignored`);
  return [{ target: target[0] as number, published: published?.[0] ?? null, protocol, mode }];
}

/** "8080" → [8080]; "8000-8002" → [8000, 8001, 8002]; null when not ports. */
function range(text: string): number[] | null {
  const m = /^([0-9]{1,5})(?:-([0-9]{1,5}))?$/.exec(text.trim());
  if (m === null) return null;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from < 1 || to > 65535 || to < from || to - from >= MAX_RANGE) return null;
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
