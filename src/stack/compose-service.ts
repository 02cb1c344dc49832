// One compose service → a StackService: every key a Swarm service has a field for is read; keys Swarm ignores are a
// warning each; keys that would hand out the host's powers need an app an admin trusted.

import type { SourceLocation } from '../core/plan.js';
import { describeNode, valueOf, type MapNode, type YNode } from '../yaml/node.js';
import { IGNORED_SERVICE_KEYS, REFUSED_SERVICE_KEYS, TRUSTED_SERVICE_KEYS } from './compose-keys.js';
import { readDeploy, NO_DEPLOY } from './compose-deploy.js';
import { readEnvFiles } from './compose-env-file.js';
import { readHealthcheck } from './compose-health.js';
import { readMounts } from './compose-mounts.js';
import { readPorts } from './compose-ports.js';
import { readFileRefs, readServiceNetworks } from './compose-refs.js';
import { readRoute } from './compose-route.js';
import { asMap, opt, readArgv, readBool, readCount, readDuration, readPairs, readStrings, readText, type ComposeContext } from './compose-values.js';
import { defaultService } from './defaults.js';
import type { StackService } from './model.js';

/** Labels Slipway sets itself to find and name the stack's objects. */
const RESERVED_LABELS = /^(io\.slipway\.|com\.docker\.stack\.)/;

export interface DeclaredNames {
  readonly networks: ReadonlySet<string>;
  readonly volumes: ReadonlySet<string>;
  readonly configs: ReadonlySet<string>;
  readonly secrets: ReadonlySet<string>;
}

export function readService(name: string, at: SourceLocation, map: MapNode, names: DeclaredNames, ctx: ComposeContext): StackService | null {
  const where = `service "${name}"`;
  checkServiceKeys(map, ctx, where);
  const get = (key: string) => valueOf(map, key);
  const imageNode = get('image');
  const image = imageNode === undefined ? null : readText(imageNode, ctx, `image of ${where}`);
  if (imageNode === undefined) ctx.findings.error(at, `${where} has no image`, 'give an image; for the one this run built and pushed, write image: ${SLIPWAY_IMAGE}');
  else if (image !== null && image.trim() === '') ctx.findings.error(imageNode.loc, `image of ${where} is empty`);
  const text = (key: string) => opt(map, key, (n) => readText(n, ctx, `${key} of ${where}`));
  const strings = (key: string) => opt(map, key, (n) => readStrings(n, ctx, `${key} of ${where}`)) ?? [];
  const envFile = opt(map, 'env_file', (n) => readEnvFiles(n, ctx, where)) ?? {};
  const environment = { ...envFile, ...(opt(map, 'environment', (n) => readPairs(n, ctx, `environment of ${where}`, 'vars')) ?? {}) };
  const labels = labelsOf(get('labels'), ctx, `labels of ${where}`);
  const ports = opt(map, 'ports', (n) => readPorts(n, ctx, where)) ?? [];
  const deploy = opt(map, 'deploy', (n) => readDeploy(n, ctx, `deploy of ${where}`)) ?? NO_DEPLOY;
  const deployLabelsNode = get('deploy');
  if (deployLabelsNode !== undefined && deployLabelsNode.kind === 'map') labelsOf(valueOf(deployLabelsNode, 'labels'), ctx, `deploy.labels of ${where}`);
  const capAdd = strings('cap_add');
  const capAddNode = get('cap_add');
  if (capAdd.length > 0 && !ctx.policy.trusted && capAddNode !== undefined) {
    ctx.findings.error(capAddNode.loc, `cap_add of ${where} gives the service more of the host's powers, which only an app an admin trusted may have`, 'remove cap_add, or ask an admin to trust the app');
  }
  const service: StackService = {
    ...defaultService(name, image ?? ''),
    ...deploy,
    entrypoint: opt(map, 'entrypoint', (n) => readArgv(n, ctx, `entrypoint of ${where}`)),
    command: opt(map, 'command', (n) => readArgv(n, ctx, `command of ${where}`)),
    environment,
    healthcheck: opt(map, 'healthcheck', (n) => readHealthcheck(n, ctx, `healthcheck of ${where}`)),
    labels,
    user: text('user'),
    workingDir: text('working_dir'),
    hostname: text('hostname'),
    extraHosts: opt(map, 'extra_hosts', (n) => readExtraHosts(n, ctx, where)) ?? [],
    dns: { servers: strings('dns'), search: strings('dns_search'), options: strings('dns_opt') },
    init: opt(map, 'init', (n) => readBool(n, ctx, `init of ${where}`)),
    readOnly: opt(map, 'read_only', (n) => readBool(n, ctx, `read_only of ${where}`)) ?? false,
    stopGracePeriodMs: opt(map, 'stop_grace_period', (n) => readDuration(n, ctx, `stop_grace_period of ${where}`)),
    stopSignal: text('stop_signal'),
    ulimits: opt(map, 'ulimits', (n) => readUlimits(n, ctx, where)) ?? {},
    sysctls: opt(map, 'sysctls', (n) => readPairs(n, ctx, `sysctls of ${where}`)) ?? {},
    logging: opt(map, 'logging', (n) => readLogging(n, ctx, where)),
    capAdd: ctx.policy.trusted ? capAdd : [],
    capDrop: strings('cap_drop'),
    ports,
    mounts: readMounts(get('volumes'), get('tmpfs'), names.volumes, ctx, where),
    configs: opt(map, 'configs', (n) => readFileRefs(n, 'configs', names.configs, ctx, where)) ?? [],
    secrets: opt(map, 'secrets', (n) => readFileRefs(n, 'secrets', names.secrets, ctx, where)) ?? [],
    networks: opt(map, 'networks', (n) => readServiceNetworks(n, names.networks, ctx, where)) ?? [{ network: 'default', aliases: [] }],
  };
  const route = readRoute({ where, at, environment, labels: { ...labels, ...deploy.deployLabels }, ports }, ctx);
  return image === null || image.trim() === '' ? null : { ...service, route };
}

