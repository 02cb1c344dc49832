// runPlan on the fake step backend: pipelines that run after a pipeline they depend on failed (Drone
// `trigger: status`, Woodpecker `runs_on`), the run's status then, the status variables steps see, and masking of a
// secret printed in two parts around a pause in the output, and the registry logins of image_pull_secrets.

import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeStepBackend, type FakeStepScript } from '../adapters/docker/fake-step-backend.js';
import type { PipelinePlan, RunPlan, StepPlan } from '../core/plan.js';
import type { StartRequest, StepHandle } from '../core/ports/step-backend.js';
import { compilePlan } from '../pipeline/compile.js';
import type { Dialect, RepoFile } from '../pipeline/source.js';
import { runMeta } from '../pipeline/testing.js';
import { pipelineGate, runPlan, statusEnv, type PipelineResult, type PlanOutcome } from './pipeline-runner.js';
import type { StepState } from './step-scheduler.js';

interface Recorded {
  readonly outcome: PlanOutcome;
  readonly backend: FakeStepBackend;
  /** Final state of each step by "pipeline/step", with the skip note. */
  readonly states: ReadonlyMap<string, { state: StepState; note: string | undefined }>;
  /** Output of each step by "pipeline/step", as written in order. */
  readonly output: ReadonlyMap<string, string[]>;
}

function compile(files: readonly RepoFile[], dialect: Dialect): RunPlan {
  return compilePlan({ dialect, files, shadowed: [] }, runMeta(), { knownSecrets: null });
}

async function run(plan: RunPlan, opts: { backend?: FakeStepBackend; scripts?: Record<string, FakeStepScript>; secrets?: Record<string, string>; internalNetwork?: boolean } = {}): Promise<Recorded> {
  const backend = opts.backend ?? new FakeStepBackend({ scripts: opts.scripts ?? {} });
  const states = new Map<string, { state: StepState; note: string | undefined }>();
  const output = new Map<string, string[]>();
  const outcome = await runPlan(plan, {
    namespace: 'test',
    app: 'shop',
    runId: 7,
    backend,
    builtins: { run: async (step) => assert.fail(`no built-in steps here (${step.name})`) },
    recorder: {
      stepState: async (pipeline, step, state, note) => void states.set(`${pipeline}/${step}`, { state, note }),
      stepOutput: (pipeline, step, text) => void output.set(`${pipeline}/${step}`, [...(output.get(`${pipeline}/${step}`) ?? []), text]),
    },
    secrets: opts.secrets ?? {},
    source: () => Readable.from([Buffer.alloc(1024)]), // an empty tar
    signal: new AbortController().signal,
    resume: null,
    log: () => undefined,
    internalNetwork: opts.internalNetwork,
  });
  return { outcome, backend, states, output };
}

/** The environment a step was started with. */
function envOf(r: Recorded, step: string): Readonly<Record<string, string>> | undefined {
  const call = r.backend.calls.find((c) => c.method === 'startStep' && c.name === step);
  return call?.method === 'startStep' ? call.environment : undefined;
}

/** Drone: pipeline test, then pipeline tell (depends on test) with this trigger. */
function droneTell(trigger: string): RunPlan {
  const text = [
    'kind: pipeline', 'name: test', 'steps:', '  - {name: unit, image: node:20-slim, commands: [npm test]}', '---',
    'kind: pipeline', 'name: tell', 'depends_on: [test]', trigger, 'steps:', '  - {name: chat, image: node:20-slim, commands: [notify]}', '',
  ].join('\n');
  return compile([{ path: '.drone.yml', text }], 'drone');
}

const FAIL = { unit: { exitCode: 1 } };

describe('pipeline runner: step networks (issue 12)', () => {
  it('asks for an internal network when told (pull requests from forks), an ordinary one otherwise', async () => {
    const setups = (r: Recorded) => r.backend.calls.flatMap((c) => (c.method === 'setup' ? [c.internalNetwork === true] : []));
    const plan = droneTell('trigger: {status: [success]}');
    assert.deepEqual(setups(await run(plan, { internalNetwork: true })), [true, true]);
    assert.deepEqual(setups(await run(plan)), [false, false]);
  });
});

