// Reads a pipeline run's timeline from Slipway's API and derives the benchmark's figures from it.
//
// A run's timeline as Slipway's API reports it: the run's createdAt/startedAt/finishedAt (GET /api/runs/:id) and
// each step's startedAt/finishedAt (GET /api/runs/:id/steps), as epoch milliseconds. Slipway stamps them with
// new Date().toISOString() in its own process on this machine, so they compare directly with Date.now() here.

import { api } from '../../test/e2e/support/api.js';
import type { TestSlipway } from '../../test/e2e/support/slipway-process.js';

export interface StepTimes {
  readonly name: string;
  readonly status: string;
  readonly startedAt: number;
  readonly finishedAt: number;
}

export interface RunTimeline {
  readonly id: number;
  readonly status: string;
  readonly createdAt: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly steps: readonly StepTimes[];
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object: ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

function instant(value: unknown, what: string): number {
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(at)) throw new Error(`${what} is not a timestamp: ${JSON.stringify(value)}`);
  return at;
}

/** The run id from the push output ("slipway: run 7 queued for …"). */
export function queuedRunId(pushOutput: string): number {
  const id = /slipway: run (\d+) queued/.exec(pushOutput)?.[1];
  if (id === undefined) throw new Error(`the push queued no run:\n${pushOutput.slice(-2000)}`);
  return Number(id);
}

/** Reads a finished run and the steps that ran (started and finished), in pipeline order. */
export async function runTimeline(slipway: TestSlipway, runId: number): Promise<RunTimeline> {
  const runRes = await api<unknown>(slipway, 'GET', `/api/runs/${runId}`);
  if (runRes.status !== 200) throw new Error(`GET /api/runs/${runId}: HTTP ${runRes.status}`);
  const run = record(record(runRes.json, 'the run response').run, 'run');
  const stepsRes = await api<unknown>(slipway, 'GET', `/api/runs/${runId}/steps`);
  if (stepsRes.status !== 200) throw new Error(`GET /api/runs/${runId}/steps: HTTP ${stepsRes.status}`);
  const list = record(stepsRes.json, 'the steps response').steps;
  if (!Array.isArray(list)) throw new Error('the steps response has no steps list');
  const steps: StepTimes[] = [];
  list.forEach((raw: unknown, i) => {
    const s = record(raw, `step ${i}`);
    const name = String(s.name);
    // A step that never started (skipped after a failure, or by a filter) has no times: it is left out.
    if (s.startedAt === null) return;
    steps.push({ name, status: String(s.status), startedAt: instant(s.startedAt, `step ${name} startedAt`), finishedAt: instant(s.finishedAt, `step ${name} finishedAt`) });
  });
  return {
    id: runId,
    status: String(run.status),
    createdAt: instant(run.createdAt, 'run createdAt'),
    startedAt: instant(run.startedAt, 'run startedAt'),
    finishedAt: instant(run.finishedAt, 'run finishedAt'),
    steps,
  };
}

export interface TimelineFigures {
  /** Mean of the steps' finishedAt − startedAt. */
  readonly meanStepMs: number;
  /** First step's start to the last step's end. */
  readonly stepsSpanMs: number;
  /** The run's startedAt to finishedAt (adds plan loading, workspace setup and teardown). */
  readonly runSpanMs: number;
  /** Mean from one step's end to the next one's start. */
  readonly meanGapMs: number;
  /** From `git push` starting (Date.now() here) to: the run being queued, the run starting, the first step starting. */
  readonly pushToQueuedMs: number;
  readonly pushToRunStartMs: number;
  readonly pushToFirstStepMs: number;
  /** Run start to first step start: plan loading and (for container steps) workspace setup. */
  readonly runStartToFirstStepMs: number;
  /** Last step's end to the run's end: teardown and bookkeeping. */
  readonly lastStepToRunEndMs: number;
}

export function timelineFigures(t: RunTimeline, pushStartedAt: number): TimelineFigures {
  const first = t.steps[0];
  const last = t.steps[t.steps.length - 1];
  if (first === undefined || last === undefined) throw new Error(`run ${t.id} has no steps`);
  const durations = t.steps.map((s) => s.finishedAt - s.startedAt);
  const gaps = t.steps.slice(1).map((s, i) => s.startedAt - (t.steps[i]?.finishedAt ?? s.startedAt));
  const avg = (v: number[]) => (v.length === 0 ? 0 : v.reduce((a, b) => a + b, 0) / v.length);
  return {
    meanStepMs: avg(durations),
    stepsSpanMs: last.finishedAt - first.startedAt,
    runSpanMs: t.finishedAt - t.startedAt,
    meanGapMs: avg(gaps),
    pushToQueuedMs: t.createdAt - pushStartedAt,
    pushToRunStartMs: t.startedAt - pushStartedAt,
    pushToFirstStepMs: first.startedAt - pushStartedAt,
    runStartToFirstStepMs: first.startedAt - t.startedAt,
    lastStepToRunEndMs: t.finishedAt - last.finishedAt,
  };
}
