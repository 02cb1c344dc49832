// A StepRecorder for a terminal: step output live as `[step] line`, each step's result as it ends, and a summary table.

import type { RunPlan } from '../../core/plan.js';
import { StepLines } from '../../core/step-lines.js';
import type { StepRecorder } from '../../run/pipeline-runner.js';
import type { StepState } from '../../run/step-scheduler.js';


export interface StepResult {
  readonly pipeline: string;
  readonly step: string;
  readonly state: StepState;
  /** Why it was skipped, or what went wrong. */
  readonly note: string | null;
  /** From start to end; null when it never ran. */
  readonly durationMs: number | null;
}

export interface ConsoleRecorderOptions {
  readonly write: (text: string) => void;
  /** Label steps `pipeline/step` (several pipelines) rather than `step`. */
  readonly qualify: boolean;
  readonly now?: () => number;
}

export class ConsoleStepRecorder implements StepRecorder {
  readonly #write: (text: string) => void;
  readonly #qualify: boolean;
  readonly #now: () => number;
  readonly #lines = new StepLines();
  readonly #started = new Map<string, number>();
  readonly #results = new Map<string, StepResult>();

  constructor(options: ConsoleRecorderOptions) {
    this.#write = options.write;
    this.#qualify = options.qualify;
    this.#now = options.now ?? Date.now;
  }

  async stepState(pipeline: string, step: string, state: StepState, note?: string): Promise<void> {
    const key = keyOf(pipeline, step);
    if (state === 'running') {
      this.#started.set(key, this.#now());
      this.#results.set(key, { pipeline, step, state, note: null, durationMs: null });
      return;
    }
    this.#flushPartial(pipeline, step);
    const started = this.#started.get(key);
    const durationMs = started === undefined ? null : this.#now() - started;
    this.#results.set(key, { pipeline, step, state, note: note ?? null, durationMs });
    const label = this.label(pipeline, step);
    const took = durationMs === null ? '' : ` (${formatDuration(durationMs)})`;
    if (state === 'skipped') this.#write(`--> step ${label} skipped: ${note ?? ''}\n`);
    else if (state === 'ignored') this.#write(`--> step ${label} failed; ignored (failure: ignore)${took}\n`);
    else this.#write(`--> step ${label} ${state}${took}${note ? `: ${note}` : ''}\n`);
  }

  stepOutput(pipeline: string, step: string, text: string): void {
    if (text === '') return;
    const lines = this.#lines.push(pipeline, step, text);
    if (lines.length === 0) return;
    const prefix = `[${this.label(pipeline, step)}] `;
    this.#write(lines.map((l) => `${prefix}${l.replace(/\r$/, '')}\n`).join(''));
  }

  /** Writes what is left of unfinished lines (a step that ended without a newline, or a run that stopped). */
  flush(): void {
    for (const { pipeline, step } of this.#lines.open()) this.#flushPartial(pipeline, step);
  }

  /** Every step of the plan in plan order, with what became of it ('pending' if it was never reached). */
  results(plan: RunPlan): StepResult[] {
    return plan.pipelines.flatMap((p) =>
      p.steps.map((s) => this.#results.get(keyOf(p.name, s.name)) ?? { pipeline: p.name, step: s.name, state: 'pending' as const, note: null, durationMs: null }),
    );
  }

  label(pipeline: string, step: string): string {
    return this.#qualify ? `${pipeline}/${step}` : step;
  }

  #flushPartial(pipeline: string, step: string): void {
    const rest = this.#lines.end(pipeline, step);
    if (rest) this.#write(`[${this.label(pipeline, step)}] ${rest}\n`);
  }
}

/** `0.4s`, `12.0s`, `2m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

function keyOf(pipeline: string, step: string): string {
  return `${pipeline}\u0000${step}`;
}
