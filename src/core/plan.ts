// The RunPlan: what a pipeline file compiles into — frozen, backend-neutral, no I/O. The pipeline stage
// (src/pipeline) produces it; the run stage executes it on a step backend (core/ports/step-backend.ts).

/** Where a value came from, for error messages ("… at .drone.yml:12:5"). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;   // 1-based
  readonly column: number; // 1-based
}

export type RunEvent = 'push' | 'tag' | 'pull_request' | 'cron' | 'manual' | 'deploy' | 'rollback';

/** What the compiler knows about the run: it decides `when` filters (except status) at compile time. */
export interface RunMeta {
  readonly app: string;
  readonly runNumber: number;
  readonly event: RunEvent;
  readonly commit: string;
  /** refs/heads/<branch>, refs/tags/<tag> or refs/pull/<n>/head; null for uploads. */
  readonly ref: string | null;
  readonly branch: string | null;
  readonly tag: string | null;
  /** Target branch of a pull request, or the environment of a deploy/promote event. */
  readonly target: string | null;
  /** Files changed by the push (for `when.path`); null when unknown (then path filters match). */
  readonly changedFiles: readonly string[] | null;
  readonly cronName: string | null;
  /** Manual run parameters, given to steps as environment variables. */
  readonly params: Readonly<Record<string, string>>;
  readonly commitMessage: string;
  readonly author: string;
  /** A pull request from a fork: such runs never receive secrets. */
  readonly fromFork: boolean;
  /** `git describe --tags` of the commit, when it has a tag in its history. */
  readonly describe: string | null;
}

export type StepKind = 'commands' | 'plugin' | 'build' | 'push' | 'deploy' | 'notify';

/** A step runs when every status it lists is allowed by how the pipeline is doing so far. */
export type StatusFilter = readonly ('success' | 'failure')[];

export interface SecretRef {
  /** Environment variable name inside the step. */
  readonly env: string;
  /** Name of the app secret. */
  readonly secret: string;
}

export interface CacheMount {
  /** Stable name of the cache within the app, e.g. "node_modules". */
  readonly name: string;
  /** Absolute path inside the step container. */
  readonly path: string;
}

export interface BuildSettings {
  readonly dockerfile: string;
  readonly context: string;
  readonly target: string | null;
  readonly args: Readonly<Record<string, string>>;
  /** Extra tags besides the commit SHA; "$describe" stands for `git describe --tags`. */
  readonly tags: readonly string[];
}

/** Where a built image is also pushed (a docker-build plugin step, run as Slipway's build: src/pipeline/docker-plugin.ts). */
export interface PublishSettings {
  /** The plugin image the step named, for the log. */
  readonly plugin: string;
  /** Registry host, e.g. docker.io, ghcr.io, 127.0.0.1:5001. */
  readonly registry: string;
  /** Full repository, registry included, e.g. docker.io/acme/web. */
  readonly repository: string;
  readonly tags: readonly string[];
  /** false for dry_run: build only. */
  readonly push: boolean;
  /** Environment variables of the step (plain or from secrets) holding the registry login, when set. */
  readonly usernameEnv: string;
  readonly passwordEnv: string;
  /** A plain user name (Woodpecker's `logins`), used when usernameEnv is not set. */
  readonly username: string | null;
}

export interface DeploySettings {
  /** Deploy this app (null), or the named stack: a compose file of the repository as Swarm services (src/stack). */
  readonly stack: string | null;
  readonly environment: string | null;
  /**
   * The stack's compose file, relative to the repository root; null: compose.yaml, compose.yml,
   * docker-compose.yaml or docker-compose.yml at the root. Set only with a stack; absent from plans stored before.
   */
  readonly file?: string | null;
}

export interface NotifySettings {
  readonly url: string;
  readonly message: string | null;
}

/** Container limits a step or service asks for (Drone's mem_limit, cpu_* …); absent ones keep Slipway's defaults. */
export interface ResourceLimits {
  readonly memoryBytes?: number;
  /** Memory plus swap; -1 is unlimited swap. Default: the memory limit (no swap). */
  readonly memorySwapBytes?: number;
  readonly shmBytes?: number;
  readonly cpuShares?: number;
  readonly cpuPeriodMicros?: number;
  readonly cpuQuotaMicros?: number;
  /** CPUs the container may use, e.g. "0-2,4". */
  readonly cpuSet?: string;
}

export interface StepPlan {
  readonly name: string;
  readonly kind: StepKind;
  /** Container image for commands/plugin steps; null for built-in steps. */
  readonly image: string | null;
  readonly commands: readonly string[];
  readonly entrypoint: readonly string[] | null;
  /** Plain environment (DRONE_*, CI_*, PLUGIN_*, the step's own), secrets excluded. */
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: readonly SecretRef[];
  /** Names of steps (in the same pipeline) that must finish first. */
  readonly dependsOn: readonly string[];
  readonly status: StatusFilter;
  /** Set when a compile-time `when` filter excluded the step: the reason shown to the user. */
  readonly skip: string | null;
  readonly failure: 'fail' | 'ignore';
  readonly detach: boolean;
  readonly timeoutSeconds: number | null;
  /** Extra attempts after a failure. */
  readonly retry: number;
  readonly pull: 'always' | 'if-not-exists' | 'never';
  readonly caches: readonly CacheMount[];
  readonly build: BuildSettings | null;
  /** Set on a build step that stands for a docker-build plugin; absent from plans stored before. */
  readonly publish?: PublishSettings | null;
  readonly deploy: DeploySettings | null;
  readonly notify: NotifySettings | null;
  /** Absent from plans stored before limits were applied. */
  readonly limits?: ResourceLimits | null;
  readonly location: SourceLocation;
}

export interface ServicePlan {
  /** Also the host name steps reach it by. */
  readonly name: string;
  readonly image: string;
  readonly commands: readonly string[];
  readonly entrypoint: readonly string[] | null;
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: readonly SecretRef[];
  readonly limits?: ResourceLimits | null;
  readonly location: SourceLocation;
}

export interface PipelinePlan {
  /** Unique in the plan; matrix pipelines get the axis values appended, e.g. "test (NODE=18)". */
  readonly name: string;
  readonly file: string;
  readonly dependsOn: readonly string[];
  /** Where the source is checked out inside every step, e.g. /drone/src, /woodpecker/src, /workspace. */
  readonly workspace: string;
  readonly matrix: Readonly<Record<string, string>> | null;
  readonly services: readonly ServicePlan[];
  readonly steps: readonly StepPlan[];
  /** Set when pipeline-level `trigger`/`when` excluded the whole pipeline. */
  readonly skip: string | null;
  /**
   * How the pipelines it depends on must have ended for it to run (Drone `trigger: status`, Woodpecker `runs_on`):
   * ['success'] all of them succeeded, ['failure'] one of them failed, both: always. Optional because plans
   * stored by older versions (kept for `runs restart`) lack it; absent means ['success'].
   */
  readonly status?: StatusFilter;
  /** Names of the secrets with registry logins for pulling images (Drone's image_pull_secrets); absent in older plans. */
  readonly pullSecrets?: readonly string[];
}

export interface RunPlan {
  readonly pipelines: readonly PipelinePlan[];
  /** Lint findings that did not stop compilation (deprecated forms and the like). */
  readonly warnings: readonly LintFinding[];
}

export interface LintFinding {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly hint?: string;
  readonly location: SourceLocation;
}
