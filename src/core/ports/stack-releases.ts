// The Store's stack releases (issue 13): every deploy of a compose stack is release N of that (app, stack), holding the
// plan that was deployed (opaque JSON to the store), the compose texts, who started it, and how it ended.

export type StackReleaseStatus =
  | 'deploying'    // rollout in progress
  | 'live'         // what the stack runs now
  | 'superseded'   // was live, replaced by a later deploy
  | 'failed'       // never became healthy; the stack was put back as it was
  | 'rolled_back'; // was live, then a rollback replaced it

export const STACK_RELEASE_STATUSES: readonly StackReleaseStatus[] = ['deploying', 'live', 'superseded', 'failed', 'rolled_back'];

/** A compose file as it was read for a release (the `.env` beside it too, under its own path). */
export interface StackSourceFile {
  readonly path: string;
  readonly text: string;
}

export interface NewStackRelease {
  readonly app: string;
  readonly stack: string;
  /** The StackPlan that is deployed (converge/stack-plan.ts), kept as plain JSON: rollback redeploys it as it is. */
  readonly plan: unknown;
  readonly sources: readonly StackSourceFile[];
  /** The run that deployed it; null when none did (tests). */
  readonly runId: number | null;
  /** Who asked for it (a token's user), null for a push or a schedule. */
  readonly user: string | null;
  /** The release this one puts back, when it is a rollback. */
  readonly rollbackOf: number | null;
}

export interface StackRelease extends NewStackRelease {
  readonly id: number;
  /** 1, 2, 3 … per (app, stack). */
  readonly number: number;
  readonly status: StackReleaseStatus;
  /** Why it failed (message and hint), null otherwise. */
  readonly error: string | null;
  readonly createdAt: string;
  readonly deployedAt: string | null;
}

/**
 * Protocol: createStackRelease numbers releases per (app, stack) from 1 without gaps, even when called concurrently,
 * and starts them `deploying`; not_found (field app) for an app that does not exist. A release goes with its app
 * (deleteApp) or its stack (deleteStackReleases); nothing else removes one.
 */
export interface StackReleaseStore {
  createStackRelease(release: NewStackRelease): Promise<StackRelease>;
  /** Newest first; [] for a stack with no release. */
  listStackReleases(app: string, stack: string): Promise<StackRelease[]>;
  getStackRelease(app: string, stack: string, number: number): Promise<StackRelease | null>;
  /** deployedAt is set when the status becomes live; not_found (field id) for an unknown id. */
  setStackReleaseStatus(id: number, status: StackReleaseStatus, error?: string | null): Promise<StackRelease>;
  /** The stacks of an app that have at least one release, sorted by name. */
  listStackNames(app: string): Promise<string[]>;
  /** Removes every release of the stack; answers how many there were. */
  deleteStackReleases(app: string, stack: string): Promise<number>;
}
