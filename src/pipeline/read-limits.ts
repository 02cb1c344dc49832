// Container resource limits of a step or service, as Drone and Woodpecker write them: mem_limit, memswap_limit and
// shm_size as bytes or sizes ("512m", "1.5GiB"; powers of 1024, as docker/go-units reads them), cpu_shares,
// cpu_period, cpu_quota as numbers, cpu_set as a CPU list ("0-2,4").

import type { ResourceLimits } from '../core/plan.js';
import { describeNode, type MapNode, type YNode } from '../yaml/node.js';
import { clip, LIMIT_KEYS } from './keys.js';
import type { ReadContext } from './read-values.js';

/** The engine refuses a memory limit under 6 MiB. */
const MIN_MEMORY = 6 * 1024 ** 2;
const SIZE = /^(\d+(?:\.\d+)?)\s*([kmgtp])?i?b?$/i;
const POWERS: Readonly<Record<string, number>> = { k: 1, m: 2, g: 3, t: 4, p: 5 };
const CPU_LIST = /^\d{1,4}(-\d{1,4})?(,\d{1,4}(-\d{1,4})?)*$/;

/** null when the map names no limit. Errors carry the value's line and what a valid value looks like. */
export function readLimits(map: MapNode, ctx: ReadContext, where: string): ResourceLimits | null {
  const limits: { -readonly [K in keyof ResourceLimits]: ResourceLimits[K] } = {};
  let any = false;
  for (const { key, value } of map.entries) {
    if (!(LIMIT_KEYS as readonly string[]).includes(key)) continue;
    any = true;
    const what = `${key} of ${where}`;
    if (key === 'mem_limit') limits.memoryBytes = atLeast(readBytes(value, ctx, what), MIN_MEMORY, value, ctx, what, '6m');
    else if (key === 'memswap_limit') limits.memorySwapBytes = readSwap(value, ctx, what);
    else if (key === 'shm_size') limits.shmBytes = atLeast(readBytes(value, ctx, what), 1, value, ctx, what, '1');
    else if (key === 'cpu_shares') limits.cpuShares = readRange(value, ctx, what, 2, 262_144);
    else if (key === 'cpu_period') limits.cpuPeriodMicros = readRange(value, ctx, what, 1_000, 1_000_000);
    else if (key === 'cpu_quota') limits.cpuQuotaMicros = readRange(value, ctx, what, 1_000, 1_000_000_000);
    else if (key === 'cpu_set') limits.cpuSet = readCpuSet(value, ctx, what);
  }
  if (!any) return null;
  if (limits.memorySwapBytes !== undefined && limits.memorySwapBytes !== -1 && limits.memoryBytes !== undefined && limits.memorySwapBytes < limits.memoryBytes) {
    const node = map.entries.find((e) => e.key === 'memswap_limit')!.value;
    ctx.findings.error(node.loc, `memswap_limit of ${where} is below its mem_limit`, 'memswap_limit counts memory plus swap: make it at least mem_limit, or -1 for unlimited swap');
  }
  return limits;
}

/** Bytes from a number or a size string; undefined (with an error) otherwise. */
export function parseBytes(text: string | number): number | null {
  if (typeof text === 'number') return Number.isInteger(text) && text >= 0 ? text : null;
  const m = SIZE.exec(text.trim());
  if (!m) return null;
  const power = m[2] === undefined ? 0 : POWERS[m[2].toLowerCase()]!;
  const bytes = Math.round(Number(m[1]) * 1024 ** power);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

function readBytes(node: YNode, ctx: ReadContext, what: string): number | undefined {
  const bytes = node.kind === 'scalar' && (typeof node.value === 'number' || typeof node.value === 'string') ? parseBytes(node.value) : null;
  if (bytes === null) ctx.findings.error(node.loc, `${what} must be a size such as 512m or 2g, got ${shown(node)}`);
  return bytes ?? undefined;
}

/** -1 is unlimited swap; 0 would mean "unset" to the engine, so a limit is at least the engine's minimum. */
function readSwap(node: YNode, ctx: ReadContext, what: string): number | undefined {
  if (node.kind === 'scalar' && node.value === -1) return -1;
  return atLeast(readBytes(node, ctx, what), MIN_MEMORY, node, ctx, what, '6m (or -1 for unlimited swap)');
}

function atLeast(bytes: number | undefined, min: number, node: YNode, ctx: ReadContext, what: string, minText: string): number | undefined {
  if (bytes === undefined || bytes >= min) return bytes;
  ctx.findings.error(node.loc, `${what} must be at least ${minText}, got ${shown(node)}`);
  return undefined;
}

function readRange(node: YNode, ctx: ReadContext, what: string, min: number, max: number): number | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'number' && Number.isInteger(node.value) && node.value >= min && node.value <= max) return node.value;
  ctx.findings.error(node.loc, `${what} must be a whole number from ${min} to ${max}, got ${shown(node)}`);
  return undefined;
}

function readCpuSet(node: YNode, ctx: ReadContext, what: string): string | undefined {
  const text = node.kind === 'scalar' && node.value !== null ? String(node.value).replace(/\s+/g, '') : null;
  if (text !== null && CPU_LIST.test(text)) return text;
  ctx.findings.error(node.loc, `${what} must list CPUs such as 0-2,4, got ${shown(node)}`);
  return undefined;
}

function shown(node: YNode): string {
  return node.kind === 'scalar' && node.value !== null ? `"${clip(node.text, 20)}"` : describeNode(node);
}
