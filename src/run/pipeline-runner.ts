// Runs a compiled RunPlan: pipelines in dependency order, each pipeline's steps as a graph (independent steps in
// parallel) on a step backend, with services, secrets (masked in every log), timeouts, retries and cancel.

import type { Readable } from 'node:stream';
import { SlipwayError, asSlipwayError } from '../core/errors.js';
import { LogMasker, maskSecrets } from '../core/mask.js';
import type { PipelinePlan, RunPlan, StepPlan } from '../core/plan.js';
import type { StepBackend, WorkspaceRef } from '../core/ports/step-backend.js';
import { credentialParts, pullLoginsOf } from './pull-logins.js';
import { allDone, nextSteps, pipelineFailed, type StepState } from './step-scheduler.js';

export interface StepRecorder {
  stepState(pipeline: string, step: string, state: StepState, note?: string, exitCode?: number): Promise<void>;
  /** Masked output of a step, in order. */
  stepOutput(pipeline: string, step: string, text: string): void;
}

export interface BuiltinContext {
  readonly pipeline: PipelinePlan;
  /** The step's environment with the secrets it names opened (a notify URL or a registry login may be one). */
  readonly environment: Readonly<Record<string, string>>;
  readonly workspace: WorkspaceRef | null;
  readonly signal: AbortSignal;
  readonly log: (text: string) => void;
}

/** A built-in step that found it had nothing to do, and why (the step is recorded as skipped with the reason). */
export interface BuiltinSkipped {
  readonly skipped: string;
}

/** Slipway's own step kinds (build, push, deploy, notify); they throw SlipwayError on failure. */
export interface BuiltinSteps {
  run(step: StepPlan, ctx: BuiltinContext): Promise<void | BuiltinSkipped>;
}

export interface PlanRunOptions {
  /** Prefix of the Docker objects of this Slipway instance. */
  readonly namespace: string;
  readonly app: string;
  readonly runId: number;
  readonly backend: StepBackend;
  readonly builtins: BuiltinSteps;
  readonly recorder: StepRecorder;
  /** Secret values by name; only the ones a step names reach it. */
  readonly secrets: Readonly<Record<string, string>>;
  readonly source: () => Readable;
  readonly signal: AbortSignal;
  /** Restart from a failed step: the kept workspace per pipeline, and the steps that already succeeded. */
  readonly resume: { readonly workspaces: Readonly<Record<string, string>>; readonly succeeded: ReadonlySet<string> } | null;
  readonly log: (text: string) => void;
  /** Told of every step error that has a SlipwayError behind it (the run reports the first one's kind). */
  readonly onStepError?: (error: SlipwayError) => void;
  /** Step networks with no way out (pull requests from forks, issue 12). */
  readonly internalNetwork?: boolean;
}

export interface PlanOutcome {
  readonly status: 'succeeded' | 'failed' | 'cancelled';
  readonly failure: string | null;
  /** Workspaces kept because their pipeline failed (for a restart from the failed step). */
  readonly keptWorkspaces: Record<string, string>;
}

const MAX_PARALLEL_STEPS = 4;
const DEFAULT_STEP_TIMEOUT_SECONDS = 3600;

/**
 * How a pipeline ended, as the pipelines that depend on it see it. `skipped` (left out by a filter or by its status
 * filter, or cancelled) is neutral, like a skipped step; `blocked` (not run because a pipeline it depends on failed)
 * passes that failure on, so a chain after a failed pipeline stops and a failure pipeline at its end still runs.
 */
export type PipelineResult = 'succeeded' | 'failed' | 'skipped' | 'blocked';

/**
 * Whether a pipeline runs, from the results of the pipelines it depends on and its status filter (Drone
 * `trigger: status`, Woodpecker `runs_on`): ['success'] needs every dependency to have succeeded or been skipped,
 * ['failure'] needs one to have failed, both run either way. null = run; else why not, and the result to record.
 */
export function pipelineGate(pipeline: PipelinePlan, results: ReadonlyMap<string, PipelineResult>): { result: 'skipped' | 'blocked'; reason: string } | null {
  // Plans stored before pipelines had a status filter (restarts of older runs) ran on success only.
  const status = pipeline.status ?? ['success'];
  const failed = pipeline.dependsOn.filter((d) => results.get(d) === 'failed' || results.get(d) === 'blocked');
  const first = failed[0];
  if (first !== undefined) {
    if (status.includes('failure')) return null;
    const why = results.get(first) === 'failed' ? `pipeline ${first} failed` : `pipeline ${first} did not run after a failure`;
    return { result: 'blocked', reason: why };
  }
  if (status.includes('success')) return null;
  const deps = pipeline.dependsOn;
  const reason = deps.length === 0
    ? 'runs only on failure, and it depends on no pipeline'
    : deps.every((d) => results.get(d) === 'succeeded')
      ? 'runs only on failure; every pipeline it depends on succeeded'
      : 'runs only on failure; no pipeline it depends on failed';
  return { result: 'skipped', reason };
}

