// Measures the in-process cost of Slipway's step scheduler and runner alone, and times plan runs on any backend.
//
// The in-process cost of Slipway's step scheduler and runner alone: a compiled plan run through runPlan on the
// FakeStepBackend (no containers; a step prints its `+ command` line and exits 0 at once), timed with
// performance.now(). What is left is the runner's own work per step: scheduling, state recording calls, output
// masking, the backend protocol (setup → startStep → wait → teardown). timePlanRun times one run of a plan on any
// backend the same way (the benchmark uses it with the real DockerStepBackend, without a server around it).

import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { FakeStepBackend } from '../../src/adapters/docker/fake-step-backend.js';
import type { RunMeta, RunPlan } from '../../src/core/plan.js';
import type { StepBackend } from '../../src/core/ports/step-backend.js';
import { compilePlan, discoverPipelines } from '../../src/pipeline/index.js';
import { runPlan, type StepRecorder } from '../../src/run/pipeline-runner.js';
import type { StepState } from '../../src/run/step-scheduler.js';
import { mean, median, quantile } from './stats.js';

/** A .slipway.yml with `count` sequential commands steps (no build, push or deploy: only these steps run). */
export function stepsPipelineYaml(pipelineName: string, count: number, image: string, command: string): string {
  const steps = Array.from({ length: count }, (_, i) => `  - name: step-${i + 1}\n    image: ${image}\n    commands:\n      - ${JSON.stringify(command)}\n`);
  return `name: ${pipelineName}\nsteps:\n${steps.join('')}`;
}

/** Compiles a .slipway.yml text into a RunPlan, as the run stage does for a push to main. */
export function compileYaml(text: string, app: string): RunPlan {
  const source = discoverPipelines([{ path: '.slipway.yml', text }]);
  if (source === null) throw new Error('the pipeline text was not recognised as .slipway.yml');
  const meta: RunMeta = {
    app,
    runNumber: 1,
    event: 'push',
    commit: '0123456789abcdef0123456789abcdef01234567',
    ref: 'refs/heads/main',
    branch: 'main',
    tag: null,
    target: null,
    changedFiles: null,
    cronName: null,
    params: {},
    commitMessage: 'bench',
    author: 'bench',
    fromFork: false,
    describe: null,
  };
  return compilePlan(source, meta, { knownSecrets: [] });
}

export interface PlanOverhead {
  readonly runs: number;
  readonly stepsPerRun: number;
  /** runPlan's wall time per run divided by its steps: everything the runner does, per step. */
  readonly perStepMs: number;
  readonly perStepP90Ms: number;
  /** Median over runs of the mean step time from "running" to its final state (what the API's startedAt→finishedAt measures). */
  readonly stepMs: number;
  /** Median over runs of the mean time from one step's final state to the next step's "running". */
  readonly gapMs: number;
  /** From runPlan's call to the first step's "running" (setup), and from the last step's end to runPlan's return (teardown). */
  readonly headMs: number;
  readonly tailMs: number;
  readonly runMs: number;
}

interface Timeline {
  readonly started: Map<string, number>;
  readonly finished: Map<string, number>;
}

/** An empty tar archive (two zero blocks): what the backend extracts into the workspace. */
export const emptyTar = (): Readable => Readable.from([Buffer.alloc(1024)]);

/** Where a run's Docker objects go: names are `<namespace>-run-<runId>-<pipeline>…`, labels name the app. */
export interface RunPlace {
  readonly namespace: string;
  readonly app: string;
  readonly runId: number;
}

/** One runPlan on `backend`, each step's "running" and final state stamped with performance.now(). */
async function runOnce(plan: RunPlan, backend: StepBackend, where: RunPlace): Promise<{ wallMs: number; timeline: Timeline; t0: number; t1: number }> {
  const timeline: Timeline = { started: new Map(), finished: new Map() };
  const recorder: StepRecorder = {
    async stepState(_pipeline: string, step: string, state: StepState) {
      const now = performance.now();
      if (state === 'running') timeline.started.set(step, now);
      else timeline.finished.set(step, now);
    },
    stepOutput() {},
  };
  const t0 = performance.now();
  const outcome = await runPlan(plan, {
    namespace: where.namespace,
    app: where.app,
    runId: where.runId,
    backend,
    builtins: { run: async () => undefined },
    recorder,
    secrets: {},
    source: emptyTar,
    signal: new AbortController().signal,
    resume: null,
    log: () => undefined,
  });
  const t1 = performance.now();
  if (outcome.status !== 'succeeded') throw new Error(`the in-process plan run ${outcome.status}: ${outcome.failure ?? ''}`);
  return { wallMs: t1 - t0, timeline, t0, t1 };
}

