// The store port: Slipway's desired state and history. SQLite by default (adapters/store).
//
// Protocol:
// - Every method is safe to call concurrently from one process; writes are atomic per call.
// - createRelease assigns the next number for the app atomically (1, 2, 3 …), never reused.
// - claimNextRuns is how the queue picks work: for each app, its oldest queued runs while the app runs fewer than its
//   `concurrency` (an app whose row is gone counts as 1); at most `limit` runs in all (the server's free run slots),
//   each app's first waiting run before any app's second, then oldest first. It marks them running in the same
//   transaction, so two callers never get the same run and an app never runs more than its concurrency.
// - Nothing is deleted except by pruneRunLogs (old runs' logs, not the runs), deleteApp (which keeps runs/releases for the audit trail, marked by app name,
//   but removes the app's secrets), deleteSecret, and saveRunSteps (which replaces a run's steps and their logs).
// - Secrets are stored only sealed: the caller encrypts before setSecret and decrypts after getSealedSecrets;
//   the store refuses a value that does not carry a sealed format's version prefix (`v1:` …).
// - An app's config goes with its app (deleteApp), like secrets; a release's config stays with the release.
// - Schedules belong to their app (deleteApp removes them, like secrets). The store keeps each schedule's cron
//   expression as text and never parses it: callers validate it and compute nextAt (trigger/cron-expr.ts).
// - A run's steps are written once by saveRunSteps when the run starts (the plan's order is their position),
//   then updateRunStep changes one step at a time; steps of one pipeline may be updated concurrently.
// - appendStepLog, like appendRunLog, keeps the call order of appends issued without waiting.
// - Tokens and users: the store keeps hashes (sha256 of tokens, the KDF's output for passwords) and a sealed TOTP
//   secret, never the values; it does not judge expiry or revocation (the API does). Revoking sets revokedAt, nothing
//   is deleted, so the audit trail can name a revoked token; deleteUser revokes the user's sessions.

import type { Grant } from '../access.js';
import type { SealedConfig, SealedConfigValue } from '../app-config.js';
import type { RunEvent } from '../plan.js';
import type { StackReleaseStore } from './stack-releases.js';
import type { App, Release, ReleaseStatus, Run, RunError, RunPhase, RunSource, RunStatus, ServiceSpecInput } from '../types.js';

export interface NewApp {
  readonly name: string;
  readonly domain: string;
  readonly port: number;
  readonly replicas: number;
  readonly branch: string;
  /** Default 1. */
  readonly concurrency?: number;
}

export interface AppPatch {
  readonly domain?: string;
  readonly port?: number;
  readonly replicas?: number;
  readonly branch?: string;
  readonly concurrency?: number;
}

export interface NewRun {
  readonly app: string;
  readonly source: RunSource;
  readonly ref: string | null;
  readonly commit: string;
  readonly targetRelease?: number | null;
  /** Default: 'rollback' for rollback runs, else 'push'. */
  readonly event?: RunEvent;
  /** Manual run parameters (given to steps as environment variables). */
  readonly params?: Readonly<Record<string, string>>;
  /** The failed run this one restarts from its failed step; not_found if there is no such run. */
  readonly restartOf?: number | null;
  /** The schedule that started a cron run (DRONE_CRON, `when: { cron: [...] }`). */
  readonly cronName?: string | null;
  /** The environment of a deploy (promote) run: DRONE_DEPLOY_TO, `when: { target / environment }`. */
  readonly target?: string | null;
  /** A pull request from a fork (its runs never get secrets, caches, pushes or deploys). Default false. */
  readonly fromFork?: boolean;
  /** The head branch of a pull request (DRONE_SOURCE_BRANCH); null otherwise. */
  readonly sourceBranch?: string | null;
}

/** How many queued runs createRun accepts: per app and in all (checked in the same transaction as the insert). */
export interface QueueCap {
  readonly perApp: number;
  readonly total: number;
}

export interface RunPatch {
  readonly status?: RunStatus;
  readonly phase?: RunPhase;
  readonly releaseId?: number | null;
  readonly error?: RunError | null;
  readonly startedAt?: string | null;
  readonly finishedAt?: string | null;
}

