// Opt-in (issue 13, `stacks deploy --redeploy-on <app>`): when another app releases a new image, each stack that
// follows it is deployed again with that image in the services that ran the app's image, as a queued stack run.
// Only those services change, so only they roll (the rollout leaves a service with the same spec alone).

import { createHash } from 'node:crypto';
import type { EventBus } from '../core/events.js';
import type { Store } from '../core/ports/store.js';
import type { Run } from '../core/types.js';
import type { StackPlan } from '../converge/stack-plan.js';
import { STACK_PARAM, STACK_USER_PARAM, stackPlanKey } from '../run/stack-runs.js';
import type { Enqueue } from './enqueue.js';

export interface StackFollower {
  readonly app: string;
  readonly stack: string;
}

export const stackFollowKey = (leader: string): string => `stack-follow:${leader}`;

/** Records that `follower` redeploys when `leader` releases (idempotent). */
export async function followApp(store: Pick<Store, 'getSetting' | 'setSetting'>, leader: string, follower: StackFollower): Promise<void> {
  const list = await followersOf(store, leader);
  if (list.some((f) => f.app === follower.app && f.stack === follower.stack)) return;
  await store.setSetting(stackFollowKey(leader), JSON.stringify([...list, { app: follower.app, stack: follower.stack }]));
}

export async function followersOf(store: Pick<Store, 'getSetting'>, leader: string): Promise<StackFollower[]> {
  const text = await store.getSetting(stackFollowKey(leader));
  return text === null ? [] : (JSON.parse(text) as StackFollower[]);
}

/** The repository of an image reference: without `@digest` and without a `:tag` after the last slash. */
export function repositoryOf(image: string): string {
  const bare = image.split('@')[0] as string;
  const slash = bare.lastIndexOf('/');
  const colon = bare.lastIndexOf(':');
  return colon > slash ? bare.slice(0, colon) : bare;
}

/** The plan with `image` in every service that ran an image of its repository; null when no service changes. */
export function withImage(plan: StackPlan, image: string): StackPlan | null {
  const repo = repositoryOf(image);
  let changed = false;
  const services = plan.services.map((s) => {
    if (repositoryOf(s.image) !== repo || s.image === image) return s;
    changed = true;
    return { ...s, image };
  });
  return changed ? { ...plan, services } : null;
}

/** Queues a redeploy of each live stack following `leader` whose plan runs its image; answers the runs queued. */
export async function redeployFollowers(d: { store: Store; enqueue: Enqueue }, leader: string, image: string): Promise<Run[]> {
  const runs: Run[] = [];
  for (const f of await followersOf(d.store, leader)) {
    const live = (await d.store.listStackReleases(f.app, f.stack)).find((r) => r.status === 'live');
    const plan = live === undefined ? null : withImage(live.plan as StackPlan, image);
    if (live === undefined || plan === null) continue;
    const saved = JSON.stringify({ plan, sources: live.sources });
    const digest = createHash('sha256').update(saved).digest('hex');
    await d.store.setSetting(stackPlanKey(digest), saved);
    const run = await d.enqueue({ app: f.app, source: 'upload', ref: `stack:${f.stack}`, commit: digest, params: { [STACK_PARAM]: f.stack, [STACK_USER_PARAM]: `redeploy-on ${leader}` } });
    await d.store.recordEvent('stack.redeploy', f.app, { stack: f.stack, leader, image, runId: run.id });
    runs.push(run);
  }
  return runs;
}

/** Subscribes to every app release; a failure is reported, never thrown into the release that caused it. */
export function subscribeStackFollows(bus: EventBus, d: { store: Store; enqueue: Enqueue }, warn: (line: string) => void): () => void {
  return bus.on('release.deployed', (e) => {
    void redeployFollowers(d, e.app, e.image).catch((err: unknown) => warn(`stacks following ${e.app}: ${err instanceof Error ? err.message : String(err)}`));
  });
}
