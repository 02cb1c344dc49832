// Whether a run's deploy is superseded: a run queued after it has already deployed the app or the stack, so
// deploying now would put older code live. With an app concurrency above 1 a slow older run can reach its deploy
// after a newer one.

import type { Store } from '../core/ports/store.js';
import type { Release } from '../core/types.js';

/**
 * A release that a run newer than this one (a higher id: queued later) put live, if any. A newer run's release
 * that never went live (its rollout failed) does not count. A rollback is a newer run too: a deploy started before
 * it must not undo it. So are a restart and a promote: asked for later, by a person, they win.
 */
export async function newerLiveRelease(store: Pick<Store, 'listReleases'>, app: string, runId: number): Promise<Release | null> {
  for (const r of await store.listReleases(app)) {
    if (r.runId !== null && r.runId > runId && r.deployedAt !== null) return r;
  }
  return null;
}

/** Stacks have no release records: which run last deployed each stack is kept in the store's settings. */
const stackRunKey = (app: string, stack: string) => `stack-run:${app}/${stack}`;

/** The run queued after this one that has since deployed the stack, or null. */
export async function newerStackRun(store: Pick<Store, 'getSetting'>, app: string, stack: string, runId: number): Promise<number | null> {
  const last = Number((await store.getSetting(stackRunKey(app, stack))) ?? '0');
  return last > runId ? last : null;
}

/** Records that this run deployed the stack (after it went live). */
export async function recordStackRun(store: Pick<Store, 'setSetting'>, app: string, stack: string, runId: number): Promise<void> {
  await store.setSetting(stackRunKey(app, stack), String(runId));
}