/** Keys Swarm ignores → warning; host powers → trusted apps only. The schema already refused unknown keys. */
function checkServiceKeys(map: MapNode, ctx: ComposeContext, where: string): void {
  for (const e of map.entries) {
    if (Object.hasOwn(REFUSED_SERVICE_KEYS, e.key)) {
      ctx.findings.error(e.keyLoc, `${e.key} of ${where} is not supported by Slipway stacks`, REFUSED_SERVICE_KEYS[e.key]);
    } else if (Object.hasOwn(IGNORED_SERVICE_KEYS, e.key)) {
      const hint = IGNORED_SERVICE_KEYS[e.key];
      ctx.findings.warn(e.keyLoc, `${e.key} of ${where} is ignored: Swarm has no such setting (docker stack deploy ignores it too)`, hint === '' ? undefined : hint);
    } else if (Object.hasOwn(TRUSTED_SERVICE_KEYS, e.key)) {
      const why = TRUSTED_SERVICE_KEYS[e.key] ?? '';
      if (ctx.policy.trusted) ctx.findings.warn(e.keyLoc, `${e.key} of ${where} is ignored: ${why}`);
      else ctx.findings.error(e.keyLoc, `${e.key} of ${where} hands the service the host's powers, which only an app an admin trusted may have`, `${why}; remove it`);
    } else if (e.key === 'pid' || e.key === 'network_mode') {
      const value = e.value.kind === 'scalar' ? e.value.text : '';
      if (value === 'host' && !ctx.policy.trusted) {
        ctx.findings.error(e.value.loc, `${e.key}: host of ${where} shares the host's ${e.key === 'pid' ? 'processes' : 'network'}, which only an app an admin trusted may do`, e.key === 'network_mode' ? 'services of the stack reach each other on its overlay networks' : 'remove it');
      } else {
        const hint = e.key === 'network_mode' ? 'list the networks under networks (an external network named host for the host\'s, trusted apps only)' : undefined;
        ctx.findings.warn(e.keyLoc, `${e.key} of ${where} is ignored: Swarm has no such setting (docker stack deploy ignores it too)`, hint);
      }
    }
  }
}

function labelsOf(node: YNode | undefined, ctx: ComposeContext, what: string): Record<string, string> {
  if (node === undefined || (node.kind === 'scalar' && node.value === null)) return {};
  const labels = readPairs(node, ctx, what, 'empty');
  for (const key of Object.keys(labels)) {
    if (RESERVED_LABELS.test(key)) ctx.findings.error(node.loc, `${what}: ${key} is set by Slipway`, 'use another label name');
  }
  return labels;
}

