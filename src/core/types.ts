// Domain types shared by every stage: apps, runs, releases, routes. No I/O here.

export interface App {
  readonly name: string;
  /** Public host name the edge routes to this app (HTTPS, automatic certificate). */
  readonly domain: string;
  /** Port the app listens on inside its container. */
  readonly port: number;
  readonly replicas: number;
  /** Only pushes to this branch deploy; other branches are stored. */
  readonly branch: string;
  /**
   * Runs of this app at a time (default 1). Above 1, pipelines run side by side, but deploys still go one at a time
   * and never put an older run's commit live over a newer run's (it is skipped as superseded).
   */
  readonly concurrency: number;
  readonly createdAt: string;
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
/** A run in one of these states will not change again. */
export function isRunFinished(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}
/** Where a running run is; used to resume or repair after a restart. */
export type RunPhase = 'queued' | 'build' | 'push' | 'deploy' | 'done';
/** config: the live release again with the app's changed config (issue 14). */
export type RunSource = 'git' | 'upload' | 'rollback' | 'config';

export interface Run {
  readonly id: number;
  readonly app: string;
  readonly source: RunSource;
  /** git: the pushed ref; upload: a label given by the client. */
  readonly ref: string | null;
  /** git: commit SHA; upload: sha256 of the uploaded archive. */
  readonly commit: string;
  readonly status: RunStatus;
  readonly phase: RunPhase;
  /** For rollback runs: the release number to put back. */
  readonly targetRelease: number | null;
  readonly releaseId: number | null;
  readonly error: RunError | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

export interface RunError {
  readonly kind: string;
  readonly message: string;
  readonly hint?: string;
}

export type ReleaseStatus =
  | 'deploying'    // rollout in progress
  | 'live'         // the app's current release
  | 'superseded'   // was live, replaced by a later release
  | 'failed'       // never became healthy; the previous release was put back
  | 'rolled_back'; // was live, then a rollback replaced it

export interface Release {
  readonly id: number;
  readonly app: string;
  /** 1, 2, 3 … per app. */
  readonly number: number;
  /** Digest-pinned reference: registry/repo@sha256:… — what nodes run, never a moving tag. */
  readonly image: string;
  readonly commit: string;
  readonly runId: number | null;
  /** Snapshot of what was deployed, so "rollback to N" redeploys exactly N. */
  readonly spec: ServiceSpecInput;
  readonly status: ReleaseStatus;
  /** Number of the release this one was a rollback to, if it was. */
  readonly rollbackOf: number | null;
  readonly createdAt: string;
  readonly deployedAt: string | null;
}

/** What converge needs to run an app: the backend-neutral service description. */
export interface ServiceSpecInput {
  readonly app: string;
  readonly image: string;
  readonly port: number;
  readonly replicas: number;
  readonly env: Readonly<Record<string, string>>;
  readonly releaseNumber: number;
}

/** One domain routed by the edge to the tasks of one service. */
export interface Route {
  readonly domain: string;
  /** host:port dial addresses, e.g. tasks.slipway-app-hello:3000. */
  readonly upstreams: readonly string[];
}

export interface AppStatus {
  readonly app: App;
  readonly url: string;
  readonly release: Release | null;
  readonly replicas: { readonly desired: number; readonly running: number; readonly healthy: number };
  readonly tasks: readonly TaskState[];
  readonly lastRun: Run | null;
}

export interface TaskState {
  readonly id: string;
  readonly image: string;
  readonly state: string;
  readonly desiredState: string;
  readonly message: string;
  readonly error: string | null;
  readonly node: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}