export async function runPlan(plan: RunPlan, opts: PlanRunOptions): Promise<PlanOutcome> {
  const results = new Map<string, PipelineResult>();
  const kept: Record<string, string> = {};
  let failure: string | null = null;
  for (const pipeline of orderPipelines(plan.pipelines)) {
    const gate = pipeline.skip !== null ? { result: 'skipped' as const, reason: pipeline.skip }
      : opts.signal.aborted ? { result: 'skipped' as const, reason: 'run cancelled' }
      : pipelineGate(pipeline, results);
    if (gate !== null) {
      for (const step of pipeline.steps) await opts.recorder.stepState(pipeline.name, step.name, 'skipped', gate.reason);
      results.set(pipeline.name, gate.result);
      continue;
    }
    const failedBefore = [...results].filter(([, r]) => r === 'failed').map(([name]) => name);
    const outcome = await runPipeline(pipeline, opts, failedBefore);
    results.set(pipeline.name, outcome.failed ? 'failed' : 'succeeded');
    if (outcome.keptWorkspace) kept[pipeline.name] = outcome.keptWorkspace;
    failure ??= outcome.failure;
  }
  // A failure pipeline that succeeded does not make the run succeed: the pipeline it reported on still failed.
  const status = opts.signal.aborted ? 'cancelled' : [...results.values()].includes('failed') ? 'failed' : 'succeeded';
  return { status, failure, keptWorkspaces: kept };
}

/**
 * The run's status as a step starting now sees it, which compile time cannot know: DRONE_BUILD_STATUS and
 * CI_PIPELINE_STATUS are `failure` once any pipeline of the run or any step of this one failed (what a
 * failure pipeline's notification reports), DRONE_STAGE_STATUS looks at this pipeline only.
 */
export function statusEnv(failedPipelines: readonly string[], failedSteps: readonly string[]): Record<string, string> {
  const word = (failed: boolean) => (failed ? 'failure' : 'success');
  return {
    DRONE_BUILD_STATUS: word(failedPipelines.length > 0 || failedSteps.length > 0),
    CI_PIPELINE_STATUS: word(failedPipelines.length > 0 || failedSteps.length > 0),
    DRONE_STAGE_STATUS: word(failedSteps.length > 0),
    DRONE_FAILED_STAGES: failedPipelines.join(','),
    DRONE_FAILED_STEPS: failedSteps.join(','),
  };
}

async function runPipeline(pipeline: PipelinePlan, opts: PlanRunOptions, failedBefore: readonly string[]) {
  const states = new Map<string, StepState>(pipeline.steps.map((s) => [s.name, 'pending']));
  const runtimeEnv = () => statusEnv(failedBefore, [...states].filter(([, st]) => st === 'failed').map(([name]) => name));
  // Services print until teardown; their held-back tails are released after it.
  const serviceOutputs: MaskedOutput[] = [];
  let failure: string | null = null;
  const needsContainers = pipeline.steps.some((s) => s.image !== null && s.skip === null) || pipeline.services.length > 0;
  opts.log(`--> pipeline ${pipeline.name}\n`);
  let workspace: WorkspaceRef | null = null;
  try {
    if (needsContainers) {
      workspace = await opts.backend.setup({
        namespace: opts.namespace,
        app: opts.app,
        runId: opts.runId,
        pipeline,
        source: opts.source,
        reuseWorkspace: opts.resume?.workspaces[pipeline.name] ?? null,
        // A missing or malformed pull secret fails the pipeline here, before any container starts.
        pullLogins: pullLoginsOf(pipeline, opts.secrets, opts.app),
        internalNetwork: opts.internalNetwork === true,
      });
      for (const service of pipeline.services) {
        opts.log(`--> service ${service.name} (${service.image})\n`);
        const env = { ...runtimeEnv(), ...service.environment, ...secretEnv(service.secrets, opts, pipeline.name, service.name) };
        const output = maskedOutput((t) => opts.recorder.stepOutput(pipeline.name, service.name, t), opts.secrets);
        serviceOutputs.push(output);
        await opts.backend.startService(service, startRequest(workspace, pipeline, env, [], opts, output));
      }
    }
    const running = new Set<Promise<void>>();
    while (!allDone(pipeline.steps, states)) {
      const decision = nextSteps(pipeline.steps, states, opts.signal.aborted);
      for (const { step, reason } of decision.skip) {
        states.set(step.name, 'skipped');
        await opts.recorder.stepState(pipeline.name, step.name, 'skipped', reason);
      }
      for (const step of decision.start) {
        if (running.size >= MAX_PARALLEL_STEPS) break;
        states.set(step.name, 'running');
        const task = runStep(step, pipeline, workspace, opts, runtimeEnv).then((state) => {
          states.set(step.name, state);
          if (state === 'failed') failure ??= `step ${step.name} of pipeline ${pipeline.name} failed`;
          running.delete(task);
        });
        running.add(task);
      }
      if (decision.skip.length === 0 && running.size > 0) await Promise.race(running);
      else if (decision.skip.length === 0 && decision.start.length === 0) {
        throw new SlipwayError('internal', `pipeline ${pipeline.name} is stuck: no step can start`);
      }
    }
  } catch (err) {
    const e = maskError(asSlipwayError(err), opts.secrets);
    failure ??= e.message;
    opts.onStepError?.(e);
    opts.log(`--> pipeline ${pipeline.name} failed: ${e.message}\n${e.hint ? `    hint: ${e.hint}\n` : ''}`);
    for (const [name, state] of states) {
      if (state === 'pending') await opts.recorder.stepState(pipeline.name, name, 'skipped', 'the pipeline could not start');
    }
    states.set('__setup__', 'failed');
  }
  const failed = pipelineFailed(states);
  if (workspace) await opts.backend.teardown(workspace, { keepWorkspace: failed && !opts.signal.aborted });
  for (const output of serviceOutputs) output.end();
  return { failed, failure, keptWorkspace: failed && workspace ? workspace.volume : null };
}

