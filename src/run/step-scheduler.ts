// Decides, from the steps' states so far, which steps of a pipeline start next and which are skipped (pure).

import type { StepPlan } from '../core/plan.js';

export type StepState = 'pending' | 'running' | 'succeeded' | 'failed' | 'ignored' | 'skipped' | 'cancelled';

export interface Decision {
  readonly start: readonly StepPlan[];
  readonly skip: ReadonlyArray<{ step: StepPlan; reason: string }>;
}

const DONE: ReadonlySet<StepState> = new Set(['succeeded', 'failed', 'ignored', 'skipped', 'cancelled']);

/**
 * A step is ready when all its dependencies are done. It then runs if the pipeline's status so far is one its
 * `when.status` accepts (default: success only), like Drone and Woodpecker; otherwise it is skipped.
 * A step whose dependency was skipped because of a filter still runs: skipping is not failing.
 */
export function nextSteps(steps: readonly StepPlan[], states: ReadonlyMap<string, StepState>, cancelled: boolean): Decision {
  const failed = [...states.values()].some((s) => s === 'failed' || s === 'cancelled');
  const start: StepPlan[] = [];
  const skip: Array<{ step: StepPlan; reason: string }> = [];
  for (const step of steps) {
    if (states.get(step.name) !== 'pending') continue;
    if (!step.dependsOn.every((d) => DONE.has(states.get(d) ?? 'skipped'))) continue;
    if (cancelled) skip.push({ step, reason: 'run cancelled' });
    else if (step.skip !== null) skip.push({ step, reason: step.skip });
    else if (failed && !step.status.includes('failure')) skip.push({ step, reason: 'an earlier step failed' });
    else if (!failed && !step.status.includes('success')) skip.push({ step, reason: 'runs only when the pipeline fails' });
    else start.push(step);
  }
  return { start, skip };
}

export function allDone(steps: readonly StepPlan[], states: ReadonlyMap<string, StepState>): boolean {
  return steps.every((s) => DONE.has(states.get(s.name) ?? 'pending'));
}

/** The pipeline failed if any step failed (ignored failures and skips do not count). */
export function pipelineFailed(states: ReadonlyMap<string, StepState>): boolean {
  return [...states.values()].some((s) => s === 'failed' || s === 'cancelled');
}
