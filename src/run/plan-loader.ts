// Finds out what a run executes: its RunMeta (event, branch, commit info) and its RunPlan — the pipeline file
// of the source compiled, the default build → push → deploy without one, or the stored plan of a restarted run.

import { SlipwayError } from '../core/errors.js';
import type { RunMeta, RunPlan } from '../core/plan.js';
import type { RunDetails } from '../core/ports/store.js';
import type { App, Run } from '../core/types.js';
import { compilePlan, defaultPlan, discoverPipelines } from '../pipeline/index.js';
import { restrictPullRequest } from './pr-policy.js';
import type { RunContext } from './run-context.js';

/** What loading a plan reads: the store, the run's source and its commit. */
export type PlanContext = Pick<RunContext, 'store' | 'sources'>;

export interface LoadedPlan {
  readonly plan: RunPlan;
  readonly meta: RunMeta;
  readonly details: RunDetails;
  /** The file(s) the plan came from, for the log. */
  readonly origin: string;
}

export async function loadPlan(run: Run, app: App, ctx: PlanContext): Promise<LoadedPlan> {
  const details = await ctx.store.getRunDetails(run.id);
  if (!details) throw new SlipwayError('not_found', `run ${run.id} has no details`);
  const meta = await runMeta(run, app, details, ctx);
  if (details.restartOf !== null) {
    const earlier = await ctx.store.getRunDetails(details.restartOf);
    if (earlier?.plan) return { plan: restrictPullRequest(earlier.plan as RunPlan, meta), meta, details, origin: `the plan of run ${details.restartOf}` };
  }
  const source = discoverPipelines(await ctx.sources.pipelineFiles(run));
  // The default pipeline builds and deploys; after a rollback only a pipeline file's rollback steps may run.
  if (!source && meta.event === 'rollback') return { plan: { pipelines: [], warnings: [] }, meta, details, origin: 'no pipeline file: no rollback steps' };
  if (!source) return { plan: restrictPullRequest(defaultPlan(meta), meta), meta, details, origin: 'the default pipeline (build, push, deploy)' };
  const knownSecrets = (await ctx.store.listSecretNames(app.name)).map((s) => s.name);
  const plan = restrictPullRequest(compilePlan(source, meta, { knownSecrets }), meta);
  return { plan, meta, details, origin: source.files.map((f) => f.path).join(', ') };
}

async function runMeta(run: Run, app: App, details: RunDetails, ctx: PlanContext): Promise<RunMeta> {
  const ref = run.ref;
  const branch = ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null;
  const tag = ref?.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : null;
  const info = (await ctx.sources.commitInfo(run)) ?? { message: '', author: '', describe: null };
  return {
    app: app.name,
    runNumber: run.id,
    event: tag !== null && details.event === 'push' ? 'tag' : details.event,
    commit: run.commit,
    ref,
    // A pull request's branch is its head branch (DRONE_SOURCE_BRANCH); `when: branch` matches its target.
    branch: details.event === 'pull_request' ? details.sourceBranch : branch ?? (run.source === 'upload' ? app.branch : null),
    tag,
    target: details.target,
    // Files changed by the pushed commit (against its first parent); null when unknown: path filters then match.
    changedFiles: await ctx.sources.changedFiles(run),
    cronName: details.cronName ?? null,
    params: details.params,
    commitMessage: info.message,
    author: info.author,
    fromFork: details.fromFork,
    describe: info.describe,
  };
}