export interface TimedRun {
  readonly wallMs: number;
  /** Mean step time from "running" to its final state. */
  readonly meanStepMs: number;
  /** First step's "running" to the last step's final state. */
  readonly stepsSpanMs: number;
  readonly meanGapMs: number;
  /** runPlan's call to the first step's "running" (setup), last step's end to runPlan's return (teardown). */
  readonly headMs: number;
  readonly tailMs: number;
}

/** Runs a one-pipeline plan once on `backend` (e.g. the real DockerStepBackend) and times it like the API does. */
export async function timePlanRun(plan: RunPlan, backend: StepBackend, where: RunPlace): Promise<TimedRun> {
  const names = stepNames(plan);
  const { wallMs, timeline, t0, t1 } = await runOnce(plan, backend, where);
  return figuresOf(names, timeline, wallMs, t0, t1);
}

function stepNames(plan: RunPlan): string[] {
  const pipeline = plan.pipelines[0];
  if (plan.pipelines.length !== 1 || pipeline === undefined) throw new Error('expected a plan with one pipeline');
  return pipeline.steps.map((s) => s.name);
}

function figuresOf(names: readonly string[], timeline: Timeline, wallMs: number, t0: number, t1: number): TimedRun {
  const at = (map: Map<string, number>, name: string) => {
    const v = map.get(name);
    if (v === undefined) throw new Error(`step ${name} has no recorded time`);
    return v;
  };
  const first = names[0];
  const last = names[names.length - 1];
  if (first === undefined || last === undefined) throw new Error('the plan has no steps');
  const durations = names.map((n) => at(timeline.finished, n) - at(timeline.started, n));
  const gaps = names.slice(1).map((n, k) => at(timeline.started, n) - at(timeline.finished, names[k] ?? n));
  return {
    wallMs,
    meanStepMs: mean(durations) ?? 0,
    stepsSpanMs: at(timeline.finished, last) - at(timeline.started, first),
    meanGapMs: mean(gaps) ?? 0,
    headMs: at(timeline.started, first) - t0,
    tailMs: t1 - at(timeline.finished, last),
  };
}

/** Runs the plan on a fresh FakeStepBackend `warmup` times unmeasured, then up to `maxRuns` times or for `budgetMs`. */
export async function measurePlanOverhead(plan: RunPlan, opts: { warmup: number; maxRuns: number; budgetMs: number }): Promise<PlanOverhead> {
  const names = stepNames(plan);
  for (let i = 0; i < opts.warmup; i++) await runOnce(plan, new FakeStepBackend(), { namespace: 'bench', app: 'bench', runId: i + 1 });
  const runs: TimedRun[] = [];
  const deadline = performance.now() + opts.budgetMs;
  for (let i = 0; i < opts.maxRuns && performance.now() < deadline; i++) {
    const { wallMs, timeline, t0, t1 } = await runOnce(plan, new FakeStepBackend(), { namespace: 'bench', app: 'bench', runId: opts.warmup + i + 1 });
    runs.push(figuresOf(names, timeline, wallMs, t0, t1));
  }
  const m = (pick: (r: TimedRun) => number) => median(runs.map(pick)) ?? Number.NaN;
  return {
    runs: runs.length,
    stepsPerRun: names.length,
    perStepMs: m((r) => r.wallMs / names.length),
    perStepP90Ms: quantile(runs.map((r) => r.wallMs / names.length), 0.9) ?? Number.NaN,
    stepMs: m((r) => r.meanStepMs),
    gapMs: m((r) => r.meanGapMs),
    headMs: m((r) => r.headMs),
    tailMs: m((r) => r.tailMs),
    runMs: m((r) => r.wallMs),
  };
}
