// Subscriber: after each run finishes, deletes the logs of its app's old runs (the runs themselves stay as history).

import type { EventBus } from '../core/events.js';
import type { Store } from '../core/ports/store.js';

export interface LogPruningOptions {
  /** Logs are kept for this many newest runs of each app. */
  readonly keepRuns?: number;
  /** And for no run that finished longer ago than this; null: no age bound. */
  readonly maxAgeMs?: number | null;
  readonly now?: () => Date;
  readonly warn: (line: string) => void;
}

export const DEFAULT_KEEP_RUNS = 200;
export const DEFAULT_LOG_MAX_AGE_MS = 90 * 24 * 3600 * 1000;

/** Prunes on every run.finished: one indexed query per finished run, idempotent, never awaited by the run. */
export function subscribeLogPruning(bus: EventBus, store: Pick<Store, 'pruneRunLogs'>, opts: LogPruningOptions): () => void {
  const keep = opts.keepRuns ?? DEFAULT_KEEP_RUNS;
  const maxAge = opts.maxAgeMs === undefined ? DEFAULT_LOG_MAX_AGE_MS : opts.maxAgeMs;
  const now = opts.now ?? (() => new Date());
  return bus.on('run.finished', (e) => {
    const before = maxAge === null ? undefined : new Date(now().getTime() - maxAge).toISOString();
    // A failed prune costs disk only; it is retried by the next finished run.
    void store.pruneRunLogs(e.app, keep, before).catch((err: unknown) => opts.warn(`could not prune ${e.app}'s old run logs: ${String(err)}`));
  });
}
