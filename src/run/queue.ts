// The run queue: runs wait in the store (so they survive restarts); up to each app's concurrency (default 1) at a time,
// apps in parallel up to the server's capacity (SLIPWAY_MAX_RUNS), so a burst of pushes cannot start more builds than
// the machine can carry. Deploys of one app stay one at a time whatever its concurrency (run/deploy-lock.ts).

import type { Run } from '../core/types.js';
import { resumePutBack } from '../converge/rollout.js';
import { executeRun } from './executor.js';
import type { RunContext } from './run-context.js';

/** How often a run that was running when Slipway stopped is resumed by the next start. */
const MAX_RESUMES = 1;

export interface RunQueueOptions {
  /** Most runs at a time over all apps; default: no limit. Runs resumed after a restart count too. */
  readonly capacity?: number;
  /** Runs one run to its end; tests script it. */
  readonly execute?: (run: Run, ctx: RunContext) => Promise<void>;
}

export class RunQueue {
  readonly #active = new Set<Promise<void>>();
  readonly #execute: (run: Run, ctx: RunContext) => Promise<void>;
  /** Most runs at a time over all apps (Infinity: no limit). */
  readonly capacity: number;
  #pumping = false;
  #again = false;
  #stopped = false;

  constructor(
    private readonly ctx: RunContext,
    opts: RunQueueOptions = {},
  ) {
    this.#execute = opts.execute ?? executeRun;
    this.capacity = opts.capacity ?? Infinity;
  }

  /**
   * Resumes runs that were running when Slipway stopped (before taking new ones), then starts pumping. A run is
   * resumed once: one that was running again when Slipway stopped the next time is failed, so a run that brings
   * Slipway down is not started again and again.
   */
  async start(): Promise<void> {
    const { store } = this.ctx;
    for (const run of await store.runsWithStatus('running')) {
      const resumes = (await store.getRunDetails(run.id))?.resumes ?? 0;
      if (resumes >= MAX_RESUMES) {
        await this.#failCutOff(run);
        continue;
      }
      await store.updateRunDetails(run.id, { resumes: resumes + 1 });
      this.#launch(run);
    }
    this.kick();
  }

  async #failCutOff(run: Run): Promise<void> {
    const { store, bus } = this.ctx;
    const error = {
      kind: 'interrupted',
      message: 'Slipway stopped while this run was running, and again after it was resumed; it is not resumed a second time',
      hint: `look at the run's log and Slipway's own log for what stopped it; \`slipway runs start ${run.app}\` runs the pipeline again`,
    };
    // A release it recorded but did not see live is not going out any more; cut off mid-rollout (or mid-put-back),
    // the service may be on that release's image: the previous release is put back, so nothing stays half-deployed.
    const cut = (await store.listReleases(run.app)).filter((r) => r.runId === run.id || r.id === run.releaseId);
    for (const r of cut) {
      if (r.status === 'deploying') await store.setReleaseStatus(r.id, 'failed');
    }
    const rolling = run.phase === 'deploy' ? cut.find((r) => r.id === run.releaseId && r.status !== 'live' && r.status !== 'superseded') : undefined;
    if (rolling) await this.#putBack(run, { ...rolling, status: 'failed' });
    await store.updateRun(run.id, { status: 'failed', phase: 'done', error, finishedAt: new Date().toISOString() });
    await store.recordEvent('run.failed', run.app, { runId: run.id, error });
    bus.emit('run.finished', { runId: run.id, app: run.app, status: 'failed', error });
  }

  /** Best effort: a put-back that fails too is logged; the run fails either way and the history stays intact. */
  async #putBack(run: Run, failed: Parameters<typeof resumePutBack>[0]): Promise<void> {
    const log = (text: string): void => {
      void this.ctx.store.appendRunLog(run.id, text).catch(() => undefined);
    };
    await this.ctx.deploys
      .with(run.app, new AbortController().signal, log, () => resumePutBack(failed, { ...this.ctx, log }))
      .catch((err: unknown) => log(`--> ${err instanceof Error ? err.message : String(err)}\n`));
    await this.ctx.syncRoutes().catch(() => undefined);
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
      const free = this.capacity - this.#active.size;
      if (free <= 0) return; // a finishing run kicks again
      const limit = Number.isFinite(free) ? free : undefined;
      for (const run of await this.ctx.store.claimNextRuns(new Date().toISOString(), limit)) this.#launch(run);
    } catch (err) {
      process.stderr.write(`slipway: the run queue could not read the store: ${String(err)}\n`);
    }
  }

  #launch(run: Run): void {
    const done = this.#execute(run, this.ctx)
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
