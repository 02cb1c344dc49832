// Records step states and output: per-step log in the store, and the run's combined log with "[step]" prefixes
// (so parallel steps stay readable in a git push or `slipway runs logs`).

import type { Store } from '../core/ports/store.js';
import type { StepRecorder } from './pipeline-runner.js';
import type { RunLog } from './run-log.js';
import type { StepState } from './step-scheduler.js';

const MAX_LINE = 16 * 1024;

export class StoreStepRecorder implements StepRecorder {
  readonly #partial = new Map<string, string>();
  #tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly runId: number,
    private readonly log: RunLog,
  ) {}

  async stepState(pipeline: string, step: string, state: StepState, note?: string): Promise<void> {
    const now = new Date().toISOString();
    if (state !== 'running') this.#flushPartial(pipeline, step);
    await this.#tail;
    const status = state === 'ignored' ? 'failed' : state;
    await this.store.updateRunStep(this.runId, pipeline, step, {
      status: status === 'pending' ? 'pending' : status,
      ...(state === 'running' ? { startedAt: now } : { finishedAt: now }),
      ...(note ? (state === 'skipped' ? { skipReason: note } : { error: note }) : {}),
      ...(state === 'ignored' ? { error: 'failed; ignored (failure: ignore)' } : {}),
    });
    if (state === 'skipped') this.log.write(`--> step ${step} skipped: ${note ?? ''}\n`);
    else if (state !== 'running') this.log.write(`--> step ${step} ${state}\n`);
  }

  stepOutput(pipeline: string, step: string, text: string): void {
    if (text === '') return;
    this.#tail = this.#tail
      .then(() => this.store.appendStepLog(this.runId, pipeline, step, text))
      .catch((err: unknown) => void process.stderr.write(`slipway: could not store step log: ${String(err)}\n`));
    const key = `${pipeline}\u0000${step}`;
    const lines = ((this.#partial.get(key) ?? '') + text).split('\n');
    let rest = lines.pop() ?? '';
    // Output without newlines (binary, progress bars) must not pile up in memory: cut it into long lines.
    while (rest.length > MAX_LINE) {
      lines.push(rest.slice(0, MAX_LINE));
      rest = rest.slice(MAX_LINE);
    }
    this.#partial.set(key, rest);
    if (lines.length > 0) this.log.write(lines.map((l) => `[${step}] ${l}\n`).join(''));
  }

  flush(): Promise<void> {
    return this.#tail;
  }

  #flushPartial(pipeline: string, step: string): void {
    const key = `${pipeline}\u0000${step}`;
    const rest = this.#partial.get(key);
    if (rest) this.log.write(`[${step}] ${rest}\n`);
    this.#partial.delete(key);
  }
}
