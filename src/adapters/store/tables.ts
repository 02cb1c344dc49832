// The SQLite tables as Kysely sees them: snake_case columns, JSON kept as TEXT, timestamps as ISO strings.

import type { Generated } from 'kysely';

export interface AppsTable {
  name: string;
  domain: string;
  port: number;
  replicas: number;
  branch: string;
  concurrency: Generated<number>;
  created_at: string;
}

export interface TokensTable {
  id: Generated<number>;
  name: string;
  hash: string;
  created_at: string;
  last_used_at: string | null;
  // Added by 0010_users_roles.
  kind: Generated<string>;
  /** JSON array of grants; tokens older than roles became owner on all apps. */
  grants: Generated<string>;
  user: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface UsersTable {
  name: string;
  password: string;
  /** Sealed TOTP secret, or NULL. */
  totp: string | null;
  /** JSON array of grants. */
  grants: string;
  created_at: string;
}

export interface RunsTable {
  id: Generated<number>;
  app: string;
  source: string;
  ref: string | null;
  commit_sha: string;
  status: string;
  phase: string;
  target_release: number | null;
  release_id: number | null;
  /** JSON of RunError, or NULL. */
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  // Added by 0002_pipelines.
  event: string;
  /** JSON object of manual parameters, or NULL for none. */
  params: string | null;
  restart_of: number | null;
  workspace: string | null;
  /** JSON of the compiled RunPlan, or NULL. */
  plan: string | null;
  /** 0 or 1. */
  cancel_requested: number;
  // Added by 0003_schedules.
  cron_name: string | null;
  target: string | null;
  // Added by 0005_forges.
  /** 0 or 1. */
  from_fork: number;
  source_branch: string | null;
  // Added by 0007_run_resumes.
  resumes: number;
  // Added by 0009_run_logs_pruned: 1 once pruneRunLogs deleted the run's logs.
  logs_pruned: number;
}

export interface RunLogsTable {
  /** Global insertion order; a run's log is its chunks in seq order. */
  seq: Generated<number>;
  run_id: number;
  text: string;
}

export interface ReleasesTable {
  id: Generated<number>;
  app: string;
  number: number;
  image: string;
  commit_sha: string;
  run_id: number | null;
  /** JSON of the spec without releaseNumber (that is the number column). */
  spec: string;
  status: string;
  rollback_of: number | null;
  created_at: string;
  deployed_at: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface EventsTable {
  id: Generated<number>;
  type: string;
  app: string | null;
  /** JSON of the event data. */
  data: string;
  at: string;
  // Added by 0010_users_roles: who (user or token name) and from where (remote address); NULL for Slipway itself.
  actor: string | null;
  source: string | null;
}

export interface SecretsTable {
  app: string;
  name: string;
  /** The value as the sealer wrote it; never plaintext. */
  sealed: string;
  updated_at: string;
}

export interface RunStepsTable {
  id: Generated<number>;
  run_id: number;
  pipeline: string;
  name: string;
  position: number;
  status: string;
  exit_code: number | null;
  skip_reason: string | null;
  error: string | null;
  started_at: string | null;
  finished_at: string | null;
}

export interface StepLogsTable {
  seq: Generated<number>;
  step_id: number;
  text: string;
}

export interface SchedulesTable {
  app: string;
  name: string;
  expr: string;
  branch: string;
  /** ISO timestamp; compared as text (every timestamp the store writes has the same toISOString form). */
  next_at: string;
  last_run_id: number | null;
  created_at: string;
}

export interface AppReposTable {
  app: string;
  url: string;
  /** Sealed, like secrets. */
  webhook_secret: string;
  token: string | null;
  forge: string | null;
  updated_at: string;
}

export interface AppConfigTable {
  app: string;
  name: string;
  /** Sealed for (app, 'config', name), secret or not. */
  sealed: string;
  /** 1: write-only (never listed). */
  secret: number;
  updated_at: string;
}

export interface ReleaseConfigTable {
  release_id: number;
  /** JSON: name → { sealed, secret }, as the app's config was when the release was made. */
  config: string;
}

export interface Database {
  apps: AppsTable;
  tokens: TokensTable;
  runs: RunsTable;
  run_logs: RunLogsTable;
  releases: ReleasesTable;
  settings: SettingsTable;
  events: EventsTable;
  secrets: SecretsTable;
  run_steps: RunStepsTable;
  step_logs: StepLogsTable;
  schedules: SchedulesTable;
  app_repos: AppReposTable;
  users: UsersTable;
  app_config: AppConfigTable;
  release_config: ReleaseConfigTable;
}
