// The HTTP API's request and response shapes: the server fills them, the CLI and the dashboard read them.
//
// Endpoints (all under the server's base URL; every /api route except /api/health needs
// `Authorization: Bearer <token>`; errors are `ErrorBody` from errors.ts with the status from httpStatusOf).
// Bodies and queries are checked by strict schemas (api/http/schemas.ts): a wrong type or an unknown key is a 400
// invalid_input naming the field:
//   GET    /api/health                          → HealthResponse (no auth)
//   POST   /api/apps               CreateAppRequest → 201 AppSummary
//   GET    /api/apps                            → { apps: AppSummary[] }
//   GET    /api/apps/:app                       → AppStatus (types.ts)
//   PATCH  /api/apps/:app          UpdateAppRequest → AppSummary
//   DELETE /api/apps/:app                       → 204 (service and route removed; history kept)
//   POST   /api/apps/:app/deploy   body: gzipped tar of the source (Content-Type application/gzip) → 202 RunResponse
//   POST   /api/apps/:app/rollback RollbackRequest → 202 RunResponse
//   GET    /api/apps/:app/runs                  → { runs: Run[] } newest first
//   GET    /api/apps/:app/releases              → { releases: Release[] } newest first
//   GET    /api/apps/:app/logs?follow=1&tail=N  → text/plain, the running app's stdout/stderr, streamed when follow=1
//   GET    /api/runs/:id                        → RunResponse
//   GET    /api/runs/:id/logs?follow=1          → text/plain build/deploy log; with follow=1 it streams until the run ends
//   POST   /api/runs/:id/cancel                 → RunResponse (a queued run is dropped; a running one is stopped)
//   POST   /api/runs/:id/restart                → 202 RunResponse (a failed pipeline run again from its failed step)
//   POST   /api/runs/:id/promote  { environment } → 202 RunResponse (the run's commit as a deploy event)
//   GET    /api/runs/:id/steps                  → { steps: RunStep[], waitingFor: string | null }
//   GET    /api/runs/:id/steps/:pipeline/:step/logs?follow=1 → text/plain, one step's output; follow=1 until it ends
//   GET    /api/runs/:id/events                 → text/event-stream: `step`, `log`, `end` (api/run-events.ts)
//   POST   /api/apps/:app/runs    { branch?, params? } → 202 RunResponse (a manual run of the branch head)
//   GET    /api/apps/:app/secrets               → { secrets: SecretName[] } (names only, never values)
//   PUT    /api/apps/:app/secrets { name, value } → 204 (sealed at rest)
//   DELETE /api/apps/:app/secrets/:name         → 204
//   GET|PUT|DELETE /api/apps/:app/repo          → the forge repository the app follows (api/forges.ts)
//   POST   /hooks/:app                          forge webhook deliveries (signature verified; no token; an unknown app is
//                                               401 like a wrong signature; a delivery id seen before → 200, no runs)
//   GET    /api/events?limit=N                  → { events: AuditEvent[] }
//   GET    /api/apps/:app/schedules             → SchedulesResponse, by name
//   PUT    /api/apps/:app/schedules  ScheduleRequest → ScheduleResponse (created or replaced; nextAt from now, UTC)
//   DELETE /api/apps/:app/schedules/:name       → 204
//   POST   /api/apps/:app/schedules/:name/run   → 202 RunResponse (a cron run now; the next time is unchanged)
//   GET|PATCH|PUT /api/apps/:app/config, DELETE /api/apps/:app/config/:key → an app's runtime config (api-config.ts)
//   git smart HTTP at /git/:app.git (Basic auth, any user name, the token as password)

import type { Schedule } from './ports/store.js';
import type { StackRelease, StackReleaseStatus } from './ports/stack-releases.js';
import type { AppStatus, Release, Run, TaskState } from './types.js';

export interface HealthResponse {
  ok: true;
  version: string;
}

export interface CreateAppRequest {
  name: string;
  domain: string;
  port?: number;     // default 3000
  replicas?: number; // default 1
  branch?: string;   // default main
  concurrency?: number; // runs of the app at a time, default 1
}

export interface UpdateAppRequest {
  domain?: string;
  port?: number;
  replicas?: number;
  branch?: string;
  concurrency?: number;
}

export interface AppSummary {
  name: string;
  domain: string;
  port: number;
  replicas: number;
  branch: string;
  concurrency: number;
  url: string;
  gitUrl: string;
  liveRelease: number | null;
  createdAt: string;
}

export interface RollbackRequest {
  /** Release number to put back; default: the release before the live one. */
  release?: number;
}

