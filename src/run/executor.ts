// Executes one run end to end: its pipeline (the default one is build → push → deploy) or a rollback, and records
// the outcome. Each phase is recorded first, so a restart knows where the run was (see queue.start).

import { SlipwayError, asSlipwayError } from '../core/errors.js';
import { appUrl } from '../core/naming.js';
import { secretContext } from '../core/ports/sealer.js';
import type { App, Release, Run, RunStatus } from '../core/types.js';
import type { RunPlan } from '../core/plan.js';
import { resumePutBack, rollOut } from '../converge/rollout.js';
import { createConfigRelease } from '../release/config-release.js';
import { createRollbackRelease } from '../release/new-release.js';
import { replacedMeanwhile, resumedRelease } from '../release/resume.js';
import { RunBuiltins } from './builtins.js';
import { runPlan } from './pipeline-runner.js';
import { runStackRun, stackRunOf } from './stack-runs.js';
import { loadPlan } from './plan-loader.js';
import type { RunContext } from './run-context.js';
import { RunLog } from './run-log.js';
import { StoreStepRecorder } from './step-recorder.js';
import { pruneKeptWorkspaces } from './workspace-retention.js';

export async function executeRun(run: Run, ctx: RunContext): Promise<void> {
  const log = await RunLog.open(ctx.store, ctx.bus, run.id, run.app).catch(() => RunLog.detached(ctx.store, ctx.bus, run.id, run.app));
  const signal = ctx.cancellations.register(run.id);
  ctx.bus.emit('run.started', { runId: run.id, app: run.app });
  try {
    const app = await ctx.store.getApp(run.app);
    if (!app) throw new SlipwayError('not_found', `app ${run.app} no longer exists`);
    // Issue 13: `stacks deploy | rollback` runs deploy one stack and run no pipeline (run/stack-runs.ts).
    const stackRun = stackRunOf(run, await ctx.store.getRunDetails(run.id));
    if (stackRun !== null) return await finish(run, ctx, log, 'succeeded', null, void (await runStackRun(run, stackRun, app, ctx, log.write, signal)));
    const resumed = await resumedRelease(ctx.store, run, log.write);
    if (resumed || run.source === 'rollback' || run.source === 'config') {
      // Under the app's deploy lock: the release "before the live one" must not change under a rollback's feet, nor
      // the live release a config change is applied to.
      const release = await ctx.deploys.with(app.name, signal, log.write, async () => {
        // Killed between recording a config release and its deploy phase: that release never went out.
        if (!resumed && run.source === 'config') await failUnsentReleases(run, app, ctx);
        const chosen = resumed ?? (run.source === 'config' ? await createConfigRelease(ctx.store, app, run, log.write) : await createRollbackRelease(ctx.store, app, run, log.write));
        if (chosen === null) return null;
        if (resumed && (await replacedMeanwhile(ctx.store, resumed, run, log.write))) return null;
        if (chosen.status === 'failed') await resumePutBack(chosen, { ...ctx, log: log.write });
        await ctx.store.updateRun(run.id, { phase: 'deploy', releaseId: chosen.id });
        await rollOut(chosen, { ...ctx, log: log.write });
        await ctx.syncRoutes();
        return chosen;
      });
      if (release === null) {
        await failIfStepsWereCutOff(run, ctx);
        return await finish(run, ctx, log, 'succeeded', null);
      }
      const url = liveAt(app, ctx, log);
      if (resumed) await failIfStepsWereCutOff(run, ctx);
      if (run.source === 'rollback') await runRollbackSteps(run, app, release, ctx, log, signal);
      return await finish(run, ctx, log, 'succeeded', null, url);
    }
    // Killed between recording a release and recording the run's deploy phase: that release never went out.
    await failUnsentReleases(run, app, ctx);
    // Asked to cancel before a restart cut it off: end it so, rather than run it again.
    if ((await ctx.store.getRunDetails(run.id))?.cancelRequested) throw new SlipwayError('cancelled', 'the run was cancelled (before Slipway restarted)');
    const deployed = await runPipelines(run, app, ctx, log, signal);
    await finish(run, ctx, log, 'succeeded', null, deployed ? liveAt(app, ctx, log) : undefined);
  } catch (err) {
    const e = asSlipwayError(err);
    const status: RunStatus = e.kind === 'cancelled' ? 'cancelled' : 'failed';
    log.write(`--> ${status}: ${e.message}\n${e.hint ? `    hint: ${e.hint}\n` : ''}`);
    await finish(run, ctx, log, status, e);
  } finally {
    ctx.cancellations.release(run.id);
  }
}

