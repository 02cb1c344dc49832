// Reads one step (list item or map entry) into a StepModel: image or built-in kind, commands, environment,
// settings, when, depends_on and the execution options (failure, detach, timeout, retry, pull, cache).

import type { SourceLocation } from '../core/plan.js';
import { didYouMean } from '../yaml/findings.js';
import type { MapNode, YNode } from '../yaml/node.js';
import { DOCKER_BUILD_PLUGINS, lintDockerPlugin, pluginName } from './docker-plugin.js';
import { parseTimeout } from './duration.js';
import { checkKeys, clip, keyTable, LIMIT_KEYS } from './keys.js';
import type { Builtin, EnvEntry, Located, Setting, StepModel } from './model.js';
import { BUILTIN_KEYS, readBuiltin } from './read-builtin.js';
import { readContainerCommon, readDependsOn, readName } from './read-container.js';
import { readLegacySecrets, readSettings } from './read-env.js';
import { readBool, readString, readWholeNumber, type ReadContext } from './read-values.js';
import { readWhen } from './read-when.js';

export const MAX_RETRY = 10;

/**
 * Plugin images Drone and Woodpecker run privileged without being asked (their default lists): Docker-in-Docker.
 * The docker-build ones among them run as Slipway's own build and push instead (docker-plugin.ts).
 */
const PRIVILEGED_PLUGINS = new Set(['plugins/acr', 'plugins/ecr', 'plugins/gcr', 'plugins/heroku']);

export function readStep(map: MapNode, keyName: string | null, index: number, ctx: ReadContext): StepModel {
  const { name, nameLoc } = readName(map, keyName, `step-${index + 1}`, ctx, 'step');
  const where = `step "${clip(name)}"`;
  checkKeys(map, keyTable(ctx.dialect, 'step'), ctx, where);
  const common = readContainerCommon(map, ctx, where);
  const get = (key: string): YNode | undefined => map.entries.find((e) => e.key === key)?.value;

  const settingsNode = get('settings');
  const settings: Setting[] | null = settingsNode === undefined ? null : readSettings(settingsNode, ctx, where);
  const secretsNode = ctx.dialect === 'woodpecker' ? get('secrets') : undefined;
  const legacySecrets: EnvEntry[] = secretsNode === undefined ? [] : readLegacySecrets(secretsNode, ctx, where);
  const builtin = readBuiltinOf(map, ctx, where);
  checkShape(map, builtin, settings !== null, ctx, where, nameLoc);
  const buildPlugin = common.image !== null && settings !== null && DOCKER_BUILD_PLUGINS.has(pluginName(common.image.value));
  if (common.image !== null && settings !== null) {
    if (buildPlugin) lintDockerPlugin(pluginName(common.image.value), settings, common.image.loc, ctx);
    else warnPrivilegedPlugin(common.image, ctx);
  }
  if (common.limits !== null && (builtin !== null || buildPlugin)) {
    const first = map.entries.find((e) => (LIMIT_KEYS as readonly string[]).includes(e.key))!;
    ctx.findings.warn(first.keyLoc, `"${first.key}" has no effect on ${where}`, 'Slipway runs this step itself (the engine builds the image), not in a container of its own');
  }

  const dependsNode = get('depends_on');
  const groupNode = get('group');
  return {
    name,
    nameLoc,
    loc: map.loc,
    image: common.image,
    builtin,
    commands: common.commands,
    entrypoint: common.entrypoint,
    environment: [...common.environment, ...legacySecrets],
    settings,
    when: readWhen(get('when'), ctx, 'condition', `when of ${where}`),
    dependsOn: dependsNode === undefined ? null : readDependsOn(dependsNode, ctx, `depends_on of ${where}`),
    group: groupNode === undefined ? null : readString(groupNode, ctx, `group of ${where}`),
    detach: optional(get('detach'), (n) => readBool(n, ctx, `detach of ${where}`)) ?? false,
    failure: optional(get('failure'), (n) => readFailure(n, ctx, where)) ?? 'fail',
    timeoutSeconds: optional(get('timeout'), (n) => readTimeout(n, ctx, where)),
    retry: optional(get('retry'), (n) => readWholeNumber(n, ctx, `retry of ${where}`, MAX_RETRY)) ?? 0,
    pull: optional(get('pull'), (n) => readPull(n, ctx, where)) ?? 'if-not-exists',
    caches: optional(get('cache'), (n) => readCaches(n, ctx, where)) ?? [],
    limits: common.limits,
  };
}

function optional<T>(node: YNode | undefined, read: (n: YNode) => T | null): T | null {
  return node === undefined ? null : read(node);
}

