// Reads a compose file into a ComposeStack: the subset of the compose specification a Swarm stack needs (image,
// command, entrypoint, environment, healthcheck, labels, deploy.replicas/labels). Every other key is an error that
// names the key, the service and what to do instead: never silently ignored (docker stack deploy ignores many).

import { SlipwayError } from '../core/errors.js';
import type { LintFinding, SourceLocation } from '../core/plan.js';
import type { HealthcheckDefinition } from '../core/ports/engine.js';
import type { RepoFile } from '../yaml/file.js';
import { Findings, formatFinding, sortFindings, suggestion } from '../yaml/findings.js';
import { describeNode, valueOf, type MapNode, type YNode } from '../yaml/node.js';
import { parseYaml } from '../yaml/parse.js';
import { COMPOSE_SERVICE_KEYS, DEPLOY_RULES, HEALTHCHECK_RULES, SERVICE_RULES, TOP_LEVEL_RULES, type KeyRules } from './compose-keys.js';
import { readArgv, readCount, readDuration, readPairs, readText, type ComposeContext } from './compose-values.js';
import { defaultService } from './defaults.js';
import type { ComposeStack, ComposeVariables, StackService } from './model.js';

/** Swarm service names and DNS labels: lowercase letters, digits, "-" and "_" (no dots), at most 63. */
const SERVICE_NAME = /^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$/;
const MAX_REPLICAS = 100;
/** Labels Slipway sets itself to find and name the stack's objects. */
const RESERVED_LABELS = /^(io\.slipway\.|com\.docker\.stack\.)/;

/** The stack, or every problem of the file with its line and column. */
export function readCompose(file: RepoFile, vars: ComposeVariables): { stack: ComposeStack | null; findings: LintFinding[] } {
  const parsed = parseYaml(file);
  const findings = new Findings();
  findings.list.push(...parsed.findings);
  const ctx: ComposeContext = { findings, vars };
  const at = { file: file.path, line: 1, column: 1 };
  if (parsed.documents.length !== 1) {
    if (!findings.hasErrors) findings.error(at, parsed.documents.length === 0 ? 'the compose file is empty' : 'a compose file has one YAML document, not several');
    return { stack: null, findings: sortFindings(findings.list) };
  }
  const root = parsed.documents[0] as YNode;
  if (root.kind !== 'map') {
    findings.error(root.loc, `a compose file must be a map with "services", got ${describeNode(root)}`);
    return { stack: null, findings: sortFindings(findings.list) };
  }
  checkKeys(root, TOP_LEVEL_RULES, ctx, 'the compose file');
  const servicesNode = valueOf(root, 'services');
  const services: StackService[] = [];
  if (servicesNode === undefined) findings.error(root.loc, 'the compose file has no "services"');
  else if (servicesNode.kind !== 'map' || servicesNode.entries.length === 0) {
    findings.error(servicesNode.loc, `"services" must be a map of at least one service, got ${describeNode(servicesNode)}`);
  } else {
    for (const e of servicesNode.entries) {
      if (!SERVICE_NAME.test(e.key)) {
        findings.error(e.keyLoc, `service name "${e.key.slice(0, 70)}" cannot be a Swarm service name`, 'use lowercase letters, digits, "-" and "_" (no dots), up to 63 characters');
      }
      if (e.value.kind !== 'map') findings.error(e.value.loc, `service "${e.key}" must be a map, got ${describeNode(e.value)}`);
      else {
        const service = readService(e.key, e.keyLoc, e.value, ctx);
        if (service !== null) services.push(service);
      }
    }
  }
  const sorted = sortFindings(findings.list);
  return { stack: findings.hasErrors ? null : { files: [file.path], services, networks: {}, volumes: {}, configs: {}, secrets: {} }, findings: sorted };
}

/** readCompose for the deploy step: the stack, or a SlipwayError listing every problem as file:line:col. */
export function parseCompose(file: RepoFile, vars: ComposeVariables): ComposeStack {
  const { stack, findings } = readCompose(file, vars);
  if (stack !== null) return stack;
  const errors = findings.filter((f) => f.severity === 'error');
  throw new SlipwayError('invalid_input', `the compose file ${file.path} cannot be deployed:\n${errors.map((f) => `  ${formatFinding(f)}`).join('\n')}`, {
    field: file.path,
    hint: 'fix the compose file and push again; Slipway stacks take image, command, entrypoint, environment, healthcheck, labels and deploy (replicas, labels)',
  });
}

function readService(name: string, at: SourceLocation, map: MapNode, ctx: ComposeContext): StackService | null {
  const where = `service "${name}"`;
  checkKeys(map, SERVICE_RULES, ctx, where, COMPOSE_SERVICE_KEYS);
  const get = (key: string) => valueOf(map, key);
  const imageNode = get('image');
  let image: string | null = null;
  if (imageNode === undefined) {
    ctx.findings.error(at, `${where} has no image`, 'give an image; for the one this run built and pushed, write image: ${SLIPWAY_IMAGE}');
  } else {
    image = readText(imageNode, ctx, `image of ${where}`);
    if (image !== null && image.trim() === '') {
      ctx.findings.error(imageNode.loc, `image of ${where} is empty`);
      image = null;
    }
  }
  const optional = <T>(key: string, read: (node: YNode) => T | null): T | null => {
    const node = get(key);
    return node === undefined ? null : read(node);
  };
  const entrypoint = optional('entrypoint', (n) => readArgv(n, ctx, `entrypoint of ${where}`));
  const command = optional('command', (n) => readArgv(n, ctx, `command of ${where}`));
  const environment = optional('environment', (n) => readPairs(n, ctx, `environment of ${where}`)) ?? {};
  const labels = labelsOf(get('labels'), ctx, `labels of ${where}`);
  const healthcheck = optional('healthcheck', (n) => readHealthcheck(n, ctx, `healthcheck of ${where}`));
  const deploy = optional('deploy', (n) => readDeploy(n, ctx, `deploy of ${where}`)) ?? { replicas: 1, labels: {} };
  if (image === null) return null;
  return { ...defaultService(name, image), entrypoint, command, environment, replicas: deploy.replicas, healthcheck, labels, deployLabels: deploy.labels };
}

