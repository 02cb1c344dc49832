// The dashboard's pure text helpers: short ids, durations, relative times, ANSI stripping, routes. No DOM here.

import type { CreateAppRequest } from '../../core/api.js';
import type { RunStep } from '../../core/ports/store.js';
import type { Run } from '../../core/types.js';

/** Recent runs shown per app; older ones stay in the CLI. */
export const RUNS_SHOWN = 10;

export function shortCommit(commit: unknown): string {
  return typeof commit === 'string' ? commit.replace(/^sha256:/, '').slice(0, 7) : '';
}

/** `registry/repo@sha256:abc…` → `sha256:abc…` cut to 12 hex digits; the full reference goes in the title. */
export function shortDigest(image: string): string {
  const at = image.lastIndexOf('@');
  const digest = at === -1 ? image : image.slice(at + 1);
  return digest.startsWith('sha256:') ? digest.slice(0, 19) : digest;
}

/** A status word as shown on a badge: `rolled_back` → `rolled back`. */
export const badgeText = (status: string): string => status.replace('_', ' ');

export interface RelativeTime {
  readonly amount: number;
  readonly unit: Intl.RelativeTimeFormatUnit;
}

const UNIT_STEPS: readonly (readonly [number, Intl.RelativeTimeFormatUnit])[] = [[60, 'second'], [60, 'minute'], [24, 'hour'], [7, 'day']];

/** `iso` relative to `now` in the largest unit under a week, or null when it is further away (show the date). */
export function relativeTime(iso: string, now: number): RelativeTime | null {
  let amount = Math.round((new Date(iso).getTime() - now) / 1000);
  for (const [size, unit] of UNIT_STEPS) {
    if (Math.abs(amount) < size) return { amount, unit };
    amount = Math.round(amount / size);
  }
  return null;
}

export interface ReplicaCounts {
  readonly desired: number;
  readonly running: number;
  readonly healthy: number;
}

export type ReplicaTone = 'idle' | 'ok' | 'down' | 'degraded';

export function replicaTone({ desired, running }: ReplicaCounts): ReplicaTone {
  return desired === 0 ? 'idle' : running >= desired ? 'ok' : running === 0 ? 'down' : 'degraded';
}

export function replicaText({ desired, running }: ReplicaCounts): string {
  return desired === 0 ? 'stopped' : `${running}/${desired} running`;
}

/** What started a run, in words: a rollback names its target release. */
export function runSourceText(run: Pick<Run, 'source' | 'targetRelease'>): string {
  return run.source === 'rollback' && run.targetRelease !== null ? `rollback to #${run.targetRelease}` : run.source;
}

/** How long a step took, or has taken so far; empty when it never started. */
export function stepDuration(step: Pick<RunStep, 'startedAt' | 'finishedAt'>, now: number): string {
  if (!step.startedAt) return '';
  const ms = (step.finishedAt ? new Date(step.finishedAt).getTime() : now) - new Date(step.startedAt).getTime();
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Why a step was skipped or failed, in the user's words; empty for a step that went well. */
export function stepDetail(step: Pick<RunStep, 'skipReason' | 'error' | 'exitCode'>): string {
  if (step.skipReason) return step.skipReason;
  if (step.error) return step.error;
  return step.exitCode !== null && step.exitCode !== 0 ? `exit code ${step.exitCode}` : '';
}

// CSI sequences (colours, cursor moves) from build tools.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const ANSI_PARTIAL = /\x1b(\[[0-9;?]*[ -/]*)?$/;

export const stripAnsi = (text: string): string => text.replace(ANSI, '');

/** Strips CSI sequences from a stream of chunks; a sequence cut by a chunk boundary is held back for the next one. */
export class AnsiFilter {
  #carry = '';

  push(chunk: string): string {
    const raw = this.#carry + chunk;
    const partial = ANSI_PARTIAL.exec(raw);
    this.#carry = partial ? partial[0] : '';
    return stripAnsi(partial ? raw.slice(0, partial.index) : raw);
  }
}

export interface Route {
  readonly app: string | null;
  readonly runId: number | null;
}

/** `#/apps/<name>` selects an app, `#/apps/<name>/runs/<id>` also follows that run's log; anything else selects nothing. */
export function parseRoute(hash: string): Route {
  const match = /^#\/apps\/([^/]+)(?:\/runs\/(\d+))?$/.exec(hash);
  if (!match?.[1]) return { app: null, runId: null };
  try {
    return { app: decodeURIComponent(match[1]), runId: match[2] ? Number(match[2]) : null };
  } catch {
    return { app: null, runId: null }; // a hand-edited hash with a broken %-escape selects nothing
  }
}

export const appHash = (name: string, runId?: number): string =>
  `#/apps/${encodeURIComponent(name)}${runId === undefined ? '' : `/runs/${runId}`}`;

/** The create form's fields as the API's request: blanks are left out so the server's defaults apply. */
export function createAppRequest(field: (key: string) => string): CreateAppRequest {
  const request: CreateAppRequest = { name: field('name'), domain: field('domain') };
  if (field('port') !== '') request.port = Number(field('port'));
  if (field('replicas') !== '') request.replicas = Number(field('replicas'));
  if (field('branch') !== '') request.branch = field('branch');
  return request;
}