function readBuiltinOf(map: MapNode, ctx: ReadContext, where: string): Builtin | null {
  const entries = map.entries.filter((e) => (BUILTIN_KEYS as readonly string[]).includes(e.key));
  const [first, second] = entries;
  if (second !== undefined) ctx.findings.error(second.keyLoc, `${where} has both "${first?.key}" and "${second.key}"`, 'one built-in kind per step');
  return first === undefined ? null : readBuiltin(first, ctx, where);
}

/** Image vs built-in vs plugin: the combinations the run stage could not make sense of. */
function checkShape(map: MapNode, builtin: Builtin | null, hasSettings: boolean, ctx: ReadContext, where: string, nameLoc: SourceLocation): void {
  const has = (key: string): boolean => map.entries.some((e) => e.key === key);
  if (builtin !== null) {
    for (const key of ['image', 'commands', 'entrypoint', 'settings']) {
      const e = map.entries.find((x) => x.key === key);
      if (e) ctx.findings.error(e.keyLoc, `built-in ${builtin.kind} ${where} takes no "${key}"`, `Slipway runs ${builtin.kind} itself, without an image`);
    }
    return;
  }
  // A misspelt image key already has its own "did you mean image" error.
  if (!has('image') && !map.entries.some((e) => didYouMean(e.key, ['image']) === 'image')) {
    const builtins = ctx.dialect === 'slipway' ? ', or make it a built-in step (build, push, deploy, notify)' : '';
    ctx.findings.error(nameLoc, `${where} has no image`, `add \`image: …\`${builtins}`);
  }
  // Woodpecker's own linter rule: a plugin is configured by its settings alone (Drone allows the mix).
  if (hasSettings && ctx.dialect !== 'drone') {
    for (const key of ctx.dialect === 'woodpecker' ? ['commands', 'entrypoint', 'environment'] : ['commands', 'entrypoint']) {
      const e = map.entries.find((x) => x.key === key);
      if (e) ctx.findings.error(e.keyLoc, `${where} has settings, so it is a plugin, and cannot also have "${key}"`, 'remove settings for a commands step, or the other key for a plugin');
    }
  }
}

function warnPrivilegedPlugin(image: Located<string>, ctx: ReadContext): void {
  const name = pluginName(image.value);
  if (!PRIVILEGED_PLUGINS.has(name)) return;
  ctx.findings.warn(
    image.loc,
    `${name} builds with Docker-in-Docker, which needs a privileged container (Drone and Woodpecker grant it to this image by default)`,
    "if the step fails to reach a Docker daemon, use Slipway's built-in steps instead: `build: {…}` and `push: {}`",
  );
}

function readFailure(node: YNode, ctx: ReadContext, where: string): 'fail' | 'ignore' | null {
  const s = readString(node, ctx, `failure of ${where}`);
  if (s === 'fail' || s === 'ignore') return s;
  if (s === 'cancel' || s === 'fast' || s === 'fail-fast') {
    ctx.findings.warn(node.loc, `failure: ${s} runs as failure: fail in Slipway`, 'steps already running are not cancelled; steps that depend on this one are skipped');
    return 'fail';
  }
  if (s !== null) ctx.findings.error(node.loc, `failure of ${where} must be fail or ignore, got "${clip(s)}"`);
  return null;
}

function readTimeout(node: YNode, ctx: ReadContext, where: string): number | null {
  if (node.kind !== 'scalar' || node.value === null || typeof node.value === 'boolean') {
    ctx.findings.error(node.loc, `timeout of ${where} must be a duration such as 10m`);
    return null;
  }
  const parsed = parseTimeout(typeof node.value === 'number' ? node.value : node.text);
  if (typeof parsed === 'string') ctx.findings.error(node.loc, `timeout of ${where}: ${parsed}`);
  return typeof parsed === 'number' ? parsed : null;
}

/** Drone writes always/never/if-not-exists, Woodpecker true/false. */
function readPull(node: YNode, ctx: ReadContext, where: string): StepModel['pull'] | null {
  if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value ? 'always' : 'if-not-exists';
  const s = readString(node, ctx, `pull of ${where}`);
  if (s === 'always' || s === 'never' || s === 'if-not-exists') return s;
  if (s !== null) ctx.findings.error(node.loc, `pull of ${where} must be always, never, if-not-exists, true or false`);
  return null;
}

function readCaches(node: YNode, ctx: ReadContext, where: string): Located<string>[] {
  const items = node.kind === 'seq' ? node.items : [node];
  const out: Located<string>[] = [];
  for (const item of items) {
    const path = readString(item, ctx, `cache of ${where}`);
    if (path === null) continue;
    const trimmed = path.replace(/\/+$/, '');
    if (trimmed === '' || trimmed === '.' || trimmed.split('/').includes('..')) {
      ctx.findings.error(item.loc, `cache path "${clip(path)}" must name a directory below the workspace or an absolute path other than /`);
    } else {
      out.push({ value: trimmed, loc: item.loc });
    }
  }
  return out;
}