/** What an attempt reports besides its state: a container's exit code, a built-in's reason for skipping. */
interface AttemptExtras {
  code?: number;
  skipped?: string;
}

async function runStep(step: StepPlan, pipeline: PipelinePlan, workspace: WorkspaceRef | null, opts: PlanRunOptions, runtimeEnv: () => Record<string, string>): Promise<StepState> {
  const rec = opts.recorder;
  if (opts.resume?.succeeded.has(`${pipeline.name}/${step.name}`)) {
    await rec.stepState(pipeline.name, step.name, 'succeeded', 'succeeded in the restarted run');
    return 'succeeded';
  }
  await rec.stepState(pipeline.name, step.name, 'running');
  opts.log(`--> step ${step.name}\n`);
  // Everything a step shows goes through the masker: container output, built-in output (a build can print a
  // secret a step wrote into the workspace) and error messages.
  const masked = maskedOutput((text: string) => rec.stepOutput(pipeline.name, step.name, text), opts.secrets);
  const out = (text: string) => masked.write(text);
  for (let attempt = 0; ; attempt++) {
    const exit: AttemptExtras = {};
    const state = await attemptStep(step, pipeline, workspace, opts, runtimeEnv, out, exit);
    masked.end();
    if (state === 'succeeded' || state === 'cancelled' || state === 'skipped' || attempt >= step.retry) {
      const final = state === 'failed' && step.failure === 'ignore' ? 'ignored' : state;
      await rec.stepState(pipeline.name, step.name, final, exit.skipped, exit.code);
      return final;
    }
    out(`--> step ${step.name} failed; retrying (attempt ${attempt + 2} of ${step.retry + 1})\n`);
  }
}