/** Runs the plan; resolves with whether it deployed, throws the first step's error if it failed. */
async function runPipelines(run: Run, app: App, ctx: RunContext, log: RunLog, signal: AbortSignal): Promise<boolean> {
  const { plan, meta, details, origin } = await loadPlan(run, app, ctx);
  log.write(`--> pipeline from ${origin}\n`);
  for (const w of plan.warnings) log.write(`    warning: ${w.location.file}:${w.location.line}:${w.location.column}: ${w.message}\n`);
  await ctx.store.updateRunDetails(run.id, { plan });
  const steps = plan.pipelines.flatMap((p) => p.steps.map((s) => ({ pipeline: p.name, name: s.name, status: 'pending' as const, skipReason: s.skip })));
  await ctx.store.saveRunSteps(run.id, steps);
  const earlier = details.restartOf === null ? null : await ctx.store.getRunDetails(details.restartOf);
  const resume = earlier?.workspace
    ? {
        workspaces: JSON.parse(earlier.workspace) as Record<string, string>,
        succeeded: new Set((await ctx.store.listRunSteps(details.restartOf!))
          .filter((s) => s.status === 'succeeded' && !rebuiltOnRestart(plan, s.pipeline, s.name))
          .map((s) => `${s.pipeline}/${s.name}`)),
      }
    : null;
  if (resume) log.write(`--> restarting run ${details.restartOf} from its failed step, in its kept workspace\n`);
  // Pull requests from forks never get secrets (their code could print them).
  const secrets = meta.fromFork ? {} : await openSecrets(app.name, ctx);
  const builtins = new RunBuiltins(run, app, meta, ctx);
  const recorder = new StoreStepRecorder(ctx.store, ctx.bus, run.id, log);
  let firstError: SlipwayError | null = null;
  const outcome = await runPlan(plan, {
    namespace: ctx.instance,
    app: app.name,
    runId: run.id,
    backend: ctx.backend,
    builtins,
    recorder,
    secrets,
    source: () => ctx.sources.open(run),
    signal,
    resume,
    log: log.write,
    onStepError: (e) => (firstError ??= e),
    // A fork's code gets no way out of its step network: nothing to send its findings to (issue 12).
    internalNetwork: meta.fromFork,
  }).finally(() => builtins.close(log.write));
  await recorder.flush();
  if (Object.keys(outcome.keptWorkspaces).length > 0) {
    await ctx.store.updateRunDetails(run.id, { workspace: JSON.stringify(outcome.keptWorkspaces) });
  }
  await pruneKeptWorkspaces(ctx.store, ctx.backend, app.name, (t) => log.write(`    warning: ${t}`));
  if (outcome.status === 'cancelled') throw new SlipwayError('cancelled', 'the run was cancelled');
  if (outcome.status === 'failed') {
    const e = firstError as SlipwayError | null;
    throw e ?? new SlipwayError('build_failed', outcome.failure ?? 'the pipeline failed', {
      hint: `see the step logs (\`slipway runs steps ${run.id}\`); fix and push again, or \`slipway runs restart ${run.id}\` to resume from the failed step`,
    });
  }
  return builtins.deployed;
}