describe('pipeline runner: pipelines after a failure', () => {
  it('runs a failure pipeline when the pipeline it depends on failed, and the run still fails', async () => {
    const r = await run(droneTell('trigger: {status: [failure]}'), { scripts: FAIL });
    assert.equal(r.states.get('test/unit')?.state, 'failed');
    assert.equal(r.states.get('tell/chat')?.state, 'succeeded');
    assert.equal(r.outcome.status, 'failed', 'a failure pipeline that succeeds does not make the run succeed');
    assert.equal(r.outcome.failure, 'step unit of pipeline test failed');
    assert.deepEqual(Object.keys(r.outcome.keptWorkspaces), ['test'], 'only the failed pipeline keeps its workspace');
  });

  it('skips a failure pipeline, with the reason, when every pipeline it depends on succeeded', async () => {
    const r = await run(droneTell('trigger: {status: [failure]}'));
    assert.equal(r.states.get('test/unit')?.state, 'succeeded');
    assert.deepEqual(r.states.get('tell/chat'), { state: 'skipped', note: 'runs only on failure; every pipeline it depends on succeeded' });
    assert.equal(r.outcome.status, 'succeeded');
    assert.equal(envOf(r, 'chat'), undefined, 'never started');
  });

  it('runs a [success, failure] pipeline either way', async () => {
    for (const scripts of [{}, FAIL]) {
      const r = await run(droneTell('trigger: {status: [success, failure]}'), { scripts });
      assert.equal(r.states.get('tell/chat')?.state, 'succeeded', JSON.stringify(scripts));
    }
  });

  it('skips a default pipeline after its dependency failed, and passes that on down a chain', async () => {
    const text = [
      'kind: pipeline', 'name: test', 'steps: [{name: unit, image: x, commands: [t]}]', '---',
      'kind: pipeline', 'name: build', 'depends_on: [test]', 'steps: [{name: image, image: x, commands: [b]}]', '---',
      'kind: pipeline', 'name: deploy', 'depends_on: [build]', 'steps: [{name: ship, image: x, commands: [d]}]', '---',
      'kind: pipeline', 'name: alarm', 'depends_on: [deploy]', 'trigger: {status: [failure]}', 'steps: [{name: page, image: x, commands: [p]}]', '',
    ].join('\n');
    const r = await run(compile([{ path: '.drone.yml', text }], 'drone'), { scripts: FAIL });
    assert.deepEqual(r.states.get('build/image'), { state: 'skipped', note: 'pipeline test failed' });
    assert.deepEqual(r.states.get('deploy/ship'), { state: 'skipped', note: 'pipeline build did not run after a failure' });
    assert.equal(r.states.get('alarm/page')?.state, 'succeeded', 'the failure reaches the end of the chain');
    assert.equal(r.outcome.status, 'failed');
  });

  it('runs a Woodpecker workflow with runs_on: [failure] only after the workflow it depends on failed', async () => {
    const files = [
      { path: '.woodpecker/test.yml', text: 'steps:\n  unit:\n    image: x\n    commands: [t]\n' },
      { path: '.woodpecker/report.yml', text: 'depends_on: [test]\nruns_on: [failure]\nsteps:\n  - name: mail\n    image: x\n    commands: [m]\n' },
    ];
    const failed = await run(compile(files, 'woodpecker'), { scripts: FAIL });
    assert.equal(failed.states.get('report/mail')?.state, 'succeeded');
    assert.equal(failed.outcome.status, 'failed');
    assert.equal(envOf(failed, 'mail')?.['CI_PIPELINE_STATUS'], 'failure');
    const passed = await run(compile(files, 'woodpecker'));
    assert.deepEqual(passed.states.get('report/mail'), { state: 'skipped', note: 'runs only on failure; every pipeline it depends on succeeded' });
    assert.equal(passed.outcome.status, 'succeeded');
  });

  it('tells a failure pipeline that the run failed, and which pipeline and steps', async () => {
    const text = [
      'kind: pipeline', 'name: test', 'steps:',
      '  - {name: lint, image: x, commands: [l]}',
      '  - {name: unit, image: x, commands: [t]}',
      '  - {name: after, image: x, commands: [a], when: {status: [failure]}}', '---',
      'kind: pipeline', 'name: tell', 'depends_on: [test]', 'trigger: {status: [failure]}', 'steps: [{name: chat, image: x, commands: [c]}]', '',
    ].join('\n');
    const r = await run(compile([{ path: '.drone.yml', text }], 'drone'), { scripts: FAIL });
    const lint = envOf(r, 'lint');
    assert.deepEqual([lint?.['DRONE_BUILD_STATUS'], lint?.['CI_PIPELINE_STATUS'], lint?.['DRONE_STAGE_STATUS']], ['success', 'success', 'success']);
    const after = envOf(r, 'after');
    assert.deepEqual([after?.['DRONE_BUILD_STATUS'], after?.['DRONE_STAGE_STATUS'], after?.['DRONE_FAILED_STEPS']], ['failure', 'failure', 'unit']);
    const chat = envOf(r, 'chat');
    assert.deepEqual([chat?.['DRONE_BUILD_STATUS'], chat?.['CI_PIPELINE_STATUS'], chat?.['DRONE_STAGE_STATUS'], chat?.['DRONE_FAILED_STAGES']], ['failure', 'failure', 'success', 'test']);
  });

  it('lets a step set the status variables itself, as it may any built-in variable', async () => {
    const text = 'kind: pipeline\nname: p\nsteps: [{name: a, image: x, commands: [t], environment: {DRONE_BUILD_STATUS: mine}}]\n';
    const r = await run(compile([{ path: '.drone.yml', text }], 'drone'));
    assert.equal(envOf(r, 'a')?.['DRONE_BUILD_STATUS'], 'mine');
  });

  it('runs a stored plan without pipeline status filters (older runs) as success-only', async () => {
    const plan = droneTell('trigger: {status: [failure]}');
    const stored: RunPlan = { ...plan, pipelines: plan.pipelines.map(({ status: _status, ...p }): PipelinePlan => p) };
    assert.ok(stored.pipelines.every((p) => !('status' in p)));
    const r = await run(stored, { scripts: FAIL });
    assert.deepEqual(r.states.get('tell/chat'), { state: 'skipped', note: 'pipeline test failed' });
  });
});

