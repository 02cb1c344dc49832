// Pipeline source + run → RunPlan: lint first (any error stops with invalid_input listing `file:line:col: message`),
// then matrix expansion, compile-time `when`/`trigger`, step ordering, environment and pipeline dependencies with
// the status filter the run stage judges them by.

import { SlipwayError } from '../core/errors.js';
import type { LintFinding, PipelinePlan, RunMeta, RunPlan, StepPlan } from '../core/plan.js';
import { formatFinding } from '../yaml/findings.js';
import { compileService, compileStep, type StepContext } from './compile-step.js';
import { builtinEnv } from './env.js';
import { analyze } from './lint.js';
import { expandMatrix, matrixName } from './matrix.js';
import type { PipelineModel } from './model.js';
import { stepDependencies } from './order.js';
import type { LintOptions, PipelineSource } from './source.js';
import { substitute } from './substitute.js';
import { evaluateWhen, namesEvent } from './when.js';

export function compilePlan(source: PipelineSource, meta: RunMeta, options: LintOptions): RunPlan {
  const { findings, pipelines } = analyze(source, options);
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) throw invalid(errors);
  const expanded = pipelines.flatMap((p) => expandMatrix(p.matrix).map((combo) => ({ model: p, combo, name: matrixName(p.name, combo) })));
  // A dependency on a matrix pipeline waits for all of its combinations.
  const namesOf = new Map<string, string[]>();
  for (const e of expanded) namesOf.set(e.model.name, [...(namesOf.get(e.model.name) ?? []), e.name]);
  const plans = expanded.map((e) => {
    const dependsOn = [...new Set(e.model.dependsOn.flatMap((d) => namesOf.get(d.value) ?? []))];
    return compilePipeline(e.model, e.combo, e.name, dependsOn, meta);
  });
  return { pipelines: plans, warnings: findings.filter((f) => f.severity === 'warning') };
}

function compilePipeline(p: PipelineModel, combo: Readonly<Record<string, string>> | null, name: string, dependsOn: string[], meta: RunMeta): PipelinePlan {
  const vars = builtinEnv(meta, { pipeline: name, workspace: p.workspace, matrix: combo });
  const input = { meta, dialect: p.dialect, matrix: combo, vars };
  const pipelineEnv = { ...vars };
  for (const e of p.environment) if (e.value.kind === 'plain') pipelineEnv[e.name] = substitute(e.value.value, vars);
  const ctx: StepContext = { input, vars, pipelineEnv, workspace: p.workspace };
  const deps = stepDependencies(p.steps);
  const when = evaluateWhen(p.when, input, p.dialect === 'drone' ? 'trigger' : 'when');
  return {
    name,
    file: p.file,
    dependsOn,
    workspace: p.workspace,
    matrix: combo,
    services: p.services.map((s) => compileService(s, ctx)).filter((s) => s !== null),
    steps: p.steps.map((s, i) => {
      const step = compileStep(s, deps[i] ?? [], ctx);
      return meta.event === 'rollback' ? onRollback(step, namesEvent(p.when, 'rollback') || namesEvent(s.when, 'rollback')) : step;
    }),
    skip: when.skip,
    // Woodpecker's runs_on wins over a status in the workflow's `when`; Drone and Slipway write it in trigger/when.
    status: p.runsOn ?? when.status,
    pullSecrets: p.pullSecrets.map((s) => s.value),
  };
}

/**
 * A rollback puts a stored release back; the pipeline of its commit then runs only what asks for the rollback by name
 * (a notification, a smoke test): a step without an event filter is meant for pushes, and running every such step
 * again would rebuild and redeploy what was just rolled back. Built-in build, push and deploy steps never run.
 */
function onRollback(step: StepPlan, asked: boolean): StepPlan {
  if (step.skip !== null) return step;
  if (step.kind === 'build' || step.kind === 'push' || step.kind === 'deploy') {
    return { ...step, skip: 'a rollback puts a stored release back: it builds, pushes and deploys nothing' };
  }
  if (asked) return step;
  return { ...step, skip: 'on a rollback only steps whose `when` (or their pipeline\'s) names event rollback run' };
}

function invalid(errors: readonly LintFinding[]): SlipwayError {
  const first = errors[0];
  const count = errors.length === 1 ? 'an error' : `${errors.length} errors`;
  return new SlipwayError('invalid_input', `the pipeline file has ${count}:\n${errors.map(formatFinding).join('\n')}`, {
    field: first?.location.file,
    hint: errors.length === 1 ? first?.hint : 'run `slipway lint` to check the file before pushing',
  });
}
