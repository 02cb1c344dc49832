// Benchmark: what Slipway's pipeline machinery adds per step, against bare `docker run` measured in the same run.
//
// Prints figures as ratios against that baseline; asserts no times.
//
//   1. Per-step overhead: a pushed .slipway.yml of 10 sequential busybox steps running `true` (no build, push or
//      deploy), timed from the steps' startedAt/finishedAt in the API, against 10 sequential bare
//      `docker run --rm busybox:latest true`. 3 repetitions of each side in alternating order; medians.
//      To tell the server's share from the container path's, a third side runs the same plan through runPlan on
//      the real DockerStepBackend in this process (no server, no store, no git).
//   2. Time from `git push` starting to the first step starting (clocks of this machine on both sides), for the
//      10-step pipeline and, for reference, for the default pipeline (no pipeline file: build → push → deploy).
//   3. The step scheduler/runner alone, in this process: the same plan through runPlan on the FakeStepBackend.
//
//   cd /work/main && node --import tsx bench/pipeline-overhead.ts
//
// Bounded (hard stop after 7 minutes, then cleanup); removes everything it creates, also when it fails or is
// interrupted.

import { unlink, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Dockerode from 'dockerode';
import { DockerStepBackend } from '../src/adapters/docker/step-backend.js';
import { waitForRunEnd } from '../test/e2e/support/api.js';
import { commitAll, gitInit, sampleSource } from '../test/e2e/support/app-source.js';
import { startTestSlipway, type TestSlipway } from '../test/e2e/support/slipway-process.js';
import { createApp, pushApp } from './support/app.js';
import { destroySlipway, dockerNames, leftovers, Problems, removeDirs } from './support/cleanup.js';
import { privateDockerCli, type DockerCli } from './support/docker-cli.js';
import { checkpoint, log, runLifecycle, within, type Summary } from './support/lifecycle.js';
import { compileYaml, measurePlanOverhead, stepsPipelineYaml, timePlanRun, type PlanOverhead, type TimedRun } from './support/plan-overhead.js';
import { queuedRunId, runTimeline, timelineFigures, type RunTimeline, type TimelineFigures } from './support/run-timeline.js';
import { delta, mean, median, ms, present, ratio, seconds } from './support/stats.js';
import { objectsNamed, removeObjectsNamed } from './support/step-objects.js';

const APP = 'pipebench';
const DOMAIN = 'pipebench.slipway.test';
const STEPS = 10;
const REPS = 3;
const IMAGE = 'busybox:latest';
const COMMAND = 'true';
const HARD_LIMIT_MS = 7 * 60_000;
/** After an interrupt or the time limit, how long the current step may take before cleanup starts regardless. */
const ABORT_GRACE_MS = 30_000;
const PUSH_LIMIT_MS = 150_000;

interface SlipwayRep {
  readonly rep: number;
  readonly runId: number;
  readonly pushMs: number;
  readonly figures: TimelineFigures;
}

interface DirectRep {
  readonly rep: number;
  readonly run: TimedRun;
}

interface BareRep {
  readonly rep: number;
  readonly runsMs: number[];
  readonly totalMs: number;
}

interface DefaultPush {
  readonly runId: number;
  readonly status: string;
  readonly pushMs: number;
  readonly figures: TimelineFigures;
  readonly steps: ReadonlyArray<{ name: string; ms: number }>;
}

interface Figures {
  instance?: string;
  engine?: string;
  inProcess?: PlanOverhead;
  warmup?: { pushMs: number; figures: TimelineFigures };
  slipway: SlipwayRep[];
  bare: BareRep[];
  direct: DirectRep[];
  order: string[];
  defaultPush?: DefaultPush;
  notes: string[];
  cleanup: string[];
}

/** Everything the benchmark created, so cleanup() removes exactly that. */
const made = {
  slipway: null as TestSlipway | null,
  cli: null as DockerCli | null,
  dirs: [] as string[],
};

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

/** Names the benchmark's pipeline (and so its run networks, workspace volumes and step containers) after the instance. */
const stepsMark = (instance: string) => `${instance}-steps`;
const bareMark = (instance: string) => `${instance}-bare-`;

// ---------------------------------------------------------------------------------------------------------------
// 3. The runner alone, in this process (first: no Docker, no Slipway child competing for the CPU)

async function inProcess(fig: Figures): Promise<void> {
  checkpoint();
  log(`in-process: runPlan with the FakeStepBackend, ${STEPS} sequential 0 ms steps…`);
  const plan = compileYaml(stepsPipelineYaml('bench-in-process', STEPS, IMAGE, COMMAND), 'bench');
  fig.inProcess = await measurePlanOverhead(plan, { warmup: 200, maxRuns: 3000, budgetMs: 8000 });
  log(`    ${ms(fig.inProcess.perStepMs, 3)} per step over ${fig.inProcess.runs} runs`);
}

// ---------------------------------------------------------------------------------------------------------------
// 1 and 2 on a real Slipway

async function startSlipway(fig: Figures): Promise<{ slipway: TestSlipway; cli: DockerCli }> {
  checkpoint();
  log('starting Slipway…');
  const slipway = await startTestSlipway();
  made.slipway = slipway;
  fig.instance = slipway.instance;
  const cli = await privateDockerCli(made.dirs);
  made.cli = cli;
  fig.engine = await cli.engineVersion();
  // Nothing can be pulled here: both sides use the local busybox image.
  await cli.run(['image', 'inspect', '--format', '{{.Id}}', IMAGE]);
  await createApp(slipway, APP, DOMAIN);
  return { slipway, cli };
}

/** A git repository of the sample app with the 10-step .slipway.yml (its pipeline named after the instance). */
async function stepsRepo(slipway: TestSlipway): Promise<string> {
  const dir = await sampleSource('pipeline-overhead');
  made.dirs.push(dir);
  await writeFile(join(dir, '.slipway.yml'), stepsPipelineYaml(stepsMark(slipway.instance), STEPS, IMAGE, COMMAND));
  await gitInit(dir);
  return dir;
}

/** One commit, one `git push`; resolves once the run has ended, with its timeline from the API. */
async function pushAndRead(slipway: TestSlipway, dir: string, message: string): Promise<{ pushMs: number; pushStartedAt: number; timeline: RunTimeline }> {
  checkpoint();
  await commitAll(dir, message);
  const pushStartedAt = Date.now();
  const start = performance.now();
  const push = await pushApp(slipway, APP, dir, PUSH_LIMIT_MS);
  const pushMs = performance.now() - start;
  if (push.code !== 0) throw new Error(`git push failed (exit ${push.code}):\n${push.output.slice(-3000)}`);
  const runId = queuedRunId(push.output);
  const end = await waitForRunEnd(slipway, runId, 60_000);
  const timeline = await runTimeline(slipway, runId);
  if (end.status !== 'succeeded') throw new Error(`run ${runId} ${end.status}: ${JSON.stringify(end.error)}\n${push.output.slice(-3000)}`);
  return { pushMs, pushStartedAt, timeline };
}

async function slipwayRep(slipway: TestSlipway, dir: string, rep: number): Promise<SlipwayRep> {
  const { pushMs, pushStartedAt, timeline } = await pushAndRead(slipway, dir, `rep ${rep}`);
  const notOk = timeline.steps.filter((s) => s.status !== 'succeeded');
  if (timeline.steps.length !== STEPS || notOk.length > 0) {
    throw new Error(`run ${timeline.id}: expected ${STEPS} succeeded steps, got ${timeline.steps.map((s) => `${s.name}=${s.status}`).join(', ')}`);
  }
  return { rep, runId: timeline.id, pushMs, figures: timelineFigures(timeline, pushStartedAt) };
}

/** The baseline: the same commands as sequential bare `docker run --rm` (the docker CLI, argv only). */
async function bareRep(cli: DockerCli, instance: string, rep: number): Promise<BareRep> {
  checkpoint();
  const runsMs: number[] = [];
  const start = performance.now();
  for (let i = 0; i < STEPS; i++) {
    const t = performance.now();
    await cli.run(['run', '--rm', '--name', `${bareMark(instance)}${rep}-${i + 1}`, IMAGE, COMMAND], { timeoutMs: 60_000 });
    runsMs.push(performance.now() - t);
  }
  return { rep, runsMs, totalMs: performance.now() - start };
}

/** The same plan on the real DockerStepBackend in this process: Slipway's container path without the server around it. */
async function directRep(backend: DockerStepBackend, instance: string, rep: number): Promise<DirectRep> {
  checkpoint();
  // Named like the pushed pipeline plus "-direct", so the cleanup sweep finds its objects; run ids far from the server's.
  const plan = compileYaml(stepsPipelineYaml(`${stepsMark(instance)}-direct`, STEPS, IMAGE, COMMAND), 'bench-direct');
  const run = await within(120_000, 'the in-process DockerStepBackend run', timePlanRun(plan, backend, { namespace: instance, app: 'bench-direct', runId: 900_000 + rep }));
  return { rep, run };
}

async function perStepOverhead(slipway: TestSlipway, cli: DockerCli, dir: string, fig: Figures): Promise<void> {
  // Warm-up, unmeasured in the comparison: the first push uploads the whole repository and runs code paths for the
  // first time; the first docker run may find a cold page cache.
  log('warm-up: first push of the 10-step pipeline (new repository) and one bare docker run…');
  const first = await pushAndRead(slipway, dir, 'warm-up');
  fig.warmup = { pushMs: first.pushMs, figures: timelineFigures(first.timeline, first.pushStartedAt) };
  await cli.run(['run', '--rm', '--name', `${bareMark(slipway.instance)}warm-up`, IMAGE, COMMAND], { timeoutMs: 60_000 });
  const backend = new DockerStepBackend(new Dockerode());
  await directRep(backend, slipway.instance, 0);

  const all = ['slipway', 'bare', 'direct'] as const;
  for (let rep = 1; rep <= REPS; rep++) {
    // Rotated each repetition, so no side always runs first or right after the same other side.
    const sides = all.map((_, i) => all[(i + rep - 1) % all.length] ?? 'bare');
    fig.order.push(sides.join(' → '));
    for (const side of sides) {
      checkpoint();
      if (side === 'slipway') {
        log(`rep ${rep}: git push of the ${STEPS}-step pipeline…`);
        const r = await slipwayRep(slipway, dir, rep);
        fig.slipway.push(r);
        log(`    run ${r.runId}: mean step ${ms(r.figures.meanStepMs)}, steps ${seconds(r.figures.stepsSpanMs)}, push ${seconds(r.pushMs)}`);
      } else if (side === 'direct') {
        log(`rep ${rep}: the same plan through runPlan on the DockerStepBackend in this process…`);
        const r = await directRep(backend, slipway.instance, rep);
        fig.direct.push(r);
        log(`    mean step ${ms(r.run.meanStepMs)}, steps ${seconds(r.run.stepsSpanMs)}`);
      } else {
        log(`rep ${rep}: ${STEPS} × docker run --rm ${IMAGE} ${COMMAND}…`);
        const r = await bareRep(cli, slipway.instance, rep);
        fig.bare.push(r);
        log(`    mean ${ms(mean(r.runsMs))}, total ${seconds(r.totalMs)}`);
      }
    }
  }
}

/** The same kind of push without a pipeline file: the default build → push → deploy; bounded, runs to the end. */
async function defaultPipelinePush(slipway: TestSlipway, dir: string, fig: Figures): Promise<void> {
  checkpoint();
  log('reference: push without a pipeline file (default pipeline: build → push → deploy), until the run ends…');
  await unlink(join(dir, '.slipway.yml'));
  await commitAll(dir, 'default pipeline');
  const pushStartedAt = Date.now();
  const start = performance.now();
  const push = await pushApp(slipway, APP, dir, PUSH_LIMIT_MS + 60_000, 'git push (default pipeline)');
  const pushMs = performance.now() - start;
  const runId = queuedRunId(push.output);
  const end = await waitForRunEnd(slipway, runId, 60_000);
  const timeline = await runTimeline(slipway, runId).catch((err: Error) => {
    throw new Error(`run ${runId} ${end.status} (${JSON.stringify(end.error)}): ${err.message}\n${push.output.slice(-3000)}`);
  });
  if (end.status !== 'succeeded') fig.notes.push(`the default-pipeline run ${runId} ${end.status}: ${end.error?.message ?? ''}`);
  fig.defaultPush = {
    runId,
    status: end.status,
    pushMs,
    figures: timelineFigures(timeline, pushStartedAt),
    steps: timeline.steps.map((s) => ({ name: s.name, ms: s.finishedAt - s.startedAt })),
  };
  log(`    run ${runId} ${end.status}: first step (${timeline.steps[0]?.name ?? '?'}) started ${seconds(fig.defaultPush.figures.pushToFirstStepMs)} after the push began`);
}

async function runBenchmark(fig: Figures): Promise<void> {
  await inProcess(fig);
  const { slipway, cli } = await startSlipway(fig);
  const dir = await stepsRepo(slipway);
  await perStepOverhead(slipway, cli, dir, fig);
  await defaultPipelinePush(slipway, dir, fig);
}

// ---------------------------------------------------------------------------------------------------------------
// Cleanup

async function cleanup(fig: Figures): Promise<void> {
  const problems = new Problems();
  const slipway = made.slipway;
  const cli = made.cli;
  if (slipway) {
    await destroySlipway(slipway, problems);
    // Step containers, run networks and workspace volumes of a run cut off by the time limit or an interrupt, and
    // baseline containers: found by the instance-named pipeline / container names, whatever prefix Slipway uses.
    if (cli) {
      for (const mark of [stepsMark(slipway.instance), bareMark(slipway.instance)]) {
        problems.list.push(...(await removeObjectsNamed(cli, mark).catch((err: Error) => [`sweeping ${mark}*: ${err.message}`])));
      }
    }
  }
  await removeDirs(made.dirs, problems);
  if (cli && slipway) problems.list.push(...(await leftovers(cli, slipway, made.dirs, await leftObjects(cli, slipway))));
  fig.cleanup = problems.report('nothing left behind (services, containers, networks, volumes, images, folders, processes)');
}

/** What leftovers() looks for besides services, processes and folders: anything named for the instance, images of its registry. */
async function leftObjects(cli: DockerCli, slipway: TestSlipway): Promise<string[]> {
  const registry = `127.0.0.1:${slipway.env.SLIPWAY_REGISTRY_PORT}/`;
  const named = await objectsNamed(cli, slipway.instance).catch(() => ({ containers: [], networks: [], volumes: [] }));
  return [
    ...named.containers.map((n) => `container ${n}`),
    ...named.networks.map((n) => `network ${n}`),
    ...named.volumes.map((n) => `volume ${n}`),
    ...(await dockerNames(cli, ['images', '--format', '{{.Repository}}:{{.Tag}}'])).filter((n) => n.startsWith(registry)).map((n) => `image ${n}`),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Summary

function summary(fig: Figures): Summary {
  const med = (values: ReadonlyArray<number | undefined>) => median(present(values));
  const sl = fig.slipway.map((r) => r.figures);
  const slStep = med(sl.map((f) => f.meanStepMs));
  const slSpan = med(sl.map((f) => f.stepsSpanMs));
  const slRun = med(sl.map((f) => f.runSpanMs));
  const slPush = med(fig.slipway.map((r) => r.pushMs));
  const bareStep = med(fig.bare.map((r) => mean(r.runsMs)));
  const bareTotal = med(fig.bare.map((r) => r.totalMs));
  const dr = fig.direct.map((r) => r.run);
  const drStep = med(dr.map((r) => r.meanStepMs));
  const drSpan = med(dr.map((r) => r.stepsSpanMs));
  const perRep = (label: string, values: ReadonlyArray<number | undefined>, fmt: (v: number | undefined) => string) =>
    `${label} ${values.length === 0 ? 'n/a' : values.map(fmt).join(' / ')}`;
  const ip = fig.inProcess;
  const d = fig.defaultPush;
  const w = fig.warmup;
  const title = [
    `Slipway pipeline-overhead benchmark — instance ${fig.instance ?? 'n/a'}, ${cpus().length} CPUs, Docker Engine ${fig.engine ?? 'n/a'}`,
    `${STEPS} sequential steps \`${IMAGE}\` running \`${COMMAND}\`; ${fig.slipway.length}/${REPS} Slipway, ${fig.bare.length}/${REPS} baseline, ${fig.direct.length}/${REPS} direct repetitions (order: ${fig.order.join('; ') || 'n/a'}); medians over repetitions`,
  ];
  const figures = [
    '1. per-step overhead: Slipway pipeline (API startedAt→finishedAt) vs bare `docker run --rm` (docker CLI)',
    `   per step:   slipway ${ms(slStep)}   bare ${ms(bareStep)}   ratio ${ratio(slStep, bareStep)}   (${delta(slStep, bareStep)} per step)`,
    `   total:      slipway ${seconds(slSpan)} (first step start → last step end)   bare ${seconds(bareTotal)} (${STEPS} runs back to back)   ratio ${ratio(slSpan, bareTotal)}`,
    `               whole run ${seconds(slRun)} (run start → end: plan, workspace setup/teardown too) ratio ${ratio(slRun, bareTotal)}; git push wall time ${seconds(slPush)} ratio ${ratio(slPush, bareTotal)}`,
    `   between steps (previous step finished → next started): ${ms(med(sl.map((f) => f.meanGapMs)))} mean gap; last step end → run end ${ms(med(sl.map((f) => f.lastStepToRunEndMs)))}`,
    `   ${perRep('per rep, slipway mean step:', sl.map((f) => f.meanStepMs), (v) => ms(v))}; ${perRep('steps total:', sl.map((f) => f.stepsSpanMs), seconds)}; ${perRep('runs', fig.slipway.map((r) => r.runId), (v) => String(v))}`,
    `   ${perRep('per rep, bare mean run:   ', fig.bare.map((r) => mean(r.runsMs)), (v) => ms(v))}; ${perRep('total:', fig.bare.map((r) => r.totalMs), seconds)}`,
    `   split: DockerStepBackend + runPlan in this process (no server/store/git): per step ${ms(drStep)} ratio ${ratio(drStep, bareStep)} (${delta(drStep, bareStep)} vs bare), steps ${seconds(drSpan)} ratio ${ratio(drSpan, bareTotal)};`,
    `          setup → first step ${ms(med(dr.map((r) => r.headMs)))}, gap ${ms(med(dr.map((r) => r.meanGapMs)))}, last step → teardown done ${ms(med(dr.map((r) => r.tailMs)))}; the server adds ${delta(slStep, drStep)} per step on top`,
    `          ${perRep('per rep, direct mean step:', dr.map((r) => r.meanStepMs), (v) => ms(v))}`,
    '2. from `git push` starting to the first step starting (both clocks of this machine)',
    `   ${STEPS}-step pipeline: ${seconds(med(sl.map((f) => f.pushToFirstStepMs)))}  = push → run queued ${ms(med(sl.map((f) => f.pushToQueuedMs)))}, → run started ${ms(med(sl.map((f) => f.pushToRunStartMs)))}, run started → first step ${ms(med(sl.map((f) => f.runStartToFirstStepMs)))} (plan + workspace volume/network/source extract)`,
    w
      ? `   first push of the repository (warm-up, cold paths): ${seconds(w.figures.pushToFirstStepMs)}  (queued ${ms(w.figures.pushToQueuedMs)}, run started → first step ${ms(w.figures.runStartToFirstStepMs)}); mean step ${ms(w.figures.meanStepMs)}, push ${seconds(w.pushMs)}`
      : '',
    d
      ? `   default pipeline (no pipeline file): ${seconds(d.figures.pushToFirstStepMs)} to the ${d.steps[0]?.name ?? 'first'} step  = push → run queued ${ms(d.figures.pushToQueuedMs)}, → run started ${ms(d.figures.pushToRunStartMs)}, run started → first step ${ms(d.figures.runStartToFirstStepMs)}`
      : '   default pipeline (no pipeline file): n/a',
    d ? `      run ${d.runId} ${d.status}; steps ${d.steps.map((s) => `${s.name} ${seconds(s.ms)}`).join(' · ')}; git push → run ended ${seconds(d.pushMs)}` : '',
    `3. step scheduler/runner alone (runPlan + FakeStepBackend, 0 ms steps, in this process${ip ? `, ${ip.runs} runs of ${ip.stepsPerRun} steps` : ''})`,
    ip
      ? `   per step ${ms(ip.perStepMs, 3)} (run wall time / ${ip.stepsPerRun}; p90 ${ms(ip.perStepP90Ms, 3)}): step running→finished ${ms(ip.stepMs, 3)}, gap between steps ${ms(ip.gapMs, 3)}, setup → first step ${ms(ip.headMs, 3)}, last step → return ${ms(ip.tailMs, 3)}; whole run ${ms(ip.runMs, 3)}`
      : '   n/a',
    ip && slStep !== undefined && bareStep !== undefined && slStep > bareStep
      ? `   i.e. the runner's own work is ${((ip.perStepMs / Math.max(slStep - bareStep, Number.EPSILON)) * 100).toFixed(2)}% of Slipway's per-step overhead over bare docker run (the rest: the container path and, per the split above, the server's store/log work)`
      : '',
  ];
  const explanations = [
    'Slipway step time: the StepRecorder stamps "running" before the container is created and the final state after wait + output drain',
    '(create with workspace volume + run network, attach, start, wait; containers are removed together at teardown, after the last step).',
    'Bare time: one `docker run --rm` process each (CLI start, create, attach, start, wait, remove).',
  ];
  return { width: 110, title, figures, explanations };
}

const fig: Figures = { slipway: [], bare: [], direct: [], order: [], notes: [], cleanup: [] };
const started = performance.now();
const tookNote = (f: Figures) => f.notes.push(`whole benchmark took ${seconds(performance.now() - started)}`);
await runLifecycle(fig, { hardLimitMs: HARD_LIMIT_MS, abortGraceMs: ABORT_GRACE_MS, run: runBenchmark, cleanup, summary, slipway: () => made.slipway, afterCleanup: tookNote });