describe('pipelineGate', () => {
  const plan = (dependsOn: string[], status?: PipelinePlan['status']): PipelinePlan => ({
    name: 'p', file: 'f', dependsOn, workspace: '/w', matrix: null, services: [], steps: [], skip: null, ...(status ? { status } : {}),
  });
  const results = (entries: Record<string, PipelineResult>) => new Map(Object.entries(entries));

  it('judges the dependencies: skipped ones are neutral, blocked ones count as failed', () => {
    assert.equal(pipelineGate(plan(['a', 'b']), results({ a: 'succeeded', b: 'skipped' })), null);
    assert.deepEqual(pipelineGate(plan(['a', 'b']), results({ a: 'succeeded', b: 'blocked' })), { result: 'blocked', reason: 'pipeline b did not run after a failure' });
    assert.equal(pipelineGate(plan(['a', 'b'], ['failure']), results({ a: 'succeeded', b: 'failed' })), null, 'one failed dependency is enough');
    assert.deepEqual(pipelineGate(plan(['a', 'b'], ['failure']), results({ a: 'succeeded', b: 'skipped' })), { result: 'skipped', reason: 'runs only on failure; no pipeline it depends on failed' });
    assert.deepEqual(pipelineGate(plan([], ['failure']), results({})), { result: 'skipped', reason: 'runs only on failure, and it depends on no pipeline' });
    assert.equal(pipelineGate(plan(['a'], ['success', 'failure']), results({ a: 'blocked' })), null);
  });

  it('gives run-time status variables', () => {
    assert.deepEqual(statusEnv([], []), { DRONE_BUILD_STATUS: 'success', CI_PIPELINE_STATUS: 'success', DRONE_STAGE_STATUS: 'success', DRONE_FAILED_STAGES: '', DRONE_FAILED_STEPS: '' });
    assert.equal(statusEnv(['a', 'b'], [])['DRONE_FAILED_STAGES'], 'a,b');
  });
});

