// Runs the StepBackend conformance suite against the fake and dockerd, plus what only Docker has: pulls, OOM, no /bin/sh.

import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { create } from 'tar';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeStepBackend } from '../../src/adapters/docker/fake-step-backend.js';
import { DockerStepBackend } from '../../src/adapters/docker/step-backend.js';
import { LABELS, workspaceRefFor } from '../../src/adapters/docker/step-names.js';
import { SlipwayError } from '../../src/core/errors.js';
import type { PipelinePlan, StepPlan } from '../../src/core/plan.js';
import type { WorkspaceRef } from '../../src/core/ports/step-backend.js';
import { stepBackendConformance } from './step-backend.conformance.js';

const IMAGE = 'busybox:latest';
const unique = () => `conf-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });

describe('step backend port: FakeStepBackend', () => {
  stepBackendConformance(async () => {
    const fake = new FakeStepBackend({ images: [IMAGE], workspaceExport: true });
    return {
      backend: fake,
      app: unique(),
      image: IMAGE,
      resources: async (ref) => fake.resources(ref),
      volumeExists: async (name) => fake.volumeExists(name),
      dispose: async () => {},
    };
  });
});

describe('step backend port: DockerStepBackend on dockerd', { timeout: 300_000 }, () => {
  stepBackendConformance(async () => {
    const app = unique();
    return {
      // Nothing can be pulled here; a short deadline keeps the missing-image case quick either way.
      backend: new DockerStepBackend(docker, { pullTimeoutMs: 5_000 }),
      app,
      image: IMAGE,
      resources: (ref) => dockerResources(ref),
      volumeExists: (name) => docker.getVolume(name).inspect().then(() => true, () => false),
      dispose: () => removeEverything(app),
    };
  });
});

describe('DockerStepBackend: what only Docker has', { timeout: 120_000 }, () => {
  const app = unique();
  const noShell = `${app}-nosh:latest`;
  let ref: WorkspaceRef;
  const plan: PipelinePlan = { name: 'docker-only', file: '.drone.yml', dependsOn: [], workspace: '/workspace', matrix: null, services: [], steps: [], skip: null };
  const step = (name: string, commands: string[], more: Partial<StepPlan> = {}): StepPlan => ({
    name, kind: 'commands', image: IMAGE, commands, entrypoint: null, environment: {}, secrets: [], dependsOn: [], status: [], skip: null,
    failure: 'fail', detach: false, timeoutSeconds: null, retry: 0, pull: 'if-not-exists', caches: [], build: null, deploy: null, notify: null,
    location: { file: '.drone.yml', line: 1, column: 1 }, ...more,
  });
  async function run(backend: DockerStepBackend, st: StepPlan): Promise<{ exitCode: number; output: string }> {
    const out: string[] = [];
    const handle = await backend.startStep(st, { namespace: 'slipway-conf', workspace: ref, pipeline: plan, environment: {}, caches: [], app, onOutput: (t) => void out.push(t) });
    const exit = await backend.wait(handle, new AbortController().signal);
    return { exitCode: exit.exitCode, output: out.join('') };
  }

  before(async () => {
    // An image with one file and no shell, made on the spot (nothing can be pulled): docker import of a tiny tar.
    const dir = await mkdtemp(join(tmpdir(), 'slipway-nosh-'));
    await writeFile(join(dir, 'hello.txt'), 'no shell here\n');
    const tar = create({ cwd: dir, portable: true }, ['hello.txt']);
    const [repo, tag] = noShell.split(':');
    await new Promise((resolve, reject) => {
      docker.importImage(tar as unknown as NodeJS.ReadableStream, { repo, tag }, (err, stream) => {
        if (err || stream === undefined) return reject(err);
        docker.modem.followProgress(stream, (e: Error | null) => (e ? reject(e) : resolve(null)));
      });
    });
    await rm(dir, { recursive: true, force: true });
    ref = await new DockerStepBackend(docker).setup({ namespace: 'slipway-conf', app, runId: 1, pipeline: { ...plan, steps: [step('x', ['true'])] }, source: () => Readable.from([Buffer.alloc(1024)]), reuseWorkspace: null });
  });
  after(async () => {
    await new DockerStepBackend(docker).teardown(ref, { keepWorkspace: false });
    await docker.getImage(noShell).remove({ force: true }).catch(() => null);
    await removeEverything(app);
  });

  it("pull: 'always' falls back to the image on the host, with a warning line, when the pull fails", async () => {
    const r = await run(new DockerStepBackend(docker, { pullTimeoutMs: 3_000 }), step('always', ['echo ran'], { pull: 'always' }));
    assert.equal(r.exitCode, 0);
    assert.match(r.output, /^slipway: pulling busybox:latest\nslipway: warning: pulling busybox:latest failed \(.+\); using the image already on this host\n\+ echo ran\nran\n$/);
  });

  it("pull: 'never' with a missing image fails at once with invalid_input", async () => {
    const backend = new DockerStepBackend(docker);
    await assert.rejects(run(backend, step('never', ['true'], { image: `${app}-absent:1`, pull: 'never' })), (err) => err instanceof SlipwayError && err.kind === 'invalid_input' && /pull: never/.test(err.message));
  });

  it('a commands step in an image without /bin/sh fails to start with invalid_input and a hint', async () => {
    const backend = new DockerStepBackend(docker);
    await assert.rejects(run(backend, step('nosh', ['true'], { image: noShell })), (err) => {
      assert.ok(err instanceof SlipwayError && err.kind === 'invalid_input', String(err));
      assert.match(err.hint ?? '', /\/bin\/sh and base64/);
      return true;
    });
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABELS.workspace}=${ref.id}`, `${LABELS.step}=nosh`] } });
    assert.equal(left.length, 0, 'the container that did not start is removed');
  });

  it('an image name is resolved to its ID at its first use in a pipeline: a tag moved meanwhile is not picked up', async () => {
    const backend = new DockerStepBackend(docker);
    const moving = `${app}-moving:latest`;
    const [repo = moving, tag = 'latest'] = moving.split(':');
    await docker.getImage(IMAGE).tag({ repo, tag });
    try {
      const first = await backend.startStep(step('first', ['true'], { image: moving }), { namespace: 'slipway-conf', workspace: ref, pipeline: plan, environment: {}, caches: [], app, onOutput: () => undefined });
      await backend.wait(first, new AbortController().signal);
      const pinned = (await docker.getImage(IMAGE).inspect()).Id;
      assert.equal((await docker.getContainer(first.id).inspect()).Image, pinned);
      // What a poisoned build would do: the name now points at another image.
      await docker.getImage(noShell).tag({ repo, tag });
      const second = await backend.startStep(step('second', ['true'], { image: moving }), { namespace: 'slipway-conf', workspace: ref, pipeline: plan, environment: {}, caches: [], app, onOutput: () => undefined });
      assert.equal((await backend.wait(second, new AbortController().signal)).exitCode, 0, 'ran in busybox, not the image without a shell');
      assert.equal((await docker.getContainer(second.id).inspect()).Image, pinned);
    } finally {
      await docker.getImage(moving).remove().catch(() => null);
    }
  });

  it('a setup that fails cleans up after itself: a source that is no tar, a source that errors', async () => {
    const backend = new DockerStepBackend(docker);
    const setup = (runId: number, source: () => Readable) =>
      backend.setup({ namespace: 'slipway-conf', app, runId, pipeline: { ...plan, steps: [step('x', ['true'])] }, source, reuseWorkspace: null });
    const garbage = () => Readable.from([Buffer.from('this is not a tar archive '.repeat(100))]);
    const broken = () => new Readable({ read() { this.destroy(new Error('disk on fire')); } });
    for (const [runId, source, kind] of [[2, garbage, 'invalid_input'], [3, broken, 'dependency']] as const) {
      await assert.rejects(setup(runId, source), (err) => err instanceof SlipwayError && err.kind === kind);
      const left = await dockerResources(workspaceRefFor('slipway-conf', app, runId, plan.name, null));
      assert.deepEqual(left, { containers: 0, network: false, volume: false }, `run ${runId}`);
    }
  });

  it('a step over its memory limit is killed, and the output says why', async () => {
    const backend = new DockerStepBackend(docker, { limits: { memoryBytes: 32 * 1024 ** 2, pidsLimit: 64 } });
    // Holds 200 MB in one shell variable: far over 32 MiB.
    const r = await run(backend, step('hog', ['x=$(head -c 200000000 /dev/zero | tr "\\0" a); echo survived']));
    assert.equal(r.exitCode, 137, r.output);
    assert.match(r.output, /ran out of memory \(limit 32 MiB\)/);
  });

  it('a step\'s own limits (mem_limit, shm_size, cpu_*) reach its cgroup, and its mem_limit is the one it is killed at', async () => {
    const backend = new DockerStepBackend(docker);
    const limits = { memoryBytes: 40 * 1024 ** 2, shmBytes: 2 * 1024 ** 2, cpuPeriodMicros: 100_000, cpuQuotaMicros: 50_000, cpuSet: '0' };
    // cgroup v2 names first, v1 after (these machines have v1).
    const seen = await run(backend, step('limits', [
      'echo mem=$(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes)',
      'echo cpu=$(cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us))',
      'echo cpus=$(cat /sys/fs/cgroup/cpuset.cpus 2>/dev/null || cat /sys/fs/cgroup/cpuset/cpuset.cpus)',
      'df -k /dev/shm | tail -1',
    ], { limits }));
    assert.equal(seen.exitCode, 0, seen.output);
    assert.match(seen.output, /^mem=41943040$/m, 'the memory limit is the step\'s mem_limit');
    assert.match(seen.output, /^cpu=50000 100000$/m, 'quota over period: half a CPU');
    assert.match(seen.output, /^cpus=0$/m, 'cpuset');
    assert.match(seen.output, /^shm +2048 /m, 'shm_size');
    const hog = await run(backend, step('hog-own', ['x=$(head -c 200000000 /dev/zero | tr "\\0" a); echo survived'], { limits: { memoryBytes: 40 * 1024 ** 2 } }));
    assert.equal(hog.exitCode, 137, hog.output);
    assert.match(hog.output, /ran out of memory \(limit 40 MiB\)/);
  });
});

