// The variables every step gets: Drone's DRONE_*, Woodpecker's CI_*, CI=true, matrix axes and manual parameters,
// both families in every dialect so plugins of either tool find what they read. What only the run knows (the
// status so far: DRONE_BUILD_STATUS, CI_PIPELINE_STATUS, …) is added when a step starts (run/pipeline-runner.ts).

import type { RunMeta } from '../core/plan.js';
import { droneEventName, woodpeckerEventName } from './events.js';

export interface EnvContext {
  readonly pipeline: string;
  readonly workspace: string;
  readonly matrix: Readonly<Record<string, string>> | null;
}

type Source = (meta: RunMeta, ctx: EnvContext) => string | null;

const pullRequest: Source = (m) => (m.event === 'pull_request' ? /^refs\/pull\/([0-9]+)\//.exec(m.ref ?? '')?.[1] ?? null : null);
const deployTarget: Source = (m) => (m.event === 'deploy' || m.event === 'rollback' ? m.target : null);
// Both tools report the target branch as "the branch" of a pull request.
const branch: Source = (m) => (m.event === 'pull_request' ? m.target ?? m.branch : m.branch);
const pr = (f: (m: RunMeta) => string | null): Source => (m) => (m.event === 'pull_request' ? f(m) : null);

/** Variable names → where the value comes from; unset when null (Drone sets DRONE_TAG only for tags, …). */
const BUILTINS: readonly (readonly [readonly string[], Source])[] = [
  [['CI', 'DRONE'], () => 'true'],
  [['CI_SYSTEM_NAME'], () => 'slipway'],
  [['DRONE_REPO', 'DRONE_REPO_NAME', 'CI_REPO', 'CI_REPO_NAME'], (m) => m.app],
  [['DRONE_BUILD_NUMBER', 'CI_PIPELINE_NUMBER'], (m) => String(m.runNumber)],
  [['DRONE_BUILD_EVENT'], (m) => droneEventName(m.event)],
  [['CI_PIPELINE_EVENT'], (m) => woodpeckerEventName(m.event)],
  [['DRONE_COMMIT', 'DRONE_COMMIT_SHA', 'CI_COMMIT_SHA'], (m) => m.commit],
  [['DRONE_COMMIT_REF', 'CI_COMMIT_REF'], (m) => m.ref],
  [['DRONE_BRANCH', 'DRONE_COMMIT_BRANCH', 'CI_COMMIT_BRANCH'], branch],
  [['DRONE_TAG', 'CI_COMMIT_TAG'], (m) => m.tag],
  [['DRONE_COMMIT_MESSAGE', 'CI_COMMIT_MESSAGE'], (m) => m.commitMessage],
  [['DRONE_COMMIT_AUTHOR', 'CI_COMMIT_AUTHOR'], (m) => m.author],
  [['DRONE_PULL_REQUEST', 'CI_COMMIT_PULL_REQUEST'], pullRequest],
  [['DRONE_SOURCE_BRANCH', 'CI_COMMIT_SOURCE_BRANCH'], pr((m) => m.branch)],
  [['DRONE_TARGET_BRANCH', 'CI_COMMIT_TARGET_BRANCH'], pr((m) => m.target)],
  [['DRONE_DEPLOY_TO', 'CI_PIPELINE_DEPLOY_TARGET'], deployTarget],
  [['DRONE_CRON', 'CI_PIPELINE_CRON'], (m) => (m.event === 'cron' ? m.cronName : null)],
  [['DRONE_WORKSPACE', 'CI_WORKSPACE'], (_m, c) => c.workspace],
  [['DRONE_STAGE_NAME', 'CI_WORKFLOW_NAME'], (_m, c) => c.pipeline],
];

/** Every DRONE_/CI_ name Slipway sets, for linting `${NAME}` references it cannot fill. */
export const BUILTIN_NAMES: ReadonlySet<string> = new Set([...BUILTINS.flatMap(([names]) => names), 'DRONE_STEP_NAME', 'CI_STEP_NAME']);

/** Pipeline-wide variables; the step adds DRONE_STEP_NAME/CI_STEP_NAME (stepEnv). */
export function builtinEnv(meta: RunMeta, ctx: EnvContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [names, source] of BUILTINS) {
    const value = source(meta, ctx);
    if (value !== null) for (const n of names) env[n] = value;
  }
  for (const [k, v] of Object.entries(ctx.matrix ?? {})) env[k] = v;
  for (const [k, v] of Object.entries(meta.params)) env[k] = v;
  return env;
}

/** The step's own variables on top of the pipeline's. */
export function stepEnv(pipelineEnv: Readonly<Record<string, string>>, step: string): Record<string, string> {
  return { ...pipelineEnv, DRONE_STEP_NAME: step, CI_STEP_NAME: step };
}

/**
 * A plugin setting as its PLUGIN_ variable value, the way Drone's and Woodpecker's encoders do it: scalars as text,
 * lists of scalars comma-joined (`tags: [a, b]` → "a,b", which plugins split), anything else as JSON.
 */
export function encodeSetting(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) {
    return value.filter((v) => v !== null).map(String).join(',');
  }
  return JSON.stringify(value);
}

/** `docker_password` → PLUGIN_DOCKER_PASSWORD; dots and dashes become underscores as in Woodpecker. */
export function pluginVariable(key: string): string {
  return `PLUGIN_${key.replace(/[.-]/g, '_').toUpperCase()}`;
}
