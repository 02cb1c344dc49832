// Reads one YAML document into a PipelineModel: steps (list, or map in Woodpecker's legacy and Slipway's form),
// services, pipeline-level when/trigger (and Woodpecker's runs_on), depends_on, matrix, workspace and environment.

import type { SourceLocation } from '../core/plan.js';
import type { MapNode, YNode } from '../yaml/node.js';
import { checkKeys, clip, keyTable } from './keys.js';
import { readMatrix } from './matrix.js';
import type { EnvEntry, Located, PipelineModel, ServiceModel, StepModel, When } from './model.js';
import { readDependsOn } from './read-container.js';
import { checkDroneOptions, isDronePipeline } from './read-drone.js';
import { readEnvironment } from './read-env.js';
import { readService } from './read-service.js';
import { readStep } from './read-step.js';
import { namedItems, readMap, readNonEmptyString, readStringList, type ReadContext } from './read-values.js';
import { readWhen, statusValues, withLegacyBranches } from './read-when.js';
import { readWorkspace } from './workspace.js';

export interface DocumentPlace {
  readonly file: string;
  readonly index: number;
  readonly count: number;
}

export function readPipeline(doc: YNode, place: DocumentPlace, ctx: ReadContext): PipelineModel | null {
  const map = readMap(doc, ctx, 'a pipeline document');
  if (map === null) return null;
  if (ctx.dialect === 'drone' && !isDronePipeline(map, ctx)) return null;
  checkKeys(map, keyTable(ctx.dialect, 'pipeline'), ctx, 'pipeline', true);
  if (ctx.dialect === 'drone') checkDroneOptions(map, ctx);
  const get = (key: string): YNode | undefined => map.entries.find((e) => e.key === key)?.value;
  const { name, nameLoc } = pipelineName(map, place, ctx);
  const dependsNode = get('depends_on');
  const matrixNode = get('matrix');
  const envNode = get('environment');
  const when = readPipelineWhen(map, ctx);
  const runsOn = ctx.dialect === 'woodpecker' ? readRunsOn(get('runs_on'), ctx) : null;
  const dependsOn = dependsNode === undefined ? [] : readDependsOn(dependsNode, ctx, 'depends_on of the pipeline');
  if (dependsOn.length === 0) checkFailureOnly(when, runsOn, map, ctx);
  return {
    name,
    nameLoc,
    file: place.file,
    dialect: ctx.dialect,
    loc: map.loc,
    steps: readSteps(map, ctx),
    services: readServices(get('services'), ctx),
    when,
    runsOn,
    dependsOn,
    matrix: matrixNode === undefined ? null : readMatrix(matrixNode, ctx),
    workspace: readWorkspace(get('workspace'), ctx),
    environment: envNode === undefined ? [] : pipelineEnvironment(envNode, ctx),
    pullSecrets: readPullSecrets(get('image_pull_secrets'), ctx),
  };
}

/** A list of secret names (a single name is a one-item list, as elsewhere). */
function readPullSecrets(node: YNode | undefined, ctx: ReadContext): Located<string>[] {
  if (node === undefined) return [];
  const items = node.kind === 'seq' ? node.items : [node];
  const out: Located<string>[] = [];
  for (const item of items) {
    const name = readNonEmptyString(item, ctx, 'each item of image_pull_secrets');
    if (name !== null) out.push({ value: name, loc: item.loc });
  }
  return out;
}

/** Drone: `name:` or "default"; Woodpecker: the file name; Slipway: `name:` or the file name. */
function pipelineName(map: MapNode, place: DocumentPlace, ctx: ReadContext): { name: string; nameLoc: SourceLocation } {
  const entry = map.entries.find((e) => e.key === 'name');
  const written = entry === undefined ? null : readNonEmptyString(entry.value, ctx, 'pipeline name');
  if (written !== null && entry !== undefined) return { name: written, nameLoc: entry.value.loc };
  if (ctx.dialect === 'drone') return { name: 'default', nameLoc: map.loc };
  const base = fileBaseName(place.file);
  return { name: place.count > 1 ? `${base}-${place.index + 1}` : base, nameLoc: map.loc };
}

/** `.woodpecker/test.yml` → "test", `.slipway.yml` → "slipway". */
export function fileBaseName(path: string): string {
  const last = path.split('/').pop() ?? path;
  return last.replace(/\.ya?ml$/, '').replace(/^\./, '') || last;
}

