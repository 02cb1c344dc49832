// Reads compose files into a ComposeStack the way `docker stack deploy -c a -c b` does: each file parsed, its
// variables replaced (`.env` beside the first file, then Slipway's), checked against the compose-spec schema, the
// files merged, then every key Swarm has a field for read into the model and Slipway's own rules applied. Pure: the
// texts of `.env` and env files come in through `readRepoFile` (composeNeeds says which to extract first).

import { SlipwayError } from '../core/errors.js';
import type { LintFinding, SourceLocation } from '../core/plan.js';
import type { RepoFile } from '../yaml/file.js';
import { Findings, formatFinding, sortFindings } from '../yaml/findings.js';
import { describeNode, valueOf, type MapNode, type YNode } from '../yaml/node.js';
import { parseYaml } from '../yaml/parse.js';
import { EDGE_PROXY_IMAGES, TOP_LEVEL_IGNORED, TOP_LEVEL_REFUSED } from './compose-keys.js';
import { mergeComposeTrees } from './compose-merge.js';
import { dotenvPath } from './compose-paths.js';
import { checkSchema } from './compose-schema.js';
import { readService, type DeclaredNames } from './compose-service.js';
import { readFileObjects, readNetworks, readVolumes } from './compose-top.js';
import type { ComposeContext } from './compose-values.js';
import { parseDotenv } from './dotenv.js';
import { interpolateTree } from './interpolate-tree.js';
import type { ComposeStack, ComposeVariables, StackPolicy, StackService } from './model.js';

/** `-c a -c b …`: a base and its overrides, never dozens. */
const MAX_FILES = 16;
/** Swarm service names and DNS labels: lowercase letters, digits, "-" and "_" (no dots), at most 63. */
const SERVICE_NAME = /^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$/;

export interface ComposeReadOptions {
  /** A file of the repository by path from its root (`.env`, env files), or null when it is not there. */
  readonly readRepoFile?: (path: string) => string | null;
}

export interface ComposeResult {
  readonly stack: ComposeStack | null;
  readonly findings: LintFinding[];
}

/** What a run may do with a stack when nobody said more: no host powers, no host paths. */
export const UNTRUSTED: StackPolicy = { trusted: false, bindRoots: [] };

export function readComposeFiles(files: readonly RepoFile[], vars: ComposeVariables, policy: StackPolicy, options: ComposeReadOptions = {}): ComposeResult {
  const findings = new Findings();
  const readRepoFile = options.readRepoFile ?? (() => null);
  const first = files[0];
  if (first === undefined) {
    findings.error({ file: 'compose.yaml', line: 1, column: 1 }, 'no compose file given');
    return done(findings, null);
  }
  if (files.length > MAX_FILES) {
    findings.error({ file: first.path, line: 1, column: 1 }, `${files.length} compose files given: at most ${MAX_FILES}`);
    return done(findings, null);
  }
  const all = { ...dotenvVars(first.path, readRepoFile, findings), ...vars };
  const ctx: ComposeContext = { findings, vars: all, appVars: vars, policy, readRepoFile };
  const trees: MapNode[] = [];
  for (const file of files) {
    const tree = readOne(file, ctx);
    if (tree !== null) trees.push(tree);
  }
  const root = trees.length === files.length ? mergeComposeTrees(trees) : null;
  if (root === null) return done(findings, null);
  const stack = readStack(root, files.map((f) => f.path), ctx);
  return done(findings, findings.hasErrors ? null : stack);
}

/** readComposeFiles for the deploy step: the stack, or a SlipwayError listing every error as file:line:col. */
export function parseComposeFiles(files: readonly RepoFile[], vars: ComposeVariables, policy: StackPolicy, options: ComposeReadOptions = {}): ComposeStack {
  const { stack, findings } = readComposeFiles(files, vars, policy, options);
  if (stack !== null) return stack;
  const errors = findings.filter((f) => f.severity === 'error');
  const names = files.map((f) => f.path).join(', ');
  throw new SlipwayError('invalid_input', `the compose file${files.length > 1 ? 's' : ''} ${names} cannot be deployed:\n${errors.map((f) => `  ${formatFinding(f)}`).join('\n')}`, {
    field: files[0]?.path ?? 'compose.yaml',
    hint: 'fix the compose file and push again; `slipway stacks lint` shows every problem',
  });
}