export interface RunResponse {
  run: Run;
}

export interface RunsResponse {
  runs: Run[];
}

export interface ReleasesResponse {
  releases: Release[];
}

export type { AppStatus };
export type * from './api-config.js';

/** PUT /api/apps/:app/schedules: a cron schedule of the app's pipeline (event cron, DRONE_CRON=name). */
export interface ScheduleRequest {
  name: string;
  /** 5 fields (minute hour day-of-month month day-of-week, UTC) or @hourly/@daily/@weekly/@monthly/@yearly. */
  expr: string;
  /** Default: the app's deploy branch. */
  branch?: string;
}

export interface ScheduleResponse {
  schedule: Schedule;
}

export interface SchedulesResponse {
  schedules: Schedule[];
}

// Forge repositories (src/api/forges.ts).

/** PUT /api/apps/:app/repo. */
export interface ConnectRepoRequest {
  repo: string;
  token?: string;
  webhookSecret?: string;
}

/** GET/PUT /api/apps/:app/repo → { repo: RepoLink }. */
export interface RepoLink {
  readonly app: string;
  readonly repo: string;
  readonly webhookUrl: string;
  readonly hasToken: boolean;
  readonly updatedAt: string;
  /** Only in the answer to connect: the secret to paste into the forge's webhook (stored sealed, not shown again). */
  readonly webhookSecret?: string;
}

/** The answer to a webhook delivery (POST /hooks/:app). */
export interface DeliveryResult {
  readonly runs: { readonly id: number; readonly event: string; readonly ref: string }[];
  readonly note: string;
}

// Stacks (issue 13: src/api/stacks.ts, api/http/stack-routes.ts):
//   GET    /api/apps/:app/stacks                          → StacksResponse
//   POST   /api/apps/:app/stacks/:stack/deploy  StackDeployRequest → 202 RunResponse (queued like an upload)
//   POST   /api/apps/:app/stacks/lint           StackLintRequest → StackLintResponse (nothing changes)
//   GET    /api/apps/:app/stacks/:stack/services          → StackServicesResponse (live services and their tasks)
//   GET    /api/apps/:app/stacks/:stack/releases          → StackReleasesResponse newest first
//   GET    /api/apps/:app/stacks/:stack/releases/:number  → StackReleaseResponse (with its plan and compose texts)
//   POST   /api/apps/:app/stacks/:stack/rollback StackRollbackRequest → 202 RunResponse
//   GET    /api/apps/:app/stacks/:stack/diff?from=A&to=B  → StackDiffResponse
//   DELETE /api/apps/:app/stacks/:stack                   → 204 (services, network and releases removed)

export interface StackFileText {
  /** The name the file had beside the command (shown in messages); `.env` for the variables file. */
  path: string;
  text: string;
}

export interface StackDeployRequest {
  /** Compose files in merge order, then optionally a `.env`. */
  files: StackFileText[];
  /** Opt-in: apps whose every new release deploys the stack again, rolling the services that ran their image. */
  redeployOn?: string[];
}

export interface StackLintRequest {
  files: StackFileText[];
  stack?: string;
}

export interface StackLintResponse {
  services: { name: string; image: string; replicas: number }[];
}

export interface StackSummaryItem {
  name: string;
  /** The number of the live release; null when none is live. */
  liveRelease: number | null;
  releases: number;
  /** Services Swarm runs now for the stack. */
  services: number;
}

export interface StacksResponse {
  stacks: StackSummaryItem[];
}

export interface StackServiceStatus {
  /** The compose name. */
  name: string;
  serviceName: string;
  /** From the live release; null when the service is not in it. */
  image: string | null;
  desired: number | null;
  running: number;
  tasks: TaskState[];
}

export interface StackServicesResponse {
  services: StackServiceStatus[];
}

export interface StackReleaseSummary {
  number: number;
  status: StackReleaseStatus;
  runId: number | null;
  user: string | null;
  rollbackOf: number | null;
  error: string | null;
  createdAt: string;
  deployedAt: string | null;
  /** Compose name → image, from the plan. */
  images: Record<string, string>;
  files: string[];
}

export interface StackReleasesResponse {
  releases: StackReleaseSummary[];
}

export interface StackReleaseResponse {
  release: StackRelease;
}

export interface StackRollbackRequest {
  /** Default: the release live before the live one. */
  release?: number;
}

export interface StackDiffResponse {
  from: number;
  to: number;
  services: StackServiceDiff[];
}

export interface StackServiceDiff {
  service: string;
  change: 'added' | 'removed' | 'changed' | 'unchanged';
  details: string[];
}