async function attemptStep(step: StepPlan, pipeline: PipelinePlan, workspace: WorkspaceRef | null, opts: PlanRunOptions, runtimeEnv: () => Record<string, string>, out: (t: string) => void, exitOut: AttemptExtras): Promise<StepState> {
  // A step without a timeout gets Drone's default hour, so a runaway step cannot block the app's queue forever.
  const seconds = step.timeoutSeconds ?? DEFAULT_STEP_TIMEOUT_SECONDS;
  const timeout = AbortSignal.timeout(seconds * 1000);
  const signal = AbortSignal.any([opts.signal, timeout]);
  try {
    if (step.image === null) {
      const environment = { ...runtimeEnv(), ...step.environment, ...secretEnv(step.secrets, opts, pipeline.name, step.name) };
      const outcome = await opts.builtins.run(step, { pipeline, environment, workspace, signal, log: out });
      if (outcome) {
        out(`--> step ${step.name} skipped: ${outcome.skipped}\n`);
        exitOut.skipped = outcome.skipped;
        return 'skipped';
      }
      return 'succeeded';
    }
    if (!workspace) throw new SlipwayError('internal', 'no workspace for a container step');
    // The step's own environment may override the run-time variables, as it may the compile-time ones.
    const env = { ...runtimeEnv(), ...step.environment, ...secretEnv(step.secrets, opts, pipeline.name, step.name) };
    const output: MaskedOutput = { write: out, end: () => undefined }; // `out` masks already
    const handle = await opts.backend.startStep(step, startRequest(workspace, pipeline, env, step.caches, opts, output));
    if (step.detach) {
      out(`--> step ${step.name} detached; it runs until the pipeline ends\n`);
      return 'succeeded';
    }
    const exit = await opts.backend.wait(handle, signal);
    exitOut.code = exit.exitCode;
    if (opts.signal.aborted) return 'cancelled';
    if (timeout.aborted) {
      out(`--> step ${step.name} timed out after ${seconds} s and was stopped\n`);
      return 'failed';
    }
    if (exit.exitCode !== 0) out(`--> step ${step.name} exited with code ${exit.exitCode}\n`);
    return exit.exitCode === 0 ? 'succeeded' : 'failed';
  } catch (err) {
    if (opts.signal.aborted) return 'cancelled';
    const e = maskError(asSlipwayError(err), opts.secrets);
    opts.onStepError?.(e);
    out(`--> step ${step.name} failed: ${e.message}\n${e.hint ? `    hint: ${e.hint}\n` : ''}`);
    return 'failed';
  }
}

function startRequest(workspace: WorkspaceRef, pipeline: PipelinePlan, environment: Record<string, string>, caches: StepPlan['caches'], opts: PlanRunOptions, output: MaskedOutput) {
  const pullLogins = pullLoginsOf(pipeline, opts.secrets, opts.app);
  return { namespace: opts.namespace, workspace, pipeline, environment, caches, app: opts.app, onOutput: output.write, pullLogins };
}

interface MaskedOutput {
  write(chunk: string): void;
  /** Releases the tail the masker held back; call when the producer has ended. */
  end(): void;
}

function maskedOutput(write: (text: string) => void, secrets: Readonly<Record<string, string>>): MaskedOutput {
  // Every value of every app secret is masked, not only the ones this step names: output can echo others.
  const masker = new LogMasker(maskValues(secrets));
  // No timed flush: the masker holds back only text that could start a secret, so a pause in the output shows
  // everything else at once, and a secret printed in two parts around a pause is still masked as a whole.
  return {
    write: (chunk) => write(masker.write(chunk)),
    end: () => write(masker.flush()),
  };
}

/** Every secret's value, and the parts of registry logins inside Docker config secrets (pull-logins.ts). */
function maskValues(secrets: Readonly<Record<string, string>>): string[] {
  const values = Object.values(secrets);
  return [...new Set([...values, ...values.flatMap(credentialParts)])];
}

/** The error with every secret value masked in its message and hint (they end up in logs and the API). */
function maskError(e: SlipwayError, secrets: Readonly<Record<string, string>>): SlipwayError {
  const values = maskValues(secrets);
  if (values.length === 0) return e;
  const mask = (text: string) => maskSecrets(text, values);
  return new SlipwayError(e.kind, mask(e.message), { ...(e.field ? { field: e.field } : {}), ...(e.hint ? { hint: mask(e.hint) } : {}), cause: e });
}

function secretEnv(refs: StepPlan['secrets'], opts: PlanRunOptions, pipeline: string, step: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const ref of refs) {
    const value = opts.secrets[ref.secret];
    if (value === undefined) {
      throw new SlipwayError('invalid_input', `step ${step} of pipeline ${pipeline} needs secret ${ref.secret}, which is not available`, {
        field: ref.secret,
        hint: `set it with \`slipway secrets set ${opts.app} ${ref.secret}\`; pull requests from forks never get secrets`,
      });
    }
    env[ref.env] = value;
  }
  return env;
}

/** Pipelines in an order where each comes after the ones it depends on (the compiler rejected cycles). */
export function orderPipelines(pipelines: readonly PipelinePlan[]): PipelinePlan[] {
  const byName = new Map(pipelines.map((p) => [p.name, p]));
  const done = new Set<string>();
  const ordered: PipelinePlan[] = [];
  const visit = (p: PipelinePlan, path: Set<string>) => {
    if (done.has(p.name) || path.has(p.name)) return;
    path.add(p.name);
    for (const d of p.dependsOn) {
      const dep = byName.get(d);
      if (dep) visit(dep, path);
    }
    done.add(p.name);
    ordered.push(p);
  };
  for (const p of pipelines) visit(p, new Set());
  return ordered;
}
