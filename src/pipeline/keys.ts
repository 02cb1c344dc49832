// Every key Slipway knows, per dialect and level: accepted, accepted without effect (warning), deprecated (warning)
// or known but not supported (error with a hint). Anything else is an unknown key: an error with "did you mean".

import { suggestion } from '../yaml/findings.js';
import type { MapNode } from '../yaml/node.js';
import type { ReadContext } from './read-values.js';
import type { Dialect } from './source.js';

export type KeyRule = 'ok' | { readonly unsupported: string } | { readonly noop: string } | { readonly deprecated: string };
export type KeyTable = Readonly<Record<string, KeyRule>>;
export type Level = 'pipeline' | 'step' | 'service' | 'condition' | 'trigger';

const ok = (...keys: string[]): Record<string, KeyRule> => Object.fromEntries(keys.map((k) => [k, 'ok' as const]));
const rule = (r: KeyRule, ...keys: string[]): Record<string, KeyRule> => Object.fromEntries(keys.map((k) => [k, r]));

/** Container resource limits (read-limits.ts reads them). */
export const LIMIT_KEYS = ['mem_limit', 'memswap_limit', 'shm_size', 'cpu_period', 'cpu_quota', 'cpu_shares', 'cpu_set'] as const;

const CWD = { unsupported: 'steps start in the workspace; begin the commands with `cd <dir>`' };
const NETWORK = { unsupported: 'steps and services of a pipeline share one network and reach services by name' };
const NOT_MATCHED = { noop: 'Slipway does not know this value; the condition is treated as matching' };

const STEP_COMMON = ok(
  'name', 'image', 'pull', 'commands', 'entrypoint', 'environment', 'settings', 'when', 'depends_on', 'detach',
  'failure', 'privileged', 'volumes', 'timeout', 'retry', 'cache', 'build', 'push', 'deploy', 'notify',
);
const CONTAINER_EXTRAS: Record<string, KeyRule> = {
  command: { unsupported: 'put the whole command line in `entrypoint`, or use `commands`' },
  devices: { unsupported: 'pipeline containers get no host devices' },
  shell: { unsupported: 'commands run with /bin/sh; call another shell from a command, e.g. `bash -c "…"`' },
  user: { unsupported: 'containers run as the image user; set USER in the image instead' },
  working_dir: CWD,
  directory: CWD,
  ...rule(NETWORK, 'network_mode', 'dns', 'dns_search', 'extra_hosts'),
  ...ok(...LIMIT_KEYS),
  backend_options: { unsupported: 'Slipway has one backend (Docker); remove backend_options' },
};
const SERVICE_COMMON: Record<string, KeyRule> = {
  ...ok('name', 'image', 'commands', 'entrypoint', 'environment', 'when', 'privileged', 'volumes', 'ports'),
  pull: { noop: 'service images are pulled when missing' },
};
const CONDITION_COMMON = ok('branch', 'cron', 'event', 'ref', 'status');