/** For `slipway stacks lint`: every finding, errors and warnings. */
export function lintCompose(files: readonly RepoFile[], vars: ComposeVariables, policy: StackPolicy, options: ComposeReadOptions = {}): LintFinding[] {
  return readComposeFiles(files, vars, policy, options).findings;
}

/** One file, untrusted, no `.env`: what the deploy step used before several files and policies. */
export function readCompose(file: RepoFile, vars: ComposeVariables, policy: StackPolicy = UNTRUSTED, options: ComposeReadOptions = {}): ComposeResult {
  return readComposeFiles([file], vars, policy, options);
}

export function parseCompose(file: RepoFile, vars: ComposeVariables, policy: StackPolicy = UNTRUSTED, options: ComposeReadOptions = {}): ComposeStack {
  return parseComposeFiles([file], vars, policy, options);
}

function dotenvVars(firstFile: string, readRepoFile: (path: string) => string | null, findings: Findings): Record<string, string> {
  const path = dotenvPath(firstFile);
  const text = readRepoFile(path);
  if (text === null) return {};
  const parsed = parseDotenv(text);
  for (const e of parsed.errors) findings.error({ file: path, line: e.line, column: 1 }, e.message);
  return parsed.values;
}

/** Parse, interpolate, check against the schema and the top-level rules; null when the file is not a map. */
function readOne(file: RepoFile, ctx: ComposeContext): MapNode | null {
  const parsed = parseYaml(file);
  ctx.findings.list.push(...parsed.findings);
  const at = { file: file.path, line: 1, column: 1 };
  if (parsed.documents.length !== 1) {
    if (!parsed.findings.some((f) => f.severity === 'error')) ctx.findings.error(at, parsed.documents.length === 0 ? 'the compose file is empty' : 'a compose file has one YAML document, not several');
    return null;
  }
  const doc = parsed.documents[0] as YNode;
  if (doc.kind !== 'map') {
    ctx.findings.error(doc.loc, `a compose file must be a map with "services", got ${describeNode(doc)}`);
    return null;
  }
  const tree = interpolateTree(doc, ctx.vars, ctx.findings) as MapNode;
  checkSchema(tree, ctx.findings);
  for (const e of tree.entries) {
    const refused = TOP_LEVEL_REFUSED[e.key];
    const ignored = TOP_LEVEL_IGNORED[e.key];
    if (refused !== undefined) ctx.findings.error(e.keyLoc, `"${e.key}" of the compose file is not supported by Slipway stacks`, refused);
    if (ignored !== undefined) ctx.findings.warn(e.keyLoc, `"${e.key}" of the compose file is ignored`, ignored);
  }
  return tree;
}