/**
 * After a rollback is live: the pipeline file of the release's commit, as event rollback, runs the steps that ask for
 * it by name (pipeline/compile.ts skips the rest and every build, push and deploy). No pipeline file: nothing runs
 * (plan-loader.ts).
 */
async function runRollbackSteps(run: Run, app: App, release: Release, ctx: RunContext, log: RunLog, signal: AbortSignal): Promise<void> {
  // Slipway names a release's source by the commit SHA for git, the tarball's sha256 for uploads.
  const source = /^[0-9a-f]{64}$/.test(release.commit) ? 'upload' : 'git';
  const from: Run = { ...run, source, commit: release.commit, ref: source === 'git' ? `refs/heads/${app.branch}` : null };
  try {
    await runPipelines(from, app, ctx, log, signal);
  } catch (err) {
    const e = asSlipwayError(err);
    if (e.kind === 'cancelled') throw e;
    throw new SlipwayError(e.kind, `release v${release.number} is live again, but a rollback step failed: ${e.message}`, { ...(e.hint ? { hint: e.hint } : {}), cause: e });
  }
}

/** Built image and digest live only in the run that made them: build and push run again (layer cache). */
function rebuiltOnRestart(plan: RunPlan, pipeline: string, step: string): boolean {
  const kind = plan.pipelines.find((p) => p.name === pipeline)?.steps.find((s) => s.name === step)?.kind;
  return kind === 'build' || kind === 'push';
}

async function failUnsentReleases(run: Run, app: App, ctx: RunContext): Promise<void> {
  for (const r of await ctx.store.listReleases(app.name)) {
    if (r.runId === run.id && r.status === 'deploying') await ctx.store.setReleaseStatus(r.id, 'failed');
  }
}

async function openSecrets(app: string, ctx: RunContext): Promise<Record<string, string>> {
  const sealed = await ctx.store.getSealedSecrets(app);
  return Object.fromEntries(Object.entries(sealed).map(([name, value]) => [name, ctx.sealer.open(value, secretContext(app, name)).reveal()]));
}

/**
 * After resuming a rollout, the pipeline's steps after the deploy (smoke tests, notifications) never ran:
 * record them as skipped and fail the run, rather than call it a success.
 */
async function failIfStepsWereCutOff(run: Run, ctx: RunContext): Promise<void> {
  const steps = await ctx.store.listRunSteps(run.id);
  const now = new Date().toISOString();
  let cut = 0;
  for (const s of steps) {
    if (s.status === 'running' && s.name === 'deploy') {
      await ctx.store.updateRunStep(run.id, s.pipeline, s.name, { status: 'succeeded', finishedAt: now });
    } else if (s.status === 'pending' || s.status === 'running') {
      cut++;
      await ctx.store.updateRunStep(run.id, s.pipeline, s.name, { status: 'skipped', skipReason: 'Slipway restarted during the deploy', finishedAt: now });
    }
  }
  if (cut > 0) {
    throw new SlipwayError('interrupted', `the release is live, but ${cut} step(s) after the deploy did not run because Slipway restarted`, {
      hint: `run the pipeline again (\`slipway runs start ${run.app}\`) to run them`,
    });
  }
}

function liveAt(app: App, ctx: RunContext, log: RunLog): string {
  const url = appUrl(app, ctx.httpsPort);
  log.write(`--> live at ${url}\n`);
  return url;
}

async function finish(run: Run, ctx: RunContext, log: RunLog, status: RunStatus, err: SlipwayError | null, url?: string): Promise<void> {
  await log.flush();
  const error = err ? { kind: err.kind, message: err.message, ...(err.hint ? { hint: err.hint } : {}) } : null;
  await ctx.store.updateRun(run.id, { status, phase: 'done', error, finishedAt: new Date().toISOString() });
  await ctx.store.recordEvent(`run.${status}`, run.app, { runId: run.id, error });
  ctx.bus.emit('run.finished', { runId: run.id, app: run.app, status, error, ...(url ? { url } : {}) });
}