const TABLES: Readonly<Record<Dialect, Readonly<Record<Level, KeyTable>>>> = {
  drone: {
    pipeline: {
      ...ok('kind', 'type', 'name', 'version', 'platform', 'workspace', 'clone', 'steps', 'services', 'volumes'),
      ...ok('trigger', 'depends_on', 'environment', 'matrix'),
      node: { noop: 'Slipway has no runner pools to select' },
      concurrency: { noop: 'the limit is the app\'s own setting in Slipway (`slipway apps set <app> --concurrency <n>`, default 1), with SLIPWAY_MAX_RUNS over all apps' },
      image_pull_secrets: 'ok',
    },
    step: { ...STEP_COMMON, ...CONTAINER_EXTRAS },
    service: { ...SERVICE_COMMON, ...CONTAINER_EXTRAS },
    condition: { ...CONDITION_COMMON, ...ok('paths', 'target'), ...rule(NOT_MATCHED, 'action', 'instance', 'repo') },
    trigger: { ...CONDITION_COMMON, ...ok('paths', 'target'), ...rule(NOT_MATCHED, 'action', 'instance', 'repo') },
  },
  woodpecker: {
    pipeline: {
      ...ok('steps', 'services', 'when', 'workspace', 'matrix', 'depends_on', 'runs_on', 'variables', 'version', '$schema'),
      pipeline: { deprecated: 'rename `pipeline` to `steps`' },
      branches: { deprecated: 'use `when: { branch: … }`' },
      labels: { noop: 'Slipway has no agent pools to select' },
      platform: { noop: 'pipelines run on the platform of the Slipway server' },
      skip_clone: { noop: 'Slipway always puts the source in the workspace' },
      clone: { unsupported: 'Slipway puts the source in the workspace itself; remove `clone`' },
    },
    step: {
      ...STEP_COMMON,
      ...CONTAINER_EXTRAS,
      secrets: { deprecated: 'use `environment: { NAME: { from_secret: name } }`' },
      group: { deprecated: 'use `depends_on`' },
    },
    service: { ...SERVICE_COMMON, ...CONTAINER_EXTRAS, settings: { unsupported: 'services are not plugins; use `environment`' } },
    condition: {
      ...CONDITION_COMMON,
      ...ok('environment', 'matrix', 'path'),
      ...rule(NOT_MATCHED, 'instance', 'platform', 'repo'),
      evaluate: { unsupported: 'Slipway does not evaluate expressions; use branch, event, ref, path or matrix conditions' },
      local: { unsupported: 'Slipway has no local runs' },
    },
    trigger: {
      ...CONDITION_COMMON,
      ...ok('environment', 'path'),
      ...rule(NOT_MATCHED, 'instance', 'platform', 'repo'),
      evaluate: { unsupported: 'Slipway does not evaluate expressions; use branch, event, ref or path conditions' },
    },
  },
  slipway: {
    pipeline: ok('name', 'steps', 'services', 'when', 'depends_on', 'matrix', 'workspace', 'environment', 'variables', 'image_pull_secrets'),
    step: { ...STEP_COMMON, ...ok(...LIMIT_KEYS) },
    service: { ...SERVICE_COMMON, ...ok(...LIMIT_KEYS) },
    condition: { ...CONDITION_COMMON, ...ok('environment', 'matrix', 'path', 'tag') },
    trigger: { ...CONDITION_COMMON, ...ok('environment', 'path', 'tag') },
  },
};

export function keyTable(dialect: Dialect, level: Level): KeyTable {
  return TABLES[dialect][level];
}

/**
 * Reports unknown, unsupported, no-op and deprecated keys of `map`. `x-` keys are allowed at the top level only:
 * Drone and docker-compose users keep YAML anchors there.
 */
export function checkKeys(map: MapNode, table: KeyTable, ctx: ReadContext, where: string, allowExtensions = false): void {
  for (const e of map.entries) {
    const r = Object.hasOwn(table, e.key) ? table[e.key] : undefined;
    if (r === undefined) {
      if (allowExtensions && e.key.startsWith('x-')) continue;
      const known = Object.keys(table).filter((k) => table[k] === 'ok' || isDeprecated(table[k]));
      ctx.findings.error(e.keyLoc, `unknown key "${clip(e.key)}" in ${where}${suggestion(e.key, known)}`);
    } else if (r === 'ok') continue;
    else if ('unsupported' in r) ctx.findings.error(e.keyLoc, `"${e.key}" is not supported by Slipway`, r.unsupported);
    else if ('noop' in r) ctx.findings.warn(e.keyLoc, `"${e.key}" has no effect in Slipway`, r.noop);
    else ctx.findings.warn(e.keyLoc, `"${e.key}" is deprecated`, r.deprecated);
  }
}

/** For small fixed maps (workspace, build, …): unknown keys only. */
export function checkAllowed(map: MapNode, allowed: readonly string[], ctx: ReadContext, where: string): void {
  checkKeys(map, ok(...allowed), ctx, where);
}

function isDeprecated(r: KeyRule | undefined): boolean {
  return typeof r === 'object' && 'deprecated' in r;
}

/** Keys are echoed in messages; a fuzzed 100 kB key must not make a 100 kB message. */
export function clip(s: string, max = 60): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`;
}