function readStack(root: MapNode, files: readonly string[], ctx: ComposeContext): ComposeStack {
  const networks = readNetworks(valueOf(root, 'networks'), ctx);
  const volumes = readVolumes(valueOf(root, 'volumes'), ctx);
  const configs = readFileObjects(valueOf(root, 'configs'), 'configs', ctx);
  const secrets = readFileObjects(valueOf(root, 'secrets'), 'secrets', ctx);
  const names: DeclaredNames = {
    networks: declared(root, 'networks'), volumes: declared(root, 'volumes'), configs: declared(root, 'configs'), secrets: declared(root, 'secrets'),
  };
  const services: StackService[] = [];
  const at = new Map<string, SourceLocation>();
  const servicesNode = valueOf(root, 'services');
  if (servicesNode === undefined) ctx.findings.error(root.loc, 'the compose file has no "services"');
  else if (servicesNode.kind !== 'map' || servicesNode.entries.length === 0) {
    ctx.findings.error(servicesNode.loc, `"services" must be a map of at least one service, got ${describeNode(servicesNode)}`);
  } else {
    for (const e of servicesNode.entries) {
      if (e.key.startsWith('x-')) continue;
      if (!SERVICE_NAME.test(e.key)) {
        ctx.findings.error(e.keyLoc, `service name "${e.key.slice(0, 70)}" cannot be a Swarm service name`, 'use lowercase letters, digits, "-" and "_" (no dots), up to 63 characters');
      }
      if (e.value.kind !== 'map') {
        ctx.findings.error(e.value.loc, `service "${e.key}" must be a map, got ${describeNode(e.value)}`);
        continue;
      }
      if (isEdgeProxy(e.key, e.value, ctx)) continue;
      const service = readService(e.key, e.keyLoc, e.value, names, ctx);
      if (service !== null) services.push(service);
      at.set(e.key, e.keyLoc);
    }
    if (services.length === 0 && !ctx.findings.hasErrors) ctx.findings.error(servicesNode.loc, 'no service is left to deploy');
  }
  checkRoutes(services, at, ctx);
  checkPublished(services, at, ctx);
  return { files, services, networks, volumes, configs, secrets };
}

function declared(root: MapNode, key: string): ReadonlySet<string> {
  const node = valueOf(root, key);
  return new Set(node !== undefined && node.kind === 'map' ? node.entries.map((e) => e.key).filter((k) => !k.startsWith('x-')) : []);
}

/** Traefik, nginx-proxy and their companions: Slipway's edge does their job, and they would fight it for 80/443. */
function isEdgeProxy(name: string, map: MapNode, ctx: ComposeContext): boolean {
  const image = valueOf(map, 'image');
  if (image === undefined || image.kind !== 'scalar' || !EDGE_PROXY_IMAGES.some((re) => re.test(image.text))) return false;
  ctx.findings.warn(image.loc, `service "${name}" runs ${image.text.slice(0, 80)}, a reverse proxy: it is left out of the stack, Slipway's edge serves HTTPS`, 'the routes of the other services are read from their Traefik labels or VIRTUAL_HOST');
  return true;
}

function checkRoutes(services: readonly StackService[], at: ReadonlyMap<string, SourceLocation>, ctx: ComposeContext): void {
  const seen = new Map<string, string>();
  for (const s of services) {
    if (s.route === null) continue;
    const other = seen.get(s.route.domain);
    const loc = at.get(s.name);
    if (other !== undefined && loc !== undefined) ctx.findings.error(loc, `services "${other}" and "${s.name}" both want the domain ${s.route.domain}`);
    seen.set(s.route.domain, s.name);
  }
}

/** Two services cannot publish one port: Swarm would refuse the second when it is too late to say so clearly. */
function checkPublished(services: readonly StackService[], at: ReadonlyMap<string, SourceLocation>, ctx: ComposeContext): void {
  const seen = new Map<string, string>();
  for (const s of services) {
    for (const p of s.ports) {
      if (p.published === null) continue;
      const key = `${p.published}/${p.protocol}`;
      const other = seen.get(key);
      const loc = at.get(s.name);
      if (other !== undefined && other !== s.name && loc !== undefined) ctx.findings.error(loc, `services "${other}" and "${s.name}" both publish port ${key}`);
      seen.set(key, s.name);
    }
  }
}

/** Sorted, and one error per position: the first said there (the schema's, then Slipway's) is the one that counts. */
function done(findings: Findings, stack: ComposeStack | null): ComposeResult {
  const seen = new Set<string>();
  const kept = findings.list.filter((f) => {
    if (f.severity !== 'error') return true;
    const key = `${f.location.file}:${f.location.line}:${f.location.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { stack, findings: sortFindings(kept) };
}
