// The run queue: runs wait in the store (so they survive restarts); one run per app at a time, apps in parallel.

import type { Run } from '../core/types.js';
import type { RunContext } from './executor.js';
import { executeRun } from './executor.js';

export class RunQueue {
  readonly #active = new Set<Promise<void>>();
  #pumping = false;
  #again = false;
  #stopped = false;

  constructor(
    private readonly ctx: RunContext,
    private readonly execute: (run: Run, ctx: RunContext) => Promise<void> = executeRun,
  ) {}

  /** Resumes runs that were running when Slipway stopped (before taking new ones), then starts pumping. */
  async start(): Promise<void> {
    for (const run of await this.ctx.store.runsWithStatus('running')) this.#launch(run);
    this.kick();
  }

  /** Asks the queue to look for work; cheap and safe to call often. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    void this.#pump().finally(() => {
      this.#pumping = false;
      if (this.#again) {
        this.#again = false;
        this.kick();
      }
    });
  }

  /** Stops taking new runs and waits for the active ones (or returns at once if asked not to wait). */
  async stop(wait = true): Promise<void> {
    this.#stopped = true;
    if (wait) await Promise.allSettled([...this.#active]);
  }

  async #pump(): Promise<void> {
    try {
      for (const run of await this.ctx.store.claimNextRuns(new Date().toISOString())) this.#launch(run);
    } catch (err) {
      process.stderr.write(`slipway: the run queue could not read the store: ${String(err)}\n`);
    }
  }

  #launch(run: Run): void {
    const done = this.execute(run, this.ctx)
      .catch(async (err: unknown) => {
        process.stderr.write(`slipway: run ${run.id} crashed: ${String(err)}\n`);
        // Never leave a run "running": that would block the app's queue until the next restart.
        const error = { kind: 'internal', message: `the run crashed: ${String(err)}` };
        await this.ctx.store.updateRun(run.id, { status: 'failed', phase: 'done', error, finishedAt: new Date().toISOString() }).catch(() => undefined);
        this.ctx.bus.emit('run.finished', { runId: run.id, app: run.app, status: 'failed', error });
      })
      .finally(() => {
        this.#active.delete(done);
        this.kick();
      });
    this.#active.add(done);
  }
}
