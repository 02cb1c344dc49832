// The store port: Slipway's desired state and history. SQLite by default (adapters/store).
//
// Protocol:
// - Every method is safe to call concurrently from one process; writes are atomic per call.
// - createRelease assigns the next number for the app atomically (1, 2, 3 …), never reused.
// - claimNextRuns is how the queue picks work: it returns, for each app with no running run, its oldest queued
//   run, and marks those runs running in the same transaction, so two callers never get the same run.
// - Nothing is deleted except by deleteApp (which keeps runs/releases for the audit trail, marked by app name).

import type { App, Release, ReleaseStatus, Run, RunError, RunPhase, RunSource, RunStatus, ServiceSpecInput } from '../types.js';

export interface NewApp {
  readonly name: string;
  readonly domain: string;
  readonly port: number;
  readonly replicas: number;
  readonly branch: string;
}

export interface AppPatch {
  readonly domain?: string;
  readonly port?: number;
  readonly replicas?: number;
  readonly branch?: string;
}

export interface NewRun {
  readonly app: string;
  readonly source: RunSource;
  readonly ref: string | null;
  readonly commit: string;
  readonly targetRelease?: number | null;
}

export interface RunPatch {
  readonly status?: RunStatus;
  readonly phase?: RunPhase;
  readonly releaseId?: number | null;
  readonly error?: RunError | null;
  readonly startedAt?: string | null;
  readonly finishedAt?: string | null;
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

export interface TokenRecord {
  readonly id: number;
  readonly name: string;
  /** sha256 hex of the token; the token itself is never stored. */
  readonly hash: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

export interface AuditEvent {
  readonly id: number;
  readonly type: string;
  readonly app: string | null;
  readonly data: unknown;
  readonly at: string;
}

export interface Store {
  createApp(app: NewApp): Promise<App>; // SlipwayError conflict if the name exists
  getApp(name: string): Promise<App | null>;
  listApps(): Promise<App[]>;
  updateApp(name: string, patch: AppPatch): Promise<App>; // not_found if missing
  deleteApp(name: string): Promise<void>;

  createToken(name: string, hash: string): Promise<TokenRecord>;
  findTokenByHash(hash: string): Promise<TokenRecord | null>;
  countTokens(): Promise<number>;
  touchToken(id: number): Promise<void>;

  createRun(run: NewRun): Promise<Run>; // status queued, phase queued
  getRun(id: number): Promise<Run | null>;
  listRuns(app: string, limit: number): Promise<Run[]>; // newest first
  updateRun(id: number, patch: RunPatch): Promise<Run>;
  runsWithStatus(status: RunStatus): Promise<Run[]>; // oldest first
  claimNextRuns(startedAt: string): Promise<Run[]>;
  appendRunLog(runId: number, text: string): Promise<void>;
  readRunLog(runId: number): Promise<string>;

  createRelease(release: NewRelease): Promise<Release>; // status deploying
  getRelease(app: string, number: number): Promise<Release | null>;
  getReleaseById(id: number): Promise<Release | null>;
  listReleases(app: string): Promise<Release[]>; // newest first
  liveRelease(app: string): Promise<Release | null>;
  setReleaseStatus(id: number, status: ReleaseStatus, deployedAt?: string): Promise<Release>;

  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;

  recordEvent(type: string, app: string | null, data: unknown): Promise<void>;
  listEvents(limit: number): Promise<AuditEvent[]>; // newest first

  close(): Promise<void>;
}
