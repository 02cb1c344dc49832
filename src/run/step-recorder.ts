// Records step states and output: per-step log in the store, and the run's combined log with "[step]" prefixes
// (so parallel steps stay readable in a git push or `slipway runs logs`).

import type { EventBus } from '../core/events.js';
import { StepLines } from '../core/step-lines.js';
import type { Store } from '../core/ports/store.js';
import type { StepRecorder } from './pipeline-runner.js';
import type { RunLog } from './run-log.js';
import type { StepState } from './step-scheduler.js';

/** Per step: logs are stored in the database and read whole by followers. */
const MAX_STEP_LOG = 32 * 1024 * 1024;

export class StoreStepRecorder implements StepRecorder {
  readonly #lines = new StepLines();
  readonly #sizes = new Map<string, number>();
  #tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly bus: EventBus,
    private readonly runId: number,
    private readonly log: RunLog,
  ) {}

  async stepState(pipeline: string, step: string, state: StepState, note?: string, exitCode?: number): Promise<void> {
    const now = new Date().toISOString();
    if (state !== 'running') this.#flushPartial(pipeline, step);
    await this.#tail;
    const status = state === 'ignored' ? 'failed' : state;
    await this.store.updateRunStep(this.runId, pipeline, step, {
      status: status === 'pending' ? 'pending' : status,
      ...(state === 'running' ? { startedAt: now } : { finishedAt: now }),
      ...(note && state === 'skipped' ? { skipReason: note } : {}),
      ...(note && (state === 'failed' || state === 'cancelled') ? { error: note } : {}),
      ...(state === 'ignored' ? { error: 'failed; ignored (failure: ignore)' } : {}),
      ...(exitCode === undefined ? {} : { exitCode }),
    });
    this.bus.emit('step.state', { runId: this.runId, pipeline, step, status, exitCode: exitCode ?? null, note: note ?? null });
    if (state === 'skipped') this.log.write(`--> step ${step} skipped: ${note ?? ''}\n`);
    else if (state !== 'running') this.log.write(`--> step ${step} ${state}\n`);
  }

  stepOutput(pipeline: string, step: string, text: string): void {
    if (text === '') return;
    const key0 = `${pipeline}\u0000${step}`;
    const stored = this.#sizes.get(key0) ?? 0;
    if (stored >= MAX_STEP_LOG) return;
    if (stored + text.length >= MAX_STEP_LOG) {
      // Beyond the cap the output is still drained (the step keeps running) but not stored or shown.
      text = `${text.slice(0, MAX_STEP_LOG - stored)}\n[output truncated: this step printed more than ${MAX_STEP_LOG / 1024 / 1024} MiB]\n`;
    }
    this.#sizes.set(key0, stored + text.length);
    const chunk = { runId: this.runId, pipeline, step, text, offset: stored };
    this.#tail = this.#tail
      .then(() => this.store.appendStepLog(this.runId, pipeline, step, text))
      .then(() => this.bus.emit('step.log', chunk))
      .catch((err: unknown) => void process.stderr.write(`slipway: could not store step log: ${String(err)}\n`));
    const lines = this.#lines.push(pipeline, step, text);
    if (lines.length > 0) this.log.write(lines.map((l) => `[${step}] ${l}\n`).join(''));
  }

  flush(): Promise<void> {
    return this.#tail;
  }

  #flushPartial(pipeline: string, step: string): void {
    const rest = this.#lines.end(pipeline, step);
    if (rest) this.log.write(`[${step}] ${rest}\n`);
  }
}
