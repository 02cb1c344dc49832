// What steps and services share: name, image, commands, entrypoint, environment, resource limits, and the container
// options Slipway refuses (privileged, volumes), plus depends_on lists.

import type { ResourceLimits, SourceLocation } from '../core/plan.js';
import { describeNode, type MapNode, type YNode } from '../yaml/node.js';
import type { EnvEntry, Located } from './model.js';
import { readEnvironment } from './read-env.js';
import { readLimits } from './read-limits.js';
import { readBool, readNonEmptyString, readStringList, type ReadContext } from './read-values.js';

export interface ContainerCommon {
  readonly image: Located<string> | null;
  readonly commands: string[];
  readonly entrypoint: string[] | null;
  readonly environment: EnvEntry[];
  readonly limits: ResourceLimits | null;
}

export function readName(map: MapNode, keyName: string | null, fallback: string, ctx: ReadContext, what: 'step' | 'service'): { name: string; nameLoc: SourceLocation } {
  const entry = map.entries.find((e) => e.key === 'name');
  const written = entry === undefined ? null : readNonEmptyString(entry.value, ctx, `${what} name`);
  if (written !== null && entry !== undefined) return { name: written, nameLoc: entry.value.loc };
  if (keyName !== null) return { name: keyName, nameLoc: map.loc };
  // Drone needs names (depends_on refers to them); Woodpecker numbers unnamed steps, services are host names.
  if (entry === undefined && (ctx.dialect === 'drone' || what === 'service')) ctx.findings.error(map.loc, `${what} has no name`, 'add `name: …`');
  return { name: fallback, nameLoc: map.loc };
}

export function readContainerCommon(map: MapNode, ctx: ReadContext, where: string): ContainerCommon {
  let image: Located<string> | null = null;
  let commands: string[] = [];
  let entrypoint: string[] | null = null;
  let environment: EnvEntry[] = [];
  for (const { key, keyLoc, value } of map.entries) {
    if (key === 'image') {
      const s = readNonEmptyString(value, ctx, `image of ${where}`);
      if (s !== null) image = { value: s, loc: value.loc };
    } else if (key === 'commands') commands = readCommands(value, ctx, where);
    else if (key === 'entrypoint') entrypoint = readCommandList(value, ctx, `entrypoint of ${where}`);
    else if (key === 'environment') environment = readEnvironment(value, ctx, where);
    else if (key === 'privileged') {
      if (readBool(value, ctx, `privileged of ${where}`) === true) {
        ctx.findings.error(keyLoc, 'privileged containers are not supported by Slipway', "a privileged step owns the host; to build images use Slipway's built-in `build:` step");
      }
    } else if (key === 'volumes') checkVolumes(value, keyLoc, ctx);
  }
  return { image, commands, entrypoint, environment, limits: readLimits(map, ctx, where) };
}

/** A list of commands (or one string); a map item is the YAML `- echo a: b` trap, so it says how to quote. */
function readCommands(node: YNode, ctx: ReadContext, where: string): string[] {
  if (node.kind === 'scalar') return node.value === null ? [] : [node.text];
  if (node.kind === 'map') {
    ctx.findings.error(node.loc, `commands of ${where} must be a list, got a map`);
    return [];
  }
  const out: string[] = [];
  for (const item of node.items) {
    if (item.kind === 'scalar' && item.value !== null) out.push(item.text);
    else if (item.kind === 'map') ctx.findings.error(item.loc, `a command of ${where} was read as a map because it contains ": "`, "quote the whole command: - 'echo \"a: b\"'");
    else ctx.findings.error(item.loc, `each command of ${where} must be a string, got ${describeNode(item)}`);
  }
  return out;
}

/** A string list where an empty value is a mistake (an entrypoint of nothing), not an empty list. */
function readCommandList(node: YNode, ctx: ReadContext, what: string): string[] | null {
  if (node.kind === 'scalar' && node.value === null) {
    ctx.findings.error(node.loc, `${what} must be a list of strings, got ${describeNode(node)}`);
    return null;
  }
  return readStringList(node, ctx, what);
}

function checkVolumes(node: YNode, keyLoc: SourceLocation, ctx: ReadContext): void {
  const items = node.kind === 'seq' ? node.items : [node];
  if (items.length === 0 || (node.kind === 'scalar' && node.value === null)) return;
  const hostPath = items.some((i) => i.kind === 'scalar' && /^\//.test(i.text));
  ctx.findings.error(
    keyLoc,
    hostPath ? 'volumes with host paths are not supported by Slipway' : 'volumes are not supported by Slipway',
    'all steps share the workspace; for directories kept between runs use `cache: [path]`',
  );
}

/** A string or list of names, each with its position for "unknown step" errors. */
export function readDependsOn(node: YNode, ctx: ReadContext, what: string): Located<string>[] {
  const items = node.kind === 'seq' ? node.items : node.kind === 'scalar' && node.value === null ? [] : [node];
  const out: Located<string>[] = [];
  for (const item of items) {
    const s = readNonEmptyString(item, ctx, `each item of ${what}`);
    if (s !== null) out.push({ value: s, loc: item.loc });
  }
  return out;
}