function readSteps(map: MapNode, ctx: ReadContext): StepModel[] {
  const steps = map.entries.find((e) => e.key === 'steps');
  const legacy = ctx.dialect === 'woodpecker' ? map.entries.find((e) => e.key === 'pipeline') : undefined;
  if (steps !== undefined && legacy !== undefined) ctx.findings.error(legacy.keyLoc, 'both `steps` and `pipeline`', 'keep `steps` only');
  const entry = steps ?? legacy;
  if (entry === undefined) {
    ctx.findings.error(map.loc, 'pipeline has no steps', 'add `steps:` with at least one step');
    return [];
  }
  checkListForm(entry.value, 'steps', ctx);
  const items = namedItems(entry.value, ctx, 'steps') ?? [];
  if (items.length === 0 && entry.value.kind !== 'scalar') ctx.findings.error(entry.keyLoc, 'pipeline has no steps');
  return items.map((item, i) => readStep(item.node, item.keyName, i, ctx));
}

function readServices(node: YNode | undefined, ctx: ReadContext): ServiceModel[] {
  if (node === undefined || (node.kind === 'scalar' && node.value === null)) return [];
  checkListForm(node, 'services', ctx);
  return (namedItems(node, ctx, 'services') ?? []).map((item, i) => readService(item.node, item.keyName, i, ctx));
}

/** Drone reads lists only; Woodpecker's map form is legacy; Slipway takes both. */
function checkListForm(node: YNode, what: string, ctx: ReadContext): void {
  if (node.kind !== 'map') return;
  if (ctx.dialect === 'drone') ctx.findings.error(node.loc, `${what} must be a list`, 'write each item as `- name: …`');
  if (ctx.dialect === 'woodpecker') ctx.findings.warn(node.loc, `the map form of ${what} is deprecated`, 'write a list of items with `name:`');
}

function readPipelineWhen(map: MapNode, ctx: ReadContext): When {
  const key = ctx.dialect === 'drone' ? 'trigger' : 'when';
  const node = map.entries.find((e) => e.key === key)?.value;
  const when = readWhen(node, ctx, 'trigger', key);
  const branches = ctx.dialect === 'woodpecker' ? map.entries.find((e) => e.key === 'branches')?.value : undefined;
  return branches === undefined ? when : withLegacyBranches(when, branches, ctx);
}

/** Woodpecker's `runs_on: [success, failure]`; an empty list is the default (null). */
function readRunsOn(node: YNode | undefined, ctx: ReadContext): ('success' | 'failure')[] | null {
  if (node === undefined || (node.kind === 'scalar' && node.value === null)) return null;
  const values = readStringList(node, ctx, 'runs_on');
  if (values === null) return null;
  const statuses = statusValues(values, node, ctx);
  return statuses.length > 0 ? statuses : null;
}

/**
 * A pipeline that runs only after a pipeline it depends on failed, but depends on none, never runs (Slipway, like
 * Woodpecker, judges a pipeline by its dependencies, not by the rest of the run): almost certainly a missing depends_on.
 */
function checkFailureOnly(when: When, runsOn: readonly ('success' | 'failure')[] | null, map: MapNode, ctx: ReadContext): void {
  const onlyFailure = (s: readonly string[] | null): boolean => s !== null && s.includes('failure') && !s.includes('success');
  const fromWhen = when.conditions.length > 0 && when.conditions.every((c) => onlyFailure(c.status));
  const loc = runsOn !== null
    ? (onlyFailure(runsOn) ? map.entries.find((e) => e.key === 'runs_on')?.value.loc : undefined)
    : (fromWhen ? when.conditions[0]?.loc : undefined);
  if (loc === undefined) return;
  ctx.findings.warn(loc, 'this pipeline runs only when a pipeline it depends on fails, but it depends on none: it never runs', 'add `depends_on:` with the pipelines it reports on');
}

function pipelineEnvironment(node: YNode, ctx: ReadContext): EnvEntry[] {
  const env = readEnvironment(node, ctx, 'the pipeline');
  for (const e of env) {
    // A pipeline-wide secret would reach every step and plugin image; secrets are given per step on purpose.
    if (e.value.kind === 'secret') ctx.findings.error(e.value.loc, `from_secret is not allowed in pipeline environment (${clip(e.name)})`, 'set it in the environment of the steps that need it');
  }
  return env.filter((e) => e.value.kind === 'plain');
}