/** What a run carries besides the Run record, for pipelines (RunMeta, restarts, cancel). */
export interface RunDetails {
  readonly event: RunEvent;
  /** {} when the run has none. */
  readonly params: Readonly<Record<string, string>>;
  readonly restartOf: number | null;
  /** The workspace volume kept after the run failed, so a restart can reuse it. */
  readonly workspace: string | null;
  /** The compiled RunPlan as JSON gave it back (null until stored): stored when the run starts so a restart re-runs
   *  exactly it; the run stage parses it. */
  readonly plan: unknown;
  readonly cancelRequested: boolean;
  /** The schedule's name for cron runs; null otherwise. */
  readonly cronName: string | null;
  /** The environment of a deploy (promote) run; null otherwise. */
  readonly target: string | null;
  readonly fromFork: boolean;
  /** The head branch of a pull request; null otherwise. */
  readonly sourceBranch: string | null;
  /** How often a start of Slipway resumed this run (it was running when Slipway stopped); 0 for a new run. */
  readonly resumes: number;
}

export interface RunDetailsPatch {
  readonly workspace?: string | null;
  /** null clears; undefined leaves it. */
  readonly plan?: unknown;
  readonly cancelRequested?: boolean;
  readonly resumes?: number;
}

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface NewRunStep {
  readonly pipeline: string;
  readonly name: string;
  readonly status: StepStatus;
  /** Why the step will not run (a `when` filter), shown to the user; null otherwise. */
  readonly skipReason: string | null;
}

export interface RunStep extends NewRunStep {
  readonly runId: number;
  /** Index in the list given to saveRunSteps: the plan's order. */
  readonly position: number;
  readonly exitCode: number | null;
  /** Why the step failed when the exit code does not say it (timeout, image pull, killed). */
  readonly error: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

export interface RunStepPatch {
  readonly status?: StepStatus;
  readonly exitCode?: number | null;
  readonly skipReason?: string | null;
  readonly error?: string | null;
  readonly startedAt?: string | null;
  readonly finishedAt?: string | null;
}

export interface SecretName {
  readonly name: string;
  readonly updatedAt: string;
}

export interface NewRelease {
  readonly app: string;
  readonly image: string;
  readonly commit: string;
  readonly runId: number | null;
  /** The spec without releaseNumber: the store fills it in with the number it assigns. */
  readonly spec: Omit<ServiceSpecInput, 'releaseNumber'>;
  readonly rollbackOf: number | null;
}

export interface NewSchedule {
  readonly app: string;
  /** ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$, unique within the app; else invalid_input. */
  readonly name: string;
  /** A cron expression (validated by the caller). */
  readonly expr: string;
  readonly branch: string;
  /** ISO timestamp of the next time the schedule is due. */
  readonly nextAt: string;
}

export interface Schedule extends NewSchedule {
  /** The last run the schedule queued; null before the first. */
  readonly lastRunId: number | null;
  readonly createdAt: string;
}

export type ForgeKind = 'github' | 'gitlab' | 'gitea';

/** The forge repository an app follows through webhooks (GitHub, GitLab, Gitea/Forgejo). */
export interface NewAppRepo {
  readonly app: string;
  /** Clone URL (https, http, ssh or git scheme); Slipway fetches from it, never from a URL a webhook names. */
  readonly url: string;
  /** Sealed: the HMAC key (GitHub, Gitea) or token (GitLab) that webhook deliveries must prove. */
  readonly webhookSecret: string;
  /** Sealed access token for a private repository, or null. */
  readonly token: string | null;
  /** Which forge it is: learned from its verified webhook deliveries (null until the first), for commit statuses. */
  readonly forge: ForgeKind | null;
}

export interface AppRepo extends NewAppRepo {
  readonly updatedAt: string;
}

/** 'api': a named token for the CLI, scripts and git; 'session': a user's sign-in (dashboard or `slipway login`). */
export type TokenKind = 'api' | 'session';

export interface TokenOptions {
  /** Default 'api'. */
  readonly kind?: TokenKind;
  /** Default: owner on all apps (the bootstrap token, tokens of databases older than roles). */
  readonly grants?: readonly Grant[];
  /** The user a session belongs to (deleting the user revokes it); null for API tokens. */
  readonly user?: string | null;
  readonly expiresAt?: string | null;
}

/** One key of an app's desired runtime config (issue 14). */
export interface ConfigEntry extends SealedConfigValue {
  readonly name: string;
  readonly updatedAt: string;
}

/** One change of an app's config, applied whole or not at all. */
export interface ConfigChange {
  readonly set: Readonly<Record<string, SealedConfigValue>>;
  readonly unset: readonly string[];
  /** Remove every key not in `set` (a PUT of the whole config); `unset` must then be empty. */
  readonly replace?: boolean;
}

export interface TokenRecord {
  readonly id: number;
  readonly name: string;
  /** sha256 hex of the token; the token itself is never stored. */
  readonly hash: string;
  readonly kind: TokenKind;
  readonly grants: readonly Grant[];
  readonly user: string | null;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

export interface NewUser {
  readonly name: string;
  /** The KDF's output with its parameters and salt (api/password.ts); never a plain password. */
  readonly password: string;
  readonly grants: readonly Grant[];
}

export interface UserRecord extends NewUser {
  /** Sealed TOTP secret, or null when the user has none. */
  readonly totp: string | null;
  readonly createdAt: string;
}

export interface UserPatch {
  readonly password?: string;
  readonly totp?: string | null;
  readonly grants?: readonly Grant[];
}

/** Who made a change and from where: a user or token name, and the remote address (null when unknown). */
export interface EventOrigin {
  readonly actor: string;
  readonly source: string | null;
}

export interface EventFilter {
  /** Only events of this app. */
  readonly app?: string;
}

export interface AuditEvent {
  readonly id: number;
  readonly type: string;
  readonly app: string | null;
  readonly data: unknown;
  readonly at: string;
  /** Null for what Slipway did by itself (a run finishing, a schedule firing). */
  readonly actor: string | null;
  readonly source: string | null;
}

/** What readRunLog and readStepLog give for a run whose logs were pruned: a note, never an empty log pretending. */
export const PRUNED_LOG_NOTE = '[log pruned: Slipway keeps the logs of only the newest runs of each app]\n';

/** Stack releases (issue 13): see ./stack-releases.ts for their protocol. */
export interface Store extends StackReleaseStore {
  createApp(app: NewApp): Promise<App>; // SlipwayError conflict if the name exists
  getApp(name: string): Promise<App | null>;
  listApps(): Promise<App[]>;
  updateApp(name: string, patch: AppPatch): Promise<App>; // not_found if missing
  deleteApp(name: string): Promise<void>;

