// Drone-only parts of a file: document kinds (pipeline, signature, secret …), pipeline types, platform, pipeline
// volumes and clone options. Everything Drone can do that Slipway cannot is an error here, with a hint.

import type { MapNode, YNode } from '../yaml/node.js';
import { checkKeys, clip } from './keys.js';
import { readMap, readString, type ReadContext } from './read-values.js';

const OTHER_TYPES = new Set(['kubernetes', 'exec', 'ssh', 'digitalocean', 'macstadium', 'vm', 'aws', 'nomad']);

/** Whether this document is a docker pipeline to read; the others were reported (or are harmless). */
export function isDronePipeline(doc: MapNode, ctx: ReadContext): boolean {
  const kindNode = doc.entries.find((e) => e.key === 'kind')?.value;
  const kind = kindNode === undefined ? null : readString(kindNode, ctx, 'kind');
  if (kindNode === undefined) {
    ctx.findings.error(doc.loc, 'document has no kind', 'Drone documents start with `kind: pipeline`');
    return false;
  }
  if (kind === 'signature') {
    ctx.findings.warn(kindNode.loc, 'Slipway does not check Drone signatures', 'the signature document is skipped');
    return false;
  }
  if (kind === 'secret') {
    ctx.findings.error(kindNode.loc, 'external secrets (kind: secret) are not supported by Slipway', 'add the secret to the app in Slipway and refer to it with from_secret');
    return false;
  }
  if (kind !== 'pipeline') {
    if (kind !== null) ctx.findings.error(kindNode.loc, `kind "${clip(kind)}" is not supported by Slipway`, 'Slipway reads `kind: pipeline` documents');
    return false;
  }
  const typeNode = doc.entries.find((e) => e.key === 'type')?.value;
  const type = typeNode === undefined ? 'docker' : readString(typeNode, ctx, 'type');
  if (type === 'docker') return true;
  if (type !== null && typeNode !== undefined) {
    const known = OTHER_TYPES.has(type);
    ctx.findings.error(
      typeNode.loc,
      known ? `type: ${type} pipelines are not supported by Slipway` : `unknown pipeline type "${clip(type)}"`,
      'Slipway runs pipelines in Docker containers: use `type: docker`',
    );
  }
  return false;
}

/** platform, volumes and clone of a docker pipeline. */
export function checkDroneOptions(doc: MapNode, ctx: ReadContext): void {
  for (const { key, keyLoc, value } of doc.entries) {
    if (key === 'platform') checkPlatform(value, ctx);
    else if (key === 'volumes' && !(value.kind === 'seq' && value.items.length === 0)) {
      const host = value.kind === 'seq' && value.items.some((v) => v.kind === 'map' && v.entries.some((e) => e.key === 'host'));
      ctx.findings.error(
        keyLoc,
        host ? 'volumes with host paths are not supported by Slipway' : 'pipeline volumes are not supported by Slipway',
        'all steps share the workspace; for directories kept between runs use `cache: [path]` on the step',
      );
    } else if (key === 'clone') checkClone(value, ctx);
  }
}

function checkPlatform(node: YNode, ctx: ReadContext): void {
  const map = readMap(node, ctx, 'platform');
  if (map === null) return;
  checkKeys(map, { os: 'ok', arch: { noop: 'steps run on the architecture of the Slipway server' }, variant: 'ok', version: 'ok' }, ctx, 'platform');
  const os = map.entries.find((e) => e.key === 'os');
  if (os !== undefined && readString(os.value, ctx, 'platform os') !== 'linux') {
    ctx.findings.error(os.value.loc, 'only linux pipelines are supported by Slipway');
  }
}

function checkClone(node: YNode, ctx: ReadContext): void {
  const map = readMap(node, ctx, 'clone');
  if (map === null) return;
  const beyond = { unsupported: 'Slipway puts the source in the workspace itself; only `disable` and `depth` are accepted' };
  checkKeys(map, { depth: 'ok', disable: 'ok', skip_verify: beyond, retries: beyond, trace: beyond }, ctx, 'clone');
  const disable = map.entries.find((e) => e.key === 'disable');
  if (disable !== undefined && disable.value.kind === 'scalar' && disable.value.value === true) {
    ctx.findings.warn(disable.keyLoc, 'clone: disable has no effect in Slipway', 'the workspace always holds the pushed source (a plain tree, not a git clone)');
  }
}
