// The core of `slipway exec`: runPlan on an injected step backend and builder, local built-ins, live output, cleanup, summary.

import { Readable } from 'node:stream';
import { SlipwayError } from '../../core/errors.js';
import { maskSecrets } from '../../core/mask.js';
import type { RunMeta, RunPlan, StepKind } from '../../core/plan.js';
import type { StepBackend } from '../../core/ports/step-backend.js';
import type { WorkspaceExporter } from '../../core/ports/step-backend.js';
import { runPlan, type BuiltinSteps, type PlanOutcome } from '../../run/pipeline-runner.js';
import { messageOf } from '../../adapters/docker/docker-engine.js';
import { statusColour, table, type Colour } from '../format.js';
import { packDirectory } from '../tarball.js';
import { LocalBuiltins, type ImageBuilder } from './builtins.js';
import { ConsoleStepRecorder, formatDuration, type StepResult } from './console-recorder.js';

/** Where exec runs: DockerStepBackend and DockerEngine on this machine, or fakes in tests. */
export interface ExecEngine {
  readonly backend: StepBackend;
  readonly builder: ImageBuilder;
  /** Reads the workspace for a build after container steps; null when the backend cannot. */
  readonly exporter: WorkspaceExporter | null;
}

export interface ExecRequest {
  /** The directory whose files are the source (packed like `slipway deploy` packs it, .git left out). */
  readonly dir: string;
  readonly plan: RunPlan;
  readonly meta: RunMeta;
  /** The app name the Docker objects are labelled with (io.slipway.app); also names the caches. */
  readonly app: string;
  /** Unique per exec: it names the networks and workspace volumes. */
  readonly runId: number;
  /** Repository a build step tags its image in: `<repository>:latest`. */
  readonly repository: string;
  /** Secret values by name (--secret); masked in everything printed. */
  readonly secrets: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  readonly write: (text: string) => void;
  /** Colours a table cell (the CLI's paint on a terminal); identity by default. */
  readonly paint?: (colour: Colour, text: string) => string;
}

export interface ExecOutcome {
  readonly status: PlanOutcome['status'];
  /** What the command exits with; null when the run succeeded. */
  readonly error: SlipwayError | null;
  readonly results: readonly StepResult[];
  /** Image tags the build steps made. */
  readonly built: readonly string[];
}

/** Prefix of the Docker objects exec makes (networks, workspaces, caches): apart from any Slipway instance's. */
export const EXEC_NAMESPACE = 'slipway-exec';

const NOT_RUN_LOCALLY: ReadonlySet<StepKind> = new Set(['push', 'deploy', 'notify']);

export async function execPlan(engine: ExecEngine, req: ExecRequest): Promise<ExecOutcome> {
  const { plan, write } = req;
  const values = [...new Set(Object.values(req.secrets))].filter((v) => v.trim() !== '');
  const mask = (text: string) => (values.length === 0 ? text : maskSecrets(text, values));
  const recorder = new ConsoleStepRecorder({ write, qualify: plan.pipelines.length > 1 });
  const local = new LocalBuiltins({ dir: req.dir, repository: req.repository, meta: req.meta, builder: engine.builder, exporter: engine.exporter });
  // runPlan masks what containers print; what the built-ins print (build output, errors) is masked here.
  const builtins: BuiltinSteps = { run: (step, b) => local.run(step, { ...b, log: (t) => b.log(mask(t)) }) };
  const archive = needsSource(plan) ? await packDirectory(req.dir) : Buffer.alloc(0);
  let firstError: SlipwayError | null = null;
  let outcome: PlanOutcome;
  try {
    outcome = await runPlan(plan, {
      namespace: EXEC_NAMESPACE,
      app: req.app,
      runId: req.runId,
      backend: engine.backend,
      builtins,
      recorder,
      secrets: req.secrets,
      source: () => Readable.from([archive]),
      signal: req.signal,
      resume: null,
      log: (t) => write(mask(t)),
      onStepError: (e) => (firstError ??= e),
    });
  } finally {
    recorder.flush();
  }
  // The server keeps a failed pipeline's workspace for `runs restart`; exec has no restart, so nothing stays.
  for (const volume of Object.values(outcome.keptWorkspaces)) {
    await engine.backend.removeWorkspace(volume).catch((err: unknown) => write(`warning: could not remove workspace ${volume}: ${messageOf(err)}\n`));
  }
  const results = recorder.results(plan);
  write(`\n${summary(plan, results, recorder, req.paint ?? ((_c, t) => t))}`);
  return { status: outcome.status, error: exitError(outcome, firstError, mask), results, built: local.built };
}

/** Whether any pipeline will set up a workspace (container steps or services): only then is the directory packed. */
function needsSource(plan: RunPlan): boolean {
  return plan.pipelines.some((p) => p.skip === null && (p.services.length > 0 || p.steps.some((s) => s.image !== null && s.skip === null)));
}

function summary(plan: RunPlan, results: readonly StepResult[], recorder: ConsoleStepRecorder, paint: (c: Colour, t: string) => string): string {
  const kinds = new Map(plan.pipelines.flatMap((p) => p.steps.map((s) => [`${p.name}\u0000${s.name}`, s.kind] as const)));
  const rows = results.map((r) => {
    const kind = kinds.get(`${r.pipeline}\u0000${r.step}`);
    const localNote = r.state === 'succeeded' && kind !== undefined && NOT_RUN_LOCALLY.has(kind) ? `not run by exec (no ${kind})` : null;
    const state = r.state === 'ignored' ? 'failed (ignored)' : r.state;
    return [recorder.label(r.pipeline, r.step), paint(statusColour(r.state), state), r.durationMs === null ? '-' : formatDuration(r.durationMs), localNote ?? r.note ?? ''];
  });
  const withNotes = rows.some((r) => r[3] !== '');
  return table(withNotes ? ['STEP', 'STATUS', 'DURATION', 'NOTE'] : ['STEP', 'STATUS', 'DURATION'], withNotes ? rows : rows.map((r) => r.slice(0, 3)));
}

function exitError(outcome: PlanOutcome, first: SlipwayError | null, mask: (t: string) => string): SlipwayError | null {
  if (outcome.status === 'succeeded') return null;
  if (outcome.status === 'cancelled') {
    return new SlipwayError('cancelled', 'exec was cancelled; its containers, networks and workspaces were removed');
  }
  if (first !== null) return new SlipwayError(first.kind, mask(first.message), { field: first.field, hint: first.hint, cause: first });
  return new SlipwayError('build_failed', mask(outcome.failure ?? 'the pipeline failed'), {
    hint: 'see the step output above; fix it, then run "slipway exec" again',
  });
}