describe('FakeStepBackend: scripts, records, images', () => {
  const plan: PipelinePlan = { name: 'p', file: '.drone.yml', dependsOn: [], workspace: '/w', matrix: null, services: [], steps: [], skip: null };
  const step = (name: string, more: Partial<StepPlan> = {}): StepPlan => ({
    name, kind: 'commands', image: IMAGE, commands: ['make'], entrypoint: null, environment: {}, secrets: [], dependsOn: [], status: [], skip: null,
    failure: 'fail', detach: false, timeoutSeconds: null, retry: 0, pull: 'if-not-exists', caches: [], build: null, deploy: null, notify: null,
    location: { file: '.drone.yml', line: 1, column: 1 }, ...more,
  });

  it('takes scripts by step name over the environment, and prints the trace lines by default', async () => {
    const fake = new FakeStepBackend({ scripts: { lint: { exitCode: 2, output: 'lint says no\n' } } });
    const p = { ...plan, steps: [step('lint'), step('build')] };
    const ref = await fake.setup({ namespace: 'slipway-conf', app: 'a', runId: 1, pipeline: p, source: () => Readable.from([Buffer.alloc(1024)]), reuseWorkspace: null });
    const results = [];
    for (const st of p.steps) {
      const out: string[] = [];
      const env = { SLIPWAY_FAKE_EXIT: '5' };
      const h = await fake.startStep(st, { namespace: 'slipway-conf', workspace: ref, pipeline: p, environment: st.name === 'lint' ? env : {}, caches: [], app: 'a', onOutput: (t) => void out.push(t) });
      results.push({ exit: await fake.wait(h, new AbortController().signal), output: out.join('') });
    }
    assert.deepEqual(results, [
      { exit: { exitCode: 2, killed: false }, output: 'lint says no\n' },
      { exit: { exitCode: 0, killed: false }, output: '+ make\n' },
    ]);
    await fake.teardown(ref, { keepWorkspace: false });
    assert.deepEqual(fake.calls.map((c) => c.method), ['setup', 'startStep', 'wait', 'startStep', 'wait', 'teardown']);
  });

  it('fails setup when no image of the pipeline is on the fake host, like a pull that cannot happen', async () => {
    const fake = new FakeStepBackend({ images: ['other:1'] });
    const p = { ...plan, steps: [step('x')] };
    await assert.rejects(
      fake.setup({ namespace: 'slipway-conf', app: 'a', runId: 1, pipeline: p, source: () => Readable.from([Buffer.alloc(1024)]), reuseWorkspace: null }),
      (err) => err instanceof SlipwayError && err.kind === 'invalid_input',
    );
  });
});

async function dockerResources(ref: WorkspaceRef): Promise<{ containers: number; network: boolean; volume: boolean }> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${LABELS.workspace}=${ref.id}`] } });
  const network = await docker.getNetwork(ref.network).inspect().then(() => true, () => false);
  const volume = await docker.getVolume(ref.volume).inspect().then(() => true, () => false);
  return { containers: containers.length, network, volume };
}

/** Containers, networks and volumes (workspaces and caches) carrying the app label of this suite run. */
async function removeEverything(app: string): Promise<void> {
  const filters = { label: [`${LABELS.app}=${app}`] };
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true });
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove();
  const { Volumes } = await docker.listVolumes({ filters });
  for (const v of Volumes ?? []) await docker.getVolume(v.Name).remove();
}