function readDeploy(node: YNode, ctx: ComposeContext, where: string): { replicas: number; labels: Record<string, string> } | null {
  if (node.kind !== 'map') {
    ctx.findings.error(node.loc, `${where} must be a map, got ${describeNode(node)}`);
    return null;
  }
  checkKeys(node, DEPLOY_RULES, ctx, where);
  const mode = valueOf(node, 'mode');
  if (mode !== undefined) {
    const text = readText(mode, ctx, `mode of ${where}`);
    if (text === 'global') ctx.findings.error(mode.loc, `mode global of ${where} is not supported by Slipway stacks`, 'write replicas: N instead');
    else if (text !== null && text !== 'replicated') ctx.findings.error(mode.loc, `mode of ${where} must be replicated, got "${text.slice(0, 30)}"`);
  }
  const replicasNode = valueOf(node, 'replicas');
  const replicas = replicasNode === undefined ? 1 : readCount(replicasNode, ctx, `replicas of ${where}`, MAX_REPLICAS) ?? 1;
  return { replicas, labels: labelsOf(valueOf(node, 'labels'), ctx, `labels of ${where}`) };
}

function readHealthcheck(node: YNode, ctx: ComposeContext, where: string): HealthcheckDefinition | null {
  if (node.kind !== 'map') {
    ctx.findings.error(node.loc, `${where} must be a map, got ${describeNode(node)}`);
    return null;
  }
  checkKeys(node, HEALTHCHECK_RULES, ctx, where);
  const get = (key: string) => valueOf(node, key);
  const duration = (key: string) => {
    const n = get(key);
    return n === undefined ? null : readDuration(n, ctx, `${key} of ${where}`);
  };
  const retriesNode = get('retries');
  const retries = retriesNode === undefined ? null : readCount(retriesNode, ctx, `retries of ${where}`, 100) || null;
  const disableNode = get('disable');
  const disabled = disableNode !== undefined && disableNode.kind === 'scalar' && disableNode.value === true;
  if (disableNode !== undefined && !(disableNode.kind === 'scalar' && typeof disableNode.value === 'boolean')) {
    ctx.findings.error(disableNode.loc, `disable of ${where} must be true or false, got ${describeNode(disableNode)}`);
  }
  const testNode = get('test');
  if (disabled && testNode !== undefined) ctx.findings.error(testNode.loc, `${where} has both disable: true and a test`, 'keep one of them');
  const test = disabled ? ['NONE'] : testNode === undefined ? [] : readTest(testNode, ctx, `test of ${where}`);
  const timing = { intervalMs: duration('interval'), timeoutMs: duration('timeout'), retries, startPeriodMs: duration('start_period') };
  return test === null ? null : { test, ...timing };
}

/** A string runs in the container's shell (CMD-SHELL), as in compose; a list starts with CMD, CMD-SHELL or NONE. */
function readTest(node: YNode, ctx: ComposeContext, what: string): string[] | null {
  if (node.kind === 'scalar') {
    const text = readText(node, ctx, what);
    return text === null ? null : ['CMD-SHELL', text];
  }
  const argv = readArgv(node, ctx, what);
  if (argv === null) return null;
  const [kind] = argv;
  const ok = (kind === 'CMD' && argv.length >= 2) || (kind === 'CMD-SHELL' && argv.length === 2) || (kind === 'NONE' && argv.length === 1);
  if (!ok) {
    ctx.findings.error(node.loc, `${what} must be [CMD, program, args…], [CMD-SHELL, "command"] or [NONE]`, 'or write the command as one string to run it with the container\'s shell');
    return null;
  }
  return argv;
}

function labelsOf(node: YNode | undefined, ctx: ComposeContext, what: string): Record<string, string> {
  if (node === undefined) return {};
  const labels = readPairs(node, ctx, what);
  for (const key of Object.keys(labels)) {
    if (RESERVED_LABELS.test(key)) ctx.findings.error(node.loc, `${what}: ${key} is set by Slipway`, 'use another label name');
  }
  return labels;
}

/** Supported keys pass; known-but-unsupported ones are errors with their hint; anything else is a typo. */
function checkKeys(map: MapNode, rules: KeyRules, ctx: ComposeContext, where: string, known: readonly string[] = []): void {
  const supported = Object.keys(rules).filter((k) => rules[k] === 'ok');
  for (const e of map.entries) {
    if (e.key.startsWith('x-')) continue; // compose extension fields: where anchors live
    const rule = Object.hasOwn(rules, e.key) ? rules[e.key] : known.includes(e.key) ? GENERIC : undefined;
    if (rule === 'ok') continue;
    if (rule === undefined) {
      ctx.findings.error(e.keyLoc, `unknown key "${e.key.slice(0, 60)}" in ${where}${suggestion(e.key, supported)}`);
    } else {
      ctx.findings.error(e.keyLoc, `"${e.key}" of ${where} is not supported by Slipway stacks`, rule);
    }
  }
}

const GENERIC = 'Slipway stacks take image, command, entrypoint, environment, healthcheck, labels and deploy (replicas, labels): remove it, or run this service some other way';
