// A stack deploy as a release: record release N (the plan and compose texts), roll it out with the shared stack
// rollout, and mark how it ended; the release that was live before becomes superseded (or rolled back).

import { asSlipwayError } from '../core/errors.js';
import type { StackRelease, StackReleaseStore, StackSourceFile } from '../core/ports/stack-releases.js';
import { deployStack, type StackDeployContext } from '../converge/stack-rollout.js';
import type { StackPlan } from '../converge/stack-plan.js';

export interface StackReleaseRequest {
  readonly app: string;
  readonly plan: StackPlan;
  readonly sources: readonly StackSourceFile[];
  readonly runId: number | null;
  readonly user: string | null;
  readonly rollbackOf: number | null;
}

export interface StackReleaseContext extends StackDeployContext {
  readonly store: Pick<StackReleaseStore, 'createStackRelease' | 'listStackReleases' | 'setStackReleaseStatus'>;
  /** The rollout; converge's deployStack unless a test replaces it. */
  readonly deploy?: (plan: StackPlan, ctx: StackDeployContext) => Promise<void>;
}

/** Called under the app's deploy lock (deploys of an app never overlap), so a release still `deploying` was cut off. */
export async function deployStackRelease(req: StackReleaseRequest, ctx: StackReleaseContext): Promise<StackRelease> {
  const stack = req.plan.name;
  const earlier = await ctx.store.listStackReleases(req.app, stack);
  for (const r of earlier.filter((x) => x.status === 'deploying')) {
    await ctx.store.setStackReleaseStatus(r.id, 'failed', 'interrupted: Slipway stopped during this deploy');
  }
  const release = await ctx.store.createStackRelease({ app: req.app, stack, plan: req.plan, sources: req.sources, runId: req.runId, user: req.user, rollbackOf: req.rollbackOf });
  ctx.log(`--> stack ${stack}: release ${release.number}${req.rollbackOf !== null ? ` (rollback to release ${req.rollbackOf})` : ''}\n`);
  try {
    await (ctx.deploy ?? deployStack)(req.plan, ctx);
  } catch (err) {
    const e = asSlipwayError(err);
    await ctx.store.setStackReleaseStatus(release.id, 'failed', e.hint ? `${e.message} (${e.hint})` : e.message);
    throw err;
  }
  for (const r of earlier.filter((x) => x.status === 'live')) {
    await ctx.store.setStackReleaseStatus(r.id, req.rollbackOf !== null ? 'rolled_back' : 'superseded');
  }
  return ctx.store.setStackReleaseStatus(release.id, 'live');
}