/** A backend whose steps print what `parts` says, pausing between the parts, as a real process can. */
class PausingBackend extends FakeStepBackend {
  constructor(private readonly parts: readonly (string | number)[]) {
    super({ scripts: { say: { output: '', sleepMs: 5 } } });
  }

  override async startStep(step: StepPlan, request: StartRequest): Promise<StepHandle> {
    for (const part of this.parts) {
      if (typeof part === 'number') await sleep(part);
      else request.onOutput(part);
    }
    return super.startStep(step, request);
  }
}

describe('pipeline runner: masking', () => {
  const plan = compile([{ path: '.slipway.yml', text: 'steps:\n  - name: say\n    image: x\n    commands: [say]\n    environment: {TOKEN: {from_secret: token}}\n' }], 'slipway');

  it('masks a secret printed in two parts with a pause between them', async () => {
    // Before, the masker's tail was released after 250 ms without output, which let "s3cr" out here.
    const r = await run(plan, { backend: new PausingBackend(['token: s3cr', 400, 'et-value\n']), secrets: { token: 's3cret-value' } });
    const out = r.output.get('slipway/say') ?? [];
    assert.equal(out.join(''), 'token: ***\n');
    assert.ok(!out.some((t) => t.includes('s3cr')), JSON.stringify(out));
  });

  it('shows output that cannot start a secret without waiting for more', async () => {
    const r = await run(plan, { backend: new PausingBackend(['step 1 of 2\n', 50, 'done: s3', 10, 'x\n']), secrets: { token: 's3cret-value' } });
    assert.deepEqual(r.output.get('slipway/say')?.filter((t) => t !== ''), ['step 1 of 2\n', 'done: ', 's3x\n']);
  });
});

describe('pipeline runner: image_pull_secrets', () => {
  const drone = (pullSecrets: string) => compile([{ path: '.drone.yml', text: [
    'kind: pipeline', 'name: default', `image_pull_secrets: [${pullSecrets}]`,
    'services:', '  - {name: db, image: registry.example.com/db:1}',
    'steps:', '  - {name: unit, image: registry.example.com/tool:1, commands: [make]}', '',
  ].join('\n') }], 'drone');
  const config = JSON.stringify({ auths: { 'registry.example.com': { auth: Buffer.from('ci:s3cret').toString('base64') } } });

  it('gives the logins of the named secrets to every step and service start', async () => {
    const backend = new FakeStepBackend({ images: ['registry.example.com/tool:1', 'registry.example.com/db:1'] });
    const r = await run(drone('dockerconfig'), { backend, secrets: { dockerconfig: config } });
    assert.equal(r.outcome.status, 'succeeded');
    const starts = backend.calls.flatMap((c) => (c.method === 'startStep' || c.method === 'startService' ? [[c.name, c.pullLogins]] : []));
    assert.deepEqual(starts, [
      ['db', ['ci@registry.example.com']],
      ['unit', ['ci@registry.example.com']],
    ]);
  });

  it('a pull secret the run does not have fails the pipeline before any container starts, saying how to set it', async () => {
    const backend = new FakeStepBackend({ images: ['registry.example.com/tool:1', 'registry.example.com/db:1'] });
    const r = await run(drone('dockerconfig'), { backend, secrets: {} });
    assert.equal(r.outcome.status, 'failed');
    assert.match(r.outcome.failure ?? '', /pulls with secret dockerconfig \(image_pull_secrets\), which is not available/);
    assert.equal(backend.calls.some((c) => c.method === 'startStep' || c.method === 'startService' || c.method === 'setup'), false);
    assert.equal(r.states.get('default/unit')?.state, 'skipped');
  });

  it('masks the auth string and the password inside a Docker config secret, not only the whole JSON', async () => {
    const backend = new FakeStepBackend({ images: ['registry.example.com/tool:1', 'registry.example.com/db:1'], scripts: { unit: { output: `auth ${Buffer.from('ci:s3cret').toString('base64')}\npassword s3cret\n` } } });
    const r = await run(drone('dockerconfig'), { backend, secrets: { dockerconfig: config } });
    assert.equal((r.output.get('default/unit') ?? []).join(''), 'auth ***\npassword ***\n');
  });
});