  /** conflict (field hash) if the hash exists. */
  createToken(name: string, hash: string, options?: TokenOptions): Promise<TokenRecord>;
  /** Revoked and expired tokens too: the caller decides (and says why it refuses). */
  findTokenByHash(hash: string): Promise<TokenRecord | null>;
  countTokens(): Promise<number>;
  touchToken(id: number): Promise<void>;
  /** Every token, revoked ones included, oldest first. */
  listTokens(): Promise<TokenRecord[]>;
  /** Sets revokedAt once; false when there is no such token or it was revoked already. */
  revokeToken(id: number): Promise<boolean>;

  /** conflict (field name) if the user exists. */
  createUser(user: NewUser): Promise<UserRecord>;
  getUser(name: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>; // by name
  /** not_found (field user) if there is no such user. */
  updateUser(name: string, patch: UserPatch): Promise<UserRecord>;
  /** not_found (field user); revokes the user's sessions in the same transaction. */
  deleteUser(name: string): Promise<void>;
  /** Revokes every live session of the user (a password change); fine when there is none. */
  revokeUserSessions(name: string): Promise<void>;

  /** Status queued, phase queued. With a cap: conflict (field app) when the app already has cap.perApp queued runs
   *  or the server cap.total, checked atomically with the insert; no cap: no limit. */
  createRun(run: NewRun, cap?: QueueCap): Promise<Run>;
  getRun(id: number): Promise<Run | null>;
  listRuns(app: string, limit: number): Promise<Run[]>; // newest first
  updateRun(id: number, patch: RunPatch): Promise<Run>;
  runsWithStatus(status: RunStatus): Promise<Run[]>; // oldest first
  /** `limit` absent: no limit. */
  claimNextRuns(startedAt: string, limit?: number): Promise<Run[]>;
  /** Marks the run cancelled (phase done) only if it is still queued, atomically against claimNextRuns;
   *  null when it was not queued any more (or does not exist). */
  cancelQueuedRun(id: number, error: RunError, finishedAt: string): Promise<Run | null>;
  appendRunLog(runId: number, text: string): Promise<void>;
  readRunLog(runId: number): Promise<string>;
  /** Deletes the run and step logs (never the rows) of the app's finished runs that are not among its newest `keep`
   *  runs, or that finished before `finishedBefore` (ISO); their logs then read as PRUNED_LOG_NOTE. Idempotent;
   *  answers how many runs it pruned now. */
  pruneRunLogs(app: string, keep: number, finishedBefore?: string): Promise<number>;

  getRunDetails(id: number): Promise<RunDetails | null>;
  updateRunDetails(id: number, patch: RunDetailsPatch): Promise<RunDetails>; // not_found if missing

  // Steps are named by (pipeline, name), unique within a run.
  saveRunSteps(runId: number, steps: readonly NewRunStep[]): Promise<void>; // not_found run; invalid_input on a repeated step
  updateRunStep(runId: number, pipeline: string, name: string, patch: RunStepPatch): Promise<RunStep>; // not_found if missing
  listRunSteps(runId: number): Promise<RunStep[]>; // by position; [] for an unknown run
  appendStepLog(runId: number, pipeline: string, step: string, text: string): Promise<void>; // not_found if no such step
  readStepLog(runId: number, pipeline: string, step: string): Promise<string>; // '' for an unknown step

  // Secret names match ^[A-Za-z_][A-Za-z0-9_]{0,63}$ (they become environment variables); else invalid_input.
  setSecret(app: string, name: string, sealed: string): Promise<void>; // insert or replace; not_found if no such app
  listSecretNames(app: string): Promise<SecretName[]>; // by name; values never leave through here
  getSealedSecrets(app: string): Promise<Record<string, string>>; // name → sealed value
  deleteSecret(app: string, name: string): Promise<void>; // not_found if missing

  // One forge repository per app; it goes with its app (deleteApp), like secrets.
  setAppRepo(repo: NewAppRepo): Promise<AppRepo>; // insert or replace; not_found app; invalid_input unless both secrets are sealed
  getAppRepo(app: string): Promise<AppRepo | null>;
  deleteAppRepo(app: string): Promise<void>; // not_found if the app has none

  // Schedules are named by (app, name).
  upsertSchedule(schedule: NewSchedule): Promise<Schedule>; // insert, or replace expr/branch/nextAt keeping createdAt and lastRunId; not_found app
  listSchedules(app: string): Promise<Schedule[]>; // by name
  deleteSchedule(app: string, name: string): Promise<void>; // not_found if missing
  dueSchedules(now: string): Promise<Schedule[]>; // nextAt <= now (ISO), soonest first, then app and name
  /** Records a firing: nextAt replaced; lastRunId set when runId is not null (null: nothing was queued).
   *  not_found (field name) if there is no such schedule, (field runId) if there is no such run. */
  markScheduleFired(app: string, name: string, runId: number | null, nextAt: string): Promise<Schedule>;

  // An app's runtime config: names as for secrets but up to 128 characters, values sealed (checked like secrets).
  getAppConfig(app: string): Promise<ConfigEntry[]>; // by name; [] for an unknown app
  /** Atomic: not_found (field app) for no such app, (field name) for an unset key the app does not have; nothing
   *  changes then. Answers the config after the change. */
  changeAppConfig(app: string, change: ConfigChange): Promise<ConfigEntry[]>;
  /** The config a release runs with, written once right after createRelease; conflict if it already has one. */
  setReleaseConfig(releaseId: number, config: SealedConfig): Promise<void>; // not_found release
  getReleaseConfig(releaseId: number): Promise<SealedConfig>; // {} when none was recorded (releases from before)

  createRelease(release: NewRelease): Promise<Release>; // status deploying
  getRelease(app: string, number: number): Promise<Release | null>;
  getReleaseById(id: number): Promise<Release | null>;
  listReleases(app: string): Promise<Release[]>; // newest first
  liveRelease(app: string): Promise<Release | null>;
  setReleaseStatus(id: number, status: ReleaseStatus, deployedAt?: string): Promise<Release>;

  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;

  /** `origin` absent: Slipway did it by itself (actor and source null). */
  recordEvent(type: string, app: string | null, data: unknown, origin?: EventOrigin): Promise<void>;
  listEvents(limit: number, filter?: EventFilter): Promise<AuditEvent[]>; // newest first

  close(): Promise<void>;
}
