// `slipway stacks deploy | rollback` as runs (issue 13): queued like every run, so they wait their turn behind the
// app's other runs and deploy under its deploy lock, but they run no pipeline: a stack deploy reads the compose texts
// the API stored, a rollback deploys an earlier release's stored plan as it is (no file is read again).

import { isOwnAppImage } from '../core/naming.js';
import { SlipwayError } from '../core/errors.js';
import type { RunDetails, Store } from '../core/ports/store.js';
import type { StackSourceFile } from '../core/ports/stack-releases.js';
import type { App, Run } from '../core/types.js';
import type { StackPlan } from '../converge/stack-plan.js';
import { deployStackRelease } from '../release/stack-release-deploy.js';
import { stackRollbackTarget } from '../release/stack-rollback-target.js';
import { newerStackRun, recordStackRun } from '../release/superseded.js';
import { parseComposeFiles, UNTRUSTED } from '../stack/compose.js';
import { stackPlan } from '../stack/definitions.js';
import type { ComposeVariables } from '../stack/model.js';
import type { RunContext } from './run-context.js';
import { routedPlan } from './stack-step.js';

/** The run parameters that make a run a stack run: the stack, and who asked. */
export const STACK_PARAM = 'SLIPWAY_STACK';
export const STACK_USER_PARAM = 'SLIPWAY_STACK_USER';
/** The compose texts of a `stacks deploy` run, stored by the API under the run's "commit" (their sha256). */
export const stackSourcesKey = (digest: string): string => `stack-sources:${digest}`;
/** A plan made without files (a redeploy when a followed app released: trigger/stack-follow.ts), with its sources. */
export const stackPlanKey = (digest: string): string => `stack-plan:${digest}`;

export interface StackRun {
  readonly stack: string;
  readonly user: string | null;
  readonly kind: 'deploy' | 'rollback';
}

export function stackRunOf(run: Run, details: RunDetails | null): StackRun | null {
  const stack = details?.params[STACK_PARAM];
  if (stack === undefined || !run.ref?.startsWith('stack:')) return null;
  return { stack, user: details?.params[STACK_USER_PARAM] ?? null, kind: run.source === 'rollback' ? 'rollback' : 'deploy' };
}

export type StackRunContext = Pick<RunContext, 'store' | 'engine' | 'registry' | 'deploys' | 'instance' | 'rolloutTimeoutMs' | 'syncRoutes' | 'checkStackDomains'>;

/** Deploys the stack (or puts a release back) under the app's deploy lock; a newer run's stack is never replaced. */
export async function runStackRun(run: Run, sr: StackRun, app: App, ctx: StackRunContext, log: (text: string) => void, signal: AbortSignal): Promise<void> {
  await ctx.deploys.with(app.name, signal, log, async () => {
    const newer = await newerStackRun(ctx.store, app.name, sr.stack, run.id);
    if (newer !== null) {
      log(`--> skipped: run ${newer}, queued after this one, has since deployed stack ${sr.stack}; an older run never replaces a newer one\n`);
      return;
    }
    const { plan, sources, rollbackOf } = sr.kind === 'rollback' ? await rollbackPlan(run, sr, app, ctx.store) : await deployPlan(run, sr, app, ctx);
    // Routed services (their route labels, stored plans included): domains checked before anything changes.
    await ctx.checkStackDomains?.(sr.stack, plan.services);
    await deployStackRelease({ app: app.name, plan, sources, runId: run.id, user: sr.user, rollbackOf }, {
      store: ctx.store,
      engine: ctx.engine,
      // Slipway's registry password goes only with images from Slipway's registry (see the engine port).
      credentialsFor: (image) => (isOwnAppImage(image, ctx.registry.address, app.name) ? ctx.registry.credentials() : null),
      deadlineMs: ctx.rolloutTimeoutMs,
      log,
    });
    await recordStackRun(ctx.store, app.name, sr.stack, run.id);
    await ctx.syncRoutes();
  });
}

interface Chosen {
  readonly plan: StackPlan;
  readonly sources: readonly StackSourceFile[];
  readonly rollbackOf: number | null;
}

async function rollbackPlan(run: Run, sr: StackRun, app: App, store: Store): Promise<Chosen> {
  const target = stackRollbackTarget(await store.listStackReleases(app.name, sr.stack), run.targetRelease, { app: app.name, stack: sr.stack });
  return { plan: target.plan as StackPlan, sources: target.sources, rollbackOf: target.number };
}

async function deployPlan(run: Run, sr: StackRun, app: App, ctx: StackRunContext): Promise<Chosen> {
  const planned = await ctx.store.getSetting(stackPlanKey(run.commit));
  if (planned !== null) {
    const saved = JSON.parse(planned) as { plan: StackPlan; sources: StackSourceFile[] };
    return { plan: saved.plan, sources: saved.sources, rollbackOf: null };
  }
  const text = await ctx.store.getSetting(stackSourcesKey(run.commit));
  if (text === null) throw new SlipwayError('not_found', `the compose files of run ${run.id} are no longer stored`, { hint: `deploy again with \`slipway stacks deploy ${sr.stack}\`` });
  const sources = JSON.parse(text) as StackSourceFile[];
  return { plan: planOf(sources, { instance: ctx.instance, app: app.name, stack: sr.stack, commit: run.commit }), sources, rollbackOf: null };
}

/**
 * The compose files read into the plan a release deploys: several merge as `docker stack deploy -c a -c b` does, and a
 * `.env` among the sources (beside the first file) gives variables, read by the compose reader itself.
 */
export function planOf(sources: readonly StackSourceFile[], target: { instance: string; app: string; stack: string; commit: string }): StackPlan {
  const files = sources.filter((s) => !isDotEnv(s.path));
  if (files.length === 0) throw new SlipwayError('invalid_input', 'no compose file was given', { field: 'files', hint: 'give one with -c compose.yml' });
  const vars: ComposeVariables = {
    SLIPWAY_IMAGE: { missing: 'a stack deployed with `slipway stacks deploy` has no image of a run; name the image' },
    SLIPWAY_APP: target.app,
    SLIPWAY_STACK: target.stack,
    SLIPWAY_COMMIT: target.commit,
  };
  const readRepoFile = (path: string) => sources.find((s) => s.path === path)?.text ?? null;
  const compose = parseComposeFiles(files, vars, UNTRUSTED, { readRepoFile });
  return routedPlan(compose, stackPlan(compose, { instance: target.instance, app: target.app, stack: target.stack }));
}

export function isDotEnv(path: string): boolean {
  return path === '.env' || path.endsWith('/.env');
}