/** compose's `host:ip` / `host=ip` (or a map) → Docker's "IP host". */
function readExtraHosts(node: YNode, ctx: ComposeContext, where: string): string[] {
  const pairs: [string, string, YNode][] = [];
  if (node.kind === 'map') {
    for (const e of node.entries) for (const ip of readStrings(e.value, ctx, `extra_hosts ${e.key} of ${where}`)) pairs.push([e.key, ip, e.value]);
  } else if (node.kind === 'seq') {
    for (const item of node.items) {
      const t = readText(item, ctx, `an item of extra_hosts of ${where}`);
      if (t === null) continue;
      const sep = t.search(/[=:]/);
      if (sep <= 0) ctx.findings.error(item.loc, `extra_hosts "${t.slice(0, 60)}" of ${where} is not host:ip`);
      else pairs.push([t.slice(0, sep), t.slice(sep + 1), item]);
    }
  } else ctx.findings.error(node.loc, `extra_hosts of ${where} must be a list or a map, got ${describeNode(node)}`);
  return pairs.map(([host, ip]) => `${ip.replace(/^\[(.*)\]$/, '$1')} ${host}`);
}

/**
 * The limits an untrusted app may raise, and how far: memlock and the like let a container pin the host's memory
 * (issue 13 review).
 */
const UNTRUSTED_ULIMITS = new Set(['nofile', 'nproc', 'core', 'stack']);
const UNTRUSTED_ULIMIT_MAX = 1_048_576;

function readUlimits(node: YNode, ctx: ComposeContext, where: string): Record<string, { soft: number; hard: number }> {
  const map = asMap(node, ctx, `ulimits of ${where}`);
  const out: Record<string, { soft: number; hard: number }> = {};
  for (const e of map?.entries ?? []) {
    const what = `ulimit ${e.key} of ${where}`;
    if (!ctx.policy.trusted && !UNTRUSTED_ULIMITS.has(e.key)) {
      ctx.findings.error(e.keyLoc, `${what}: only an app an admin trusted may raise it`, `an app may set ${[...UNTRUSTED_ULIMITS].join(', ')}`);
      continue;
    }
    const max = ctx.policy.trusted ? Number.MAX_SAFE_INTEGER : UNTRUSTED_ULIMIT_MAX;
    if (e.value.kind === 'map') {
      const soft = opt(e.value, 'soft', (n) => readCount(n, ctx, `soft of ${what}`, max));
      const hard = opt(e.value, 'hard', (n) => readCount(n, ctx, `hard of ${what}`, max));
      if (soft !== null && hard !== null) {
        if (soft > hard) ctx.findings.error(e.value.loc, `${what}: soft is above hard`);
        else out[e.key] = { soft, hard };
      } else if (valueOf(e.value, 'soft') === undefined || valueOf(e.value, 'hard') === undefined) ctx.findings.error(e.value.loc, `${what} needs both soft and hard`);
    } else {
      const n = readCount(e.value, ctx, what, max);
      if (n !== null) out[e.key] = { soft: n, hard: n };
    }
  }
  return out;
}

/**
 * Log drivers run inside dockerd on the host: syslog/fluentd/gelf/splunk addresses reach any host socket or port past
 * the step firewall, and cloud drivers act with the host's credentials. An untrusted app gets the local drivers and
 * their harmless options only (issue 13 review).
 */
const SAFE_LOG_DRIVERS = new Set(['json-file', 'local', 'none']);
const SAFE_LOG_OPTIONS = new Set(['max-size', 'max-file', 'compress', 'mode', 'max-buffer-size', 'tag', 'labels', 'labels-regex', 'env', 'env-regex']);

function readLogging(node: YNode, ctx: ComposeContext, where: string): { driver: string; options: Record<string, string> } | null {
  const map = asMap(node, ctx, `logging of ${where}`);
  if (map === null) return null;
  const driver = opt(map, 'driver', (n) => readText(n, ctx, `logging.driver of ${where}`)) ?? 'json-file';
  const options = opt(map, 'options', (n) => readPairs(n, ctx, `logging.options of ${where}`)) ?? {};
  if (!ctx.policy.trusted) {
    if (!SAFE_LOG_DRIVERS.has(driver)) {
      ctx.findings.error(valueOf(map, 'driver')?.loc ?? map.loc, `logging driver ${driver} of ${where} runs in dockerd on the host, which only an app an admin trusted may use`, 'use json-file, local or none');
      return null;
    }
    const unsafe = Object.keys(options).filter((k) => !SAFE_LOG_OPTIONS.has(k));
    if (unsafe.length > 0) {
      ctx.findings.error(valueOf(map, 'options')?.loc ?? map.loc, `logging options ${unsafe.join(', ')} of ${where} are not allowed`, `use ${[...SAFE_LOG_OPTIONS].join(', ')}`);
      return null;
    }
  }
  return { driver, options };
}
