// Fires cron schedules: every interval, each due schedule queues one run of its branch head (event cron, with the
// schedule's name), and its next time is computed from now — slots missed while Slipway was down fire once.

import { SlipwayError } from '../core/errors.js';
import type { NewRun, Schedule, Store } from '../core/ports/store.js';
import type { Run } from '../core/types.js';
import { parseCron } from './cron-expr.js';

export const DEFAULT_SCHEDULER_INTERVAL_MS = 15_000;
/** A stored expression that no longer parses is retried this much later instead of at every tick. */
const BROKEN_RETRY_MS = 3_600_000;

export interface SchedulerDeps {
  readonly store: Store;
  /** The commit at the head of the app's branch; null when the branch was never pushed. */
  headOf(app: string, branch: string): Promise<string | null>;
  /** Queues a run as every trigger does (store, audit event, bus, queue kick). */
  enqueue(run: NewRun): Promise<Run>;
  readonly now?: () => Date;
  readonly intervalMs?: number;
  /** Where a failure is reported: to fire one schedule (the others still fire), or to read them (null). */
  readonly onError?: (err: unknown, schedule: Schedule | null) => void;
}

export class Scheduler {
  readonly #d: SchedulerDeps;
  readonly #now: () => Date;
  #timer: NodeJS.Timeout | null = null;
  #ticking: Promise<void> | null = null;

  constructor(deps: SchedulerDeps) {
    this.#d = deps;
    this.#now = deps.now ?? (() => new Date());
  }

  /** Starts ticking (the first tick right away); the timer does not keep the process alive. */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.tick(), this.#d.intervalMs ?? DEFAULT_SCHEDULER_INTERVAL_MS);
    this.#timer.unref();
    void this.tick();
  }

  /** Stops ticking and waits for a tick in progress. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#ticking;
  }

  /** Fires every due schedule once; a tick already in progress is joined, not doubled. */
  tick(): Promise<void> {
    this.#ticking ??= this.#fireDue().finally(() => {
      this.#ticking = null;
    });
    return this.#ticking;
  }

  /** Queues a cron run of the schedule's branch head; null (nothing queued) when the branch was never pushed. */
  async queueRun(schedule: Schedule): Promise<Run | null> {
    const commit = await this.#d.headOf(schedule.app, schedule.branch);
    if (commit === null) return null;
    return this.#d.enqueue({
      app: schedule.app, source: 'git', ref: `refs/heads/${schedule.branch}`, commit, event: 'cron', cronName: schedule.name,
    });
  }

  /** Queues the schedule's cron run now (`slipway cron run`); its regular next time is unchanged. */
  async runNow(schedule: Schedule): Promise<Run> {
    const run = await this.queueRun(schedule);
    if (run === null) {
      throw new SlipwayError('not_found', `branch ${schedule.branch} has not been pushed to ${schedule.app}`, {
        field: 'branch',
        hint: 'push it first (`git push slipway <branch>`)',
      });
    }
    await this.#d.store.markScheduleFired(schedule.app, schedule.name, run.id, schedule.nextAt);
    return run;
  }

  async #fireDue(): Promise<void> {
    const now = this.#now();
    let due: Schedule[];
    try {
      due = await this.#d.store.dueSchedules(now.toISOString());
    } catch (err) {
      this.#d.onError?.(err, null);
      return;
    }
    for (const schedule of due) {
      try {
        await this.#fire(schedule, now);
      } catch (err) {
        this.#d.onError?.(err, schedule);
      }
    }
  }

  async #fire(schedule: Schedule, now: Date): Promise<void> {
    const { store } = this.#d;
    let nextAt: string;
    try {
      // From now, not from the missed slot: however long Slipway was down, the schedule fires once.
      nextAt = parseCron(schedule.expr).next(now).toISOString();
    } catch (err) {
      await store.markScheduleFired(schedule.app, schedule.name, null, new Date(now.getTime() + BROKEN_RETRY_MS).toISOString());
      throw err;
    }
    let run: Run | null;
    try {
      run = await this.queueRun(schedule);
    } catch (err) {
      // A slot that cannot run (a branch name git refuses, say) is skipped like an unpushed branch: the schedule goes
      // on to its next time instead of failing again at every tick.
      await store.recordEvent('schedule.skipped', schedule.app, {
        name: schedule.name, branch: schedule.branch, reason: err instanceof Error ? err.message : String(err),
      });
      await store.markScheduleFired(schedule.app, schedule.name, null, nextAt);
      throw err;
    }
    if (run === null) {
      await store.recordEvent('schedule.skipped', schedule.app, {
        name: schedule.name, branch: schedule.branch, reason: `branch ${schedule.branch} has not been pushed`,
      });
    }
    await store.markScheduleFired(schedule.app, schedule.name, run?.id ?? null, nextAt);
  }
}
