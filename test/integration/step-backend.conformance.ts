// The one StepBackend conformance suite: the fake and the Docker adapter (real dockerd) must both pass it.
//
// Every step carries both what it does in a container (commands, run by busybox) and what the fake does instead
// (SLIPWAY_FAKE_* in its environment, which a real container just ignores), so one case checks both backends.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, it, type TestContext } from 'node:test';
import { Parser, type ReadEntry } from 'tar';
import { cacheVolumeName } from '../../src/adapters/docker/step-names.js';
import { packDirectory } from '../../src/cli/tarball.js';
import { SlipwayError } from '../../src/core/errors.js';
import type { CacheMount, PipelinePlan, ServicePlan, StepPlan } from '../../src/core/plan.js';
import type { StepBackend, StepExit, WorkspaceRef } from '../../src/core/ports/step-backend.js';

/** Prefix of the Docker objects these tests make (a Slipway instance name in production). */
const NAMESPACE = 'slipway-conf';

export interface StepSubject {
  readonly backend: StepBackend;
  /** Unique per suite run: every volume, network and container the suite makes carries it. */
  readonly app: string;
  /** An image the host has; commands steps run busybox commands in it. */
  readonly image: string;
  resources(ref: WorkspaceRef): Promise<{ containers: number; network: boolean; volume: boolean }>;
  volumeExists(name: string): Promise<boolean>;
  /** Removes whatever the suite left (cache volumes, and anything a failed case did not tear down). */
  dispose(): Promise<void>;
}

export type CaseKey =
  | 'extract' | 'order' | 'stderr' | 'exit' | 'stdin' | 'shared' | 'parallel' | 'service' | 'env' | 'abort'
  | 'cache' | 'teardown' | 'keep' | 'reuse-missing' | 'missing-image' | 'big' | 'binary' | 'multibyte' | 'plugin' | 'output-error' | 'export';

export interface ConformanceOptions {
  /** Cases this implementation is known to fail, with the reason: they run as todos until fixed. */
  readonly knownBugs?: Readonly<Partial<Record<CaseKey, string>>>;
}

const WORKSPACE = '/drone/src';
const SOURCE = { 'README.md': 'hello from the source\n', 'sub/nested.txt': 'nested file\n' };
type Fake = Record<string, string>;

export function stepBackendConformance(open: () => Promise<StepSubject>, options: ConformanceOptions = {}): void {
  const check = (key: CaseKey, title: string, fn: (t: TestContext) => Promise<void>) => it(title, { todo: options.knownBugs?.[key] }, fn);
  let s: StepSubject;
  let source: Buffer;
  let runSerial = 0;
  const live: WorkspaceRef[] = [];
  const runBase = (Date.now() % 100_000) * 1000 + Math.floor(Math.random() * 1000) * 100_000_000;

  before(async () => {
    s = await open();
    const dir = await mkdtemp(join(tmpdir(), 'slipway-step-src-'));
    await mkdir(join(dir, 'sub'));
    for (const [path, text] of Object.entries(SOURCE)) await writeFile(join(dir, path), text);
    source = await packDirectory(dir);
    await rm(dir, { recursive: true, force: true });
  });
  after(async () => {
    for (const ref of live) await s.backend.teardown(ref, { keepWorkspace: false });
    await s.dispose();
  });

  const step = (name: string, commands: string[], fake: Fake = {}, more: Partial<StepPlan> = {}): StepPlan => ({
    name, kind: 'commands', image: s.image, commands, entrypoint: null, environment: fake, secrets: [], dependsOn: [], status: [],
    skip: null, failure: 'fail', detach: false, timeoutSeconds: null, retry: 0, pull: 'if-not-exists', caches: [],
    build: null, deploy: null, notify: null, location: { file: '.drone.yml', line: 1, column: 1 }, ...more,
  });
  const pipeline = (steps: StepPlan[], services: ServicePlan[] = []): PipelinePlan => ({
    name: 'test (NODE=20)', file: '.drone.yml', dependsOn: [], workspace: WORKSPACE, matrix: null, services, steps, skip: null,
  });
  async function setup(plan: PipelinePlan, reuse: string | null = null): Promise<WorkspaceRef> {
    const readSource = () => (reuse === null ? Readable.from([source]) : assert.fail('a reused workspace must not read the source'));
    const ref = await s.backend.setup({ namespace: NAMESPACE, app: s.app, runId: runBase + ++runSerial, pipeline: plan, source: readSource, reuseWorkspace: reuse });
    live.push(ref);
    return ref;
  }
  async function teardown(ref: WorkspaceRef, keepWorkspace = false): Promise<void> {
    await s.backend.teardown(ref, { keepWorkspace });
    live.splice(live.indexOf(ref), 1);
  }
  function request(ref: WorkspaceRef, plan: PipelinePlan, st: { environment: Record<string, string> }, caches: readonly CacheMount[], sink: string[]) {
    return { namespace: NAMESPACE, workspace: ref, pipeline: plan, environment: st.environment, caches, app: s.app, onOutput: (t: string) => void sink.push(t) };
  }
  async function run(ref: WorkspaceRef, plan: PipelinePlan, st: StepPlan, signal = new AbortController().signal): Promise<{ exit: StepExit; output: string }> {
    const chunks: string[] = [];
    const handle = await s.backend.startStep(st, request(ref, plan, st, st.caches, chunks));
    const exit = await s.backend.wait(handle, signal);
    return { exit, output: chunks.join('') };
  }
  /** One pipeline with these steps, run one after the other; the workspace torn down after. */
  async function runAll(...steps: StepPlan[]): Promise<{ exit: StepExit; output: string }[]> {
    const plan = pipeline(steps);
    const ref = await setup(plan);
    const results = [];
    for (const st of steps) results.push(await run(ref, plan, st));
    await teardown(ref);
    return results;
  }
  const ok: StepExit = { exitCode: 0, killed: false };

  check('extract', 'setup extracts the source into the workspace, the working directory of every step', async () => {
    const [r] = await runAll(step('read', ['cat README.md', 'cat sub/nested.txt'], {
      SLIPWAY_FAKE_OUTPUT: `+ cat README.md\n\${file:${WORKSPACE}/README.md}+ cat sub/nested.txt\n\${file:${WORKSPACE}/sub/nested.txt}`,
    }));
    assert.deepEqual(r?.exit, ok);
    assert.equal(r?.output, '+ cat README.md\nhello from the source\n+ cat sub/nested.txt\nnested file\n');
  });

  check('order', 'output arrives in order, each command echoed with "+ " before it runs', async () => {
    const expected = '+ echo one\none\n+ echo two\ntwo\n+ echo three\nthree\n';
    const [r] = await runAll(step('order', ['echo one', 'echo two', 'echo three'], { SLIPWAY_FAKE_OUTPUT: expected }));
    assert.equal(r?.output, expected);
  });

  check('stderr', 'stderr reaches onOutput too', async () => {
    const [r] = await runAll(step('stderr', ['echo to-stderr >&2'], { SLIPWAY_FAKE_OUTPUT: '+ echo to-stderr >&2\nto-stderr\n' }));
    assert.match(r?.output ?? '', /^to-stderr$/m);
  });

  check('exit', 'a failing command gives its exit code and the commands after it do not run', async () => {
    const expected = '+ echo before\nbefore\n+ exit 3\n';
    const [r] = await runAll(step('fails', ['echo before', 'exit 3', 'echo after'], { SLIPWAY_FAKE_OUTPUT: expected, SLIPWAY_FAKE_EXIT: '3' }));
    assert.deepEqual(r?.exit, { exitCode: 3, killed: false });
    assert.equal(r?.output, expected);
  });

  check('stdin', 'a command reading stdin does not swallow the commands after it', async () => {
    const expected = '+ cat\n+ echo after-cat\nafter-cat\n';
    const [r] = await runAll(step('stdin', ['cat', 'echo after-cat'], { SLIPWAY_FAKE_OUTPUT: expected }));
    assert.equal(r?.output, expected);
  });

  check('shared', 'two steps share the workspace: the second reads what the first wrote', async () => {
    const [first, second] = await runAll(
      step('write', ['echo "made by step one" > produced.txt'], { SLIPWAY_FAKE_WRITE: JSON.stringify({ [`${WORKSPACE}/produced.txt`]: 'made by step one\n' }) }),
      step('read', ['cat produced.txt'], { SLIPWAY_FAKE_OUTPUT: `+ cat produced.txt\n\${file:${WORKSPACE}/produced.txt}` }),
    );
    assert.deepEqual(first?.exit, ok);
    assert.equal(second?.output, '+ cat produced.txt\nmade by step one\n');
  });

  check('parallel', 'steps of one pipeline run at the same time, each with its own output', async () => {
    // Each step marks that it started and then waits (bounded) for the other's mark: run one after the other, the
    // first would wait out its bound and fail. No wall-clock limit a loaded machine could trip.
    const wait = (other: string) => `i=0; while [ ! -e ${other}.up ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done`;
    const commands = (n: string, other: string) => [`touch ${n}.up`, wait(other), `test -e ${other}.up`, `echo ${n}`];
    const expected = (n: string, other: string) => `${commands(n, other).map((c) => `+ ${c}\n`).join('')}${n}\n`;
    const steps = [['left', 'right'], ['right', 'left']].map(([n = '', other = '']) => step(n, commands(n, other), { SLIPWAY_FAKE_OUTPUT: expected(n, other) }));
    const plan = pipeline(steps);
    const ref = await setup(plan);
    const outputs = steps.map(() => [] as string[]);
    const handles = await Promise.all(steps.map((st, i) => s.backend.startStep(st, request(ref, plan, st, [], outputs[i] ?? []))));
    const exits = await Promise.all(handles.map((h) => s.backend.wait(h, new AbortController().signal)));
    assert.deepEqual(exits, [ok, ok]);
    assert.deepEqual(outputs.map((o) => o.join('')), [expected('left', 'right'), expected('right', 'left')]);
    await teardown(ref);
  });

  check('service', 'a service is reachable from a step by its name', async () => {
    const web: ServicePlan = {
      name: 'web', image: s.image, commands: ['mkdir -p /www', 'echo pong > /www/index.html', 'httpd -f -p 8080 -h /www'],
      entrypoint: null, environment: {}, secrets: [], location: { file: '.drone.yml', line: 1, column: 1 },
    };
    const probe = step('probe', ['for i in $(seq 1 40); do wget -q -O - http://web:8080/ && exit 0; sleep 0.25; done; exit 1'], { SLIPWAY_FAKE_OUTPUT: 'pong\n' });
    const plan = pipeline([probe], [web]);
    const ref = await setup(plan);
    await s.backend.startService(web, request(ref, plan, web, [], []));
    const r = await run(ref, plan, probe);
    assert.deepEqual(r.exit, ok, r.output);
    assert.match(r.output, /^pong$/m);
    await teardown(ref);
  });

  check('env', 'environment values arrive exactly, quotes, dollars and all', async () => {
    const value = `it's "quoted" $HOME \\n ünïcödé`;
    const [r] = await runAll(step('env', [`printf '%s\\n' "$GREETING"`], { GREETING: value, SLIPWAY_FAKE_OUTPUT: '${GREETING}\n' }));
    assert.ok(r?.output.endsWith(`${value}\n`), r?.output);
  });

  check('abort', 'aborting wait kills a running step quickly: exit 137, killed', async () => {
    const sleeper = step('sleeper', ['sleep 600'], { SLIPWAY_FAKE_SLEEP_MS: '600000' });
    const plan = pipeline([sleeper]);
    const ref = await setup(plan);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    const started = Date.now();
    const r = await run(ref, plan, sleeper, abort.signal);
    assert.deepEqual(r.exit, { exitCode: 137, killed: true });
    assert.ok(Date.now() - started < 5000, `killing took ${Date.now() - started} ms`);
    const already = await run(ref, plan, sleeper, AbortSignal.abort());
    assert.deepEqual(already.exit, { exitCode: 137, killed: true });
    await teardown(ref);
  });

  check('cache', 'a cache volume keeps its content from one run to the next', async () => {
    const token = `stamp-${Math.random().toString(36).slice(2)}`;
    const caches = [{ name: 'deps', path: '/cache' }];
    const [w] = await runAll(step('fill', [`echo ${token} > /cache/stamp`], { SLIPWAY_FAKE_WRITE: JSON.stringify({ '/cache/stamp': `${token}\n` }) }, { caches }));
    assert.deepEqual(w?.exit, ok);
    const [r] = await runAll(step('use', ['cat /cache/stamp'], { SLIPWAY_FAKE_OUTPUT: '+ cat /cache/stamp\n${file:/cache/stamp}' }, { caches }));
    assert.equal(r?.output, `+ cat /cache/stamp\n${token}\n`);
    assert.equal(await s.volumeExists(cacheVolumeName(NAMESPACE, s.app, 'deps')), true);
  });

  check('teardown', 'teardown removes containers (running or not), the network and the workspace; twice is fine', async () => {
    const web: ServicePlan = { name: 'web', image: s.image, commands: ['sleep 600'], entrypoint: null, environment: {}, secrets: [], location: { file: '.drone.yml', line: 1, column: 1 } };
    const done = step('done', ['true']);
    const running = step('running', ['sleep 600'], { SLIPWAY_FAKE_SLEEP_MS: '600000' });
    const plan = pipeline([done, running], [web]);
    const ref = await setup(plan);
    await s.backend.startService(web, request(ref, plan, web, [], []));
    await run(ref, plan, done);
    await s.backend.startStep(running, request(ref, plan, running, [], []));
    assert.deepEqual(await s.resources(ref), { containers: 3, network: true, volume: true });
    await teardown(ref);
    assert.deepEqual(await s.resources(ref), { containers: 0, network: false, volume: false });
    await s.backend.teardown(ref, { keepWorkspace: false });
    await s.backend.removeWorkspace(ref.volume);
  });

  check('keep', 'keepWorkspace keeps the volume; a setup reusing it sees the files and does not read the source', async () => {
    const write = step('write', ['echo kept > later.txt'], { SLIPWAY_FAKE_WRITE: JSON.stringify({ [`${WORKSPACE}/later.txt`]: 'kept\n' }) });
    const read = step('read', ['cat README.md later.txt'], { SLIPWAY_FAKE_OUTPUT: `+ cat README.md later.txt\n\${file:${WORKSPACE}/README.md}\${file:${WORKSPACE}/later.txt}` });
    const first = await setup(pipeline([write]));
    await run(first, pipeline([write]), write);
    await teardown(first, true);
    assert.deepEqual(await s.resources(first), { containers: 0, network: false, volume: true });
    const second = await setup(pipeline([read]), first.volume);
    assert.equal(second.volume, first.volume);
    assert.notEqual(second.network, first.network);
    const r = await run(second, pipeline([read]), read);
    assert.equal(r.output, '+ cat README.md later.txt\nhello from the source\nkept\n');
    await teardown(second, true);
    await s.backend.removeWorkspace(first.volume);
    assert.equal(await s.volumeExists(first.volume), false);
    await s.backend.removeWorkspace(first.volume);
  });

  check('reuse-missing', 'reusing a workspace that is gone fails with not_found', async () => {
    const missing = `slipway-ws-${s.app}-gone`;
    await assert.rejects(setup(pipeline([step('x', ['true'])]), missing), (err) => err instanceof SlipwayError && err.kind === 'not_found');
  });

  check('missing-image', 'a step whose image is neither on the host nor pullable fails with invalid_input', async () => {
    const plan = pipeline([step('ok', ['true'])]);
    const ref = await setup(plan);
    const missing = step('missing', ['true'], {}, { image: `${s.app}-missing:none` });
    await assert.rejects(s.backend.startStep(missing, request(ref, plan, missing, [], [])), (err) => {
      assert.ok(err instanceof SlipwayError && err.kind === 'invalid_input', String(err));
      assert.match(err.message, new RegExp(`image ${s.app}-missing:none not found`));
      return true;
    });
    await teardown(ref);
  });

  // Bigger than the memory bound on purpose: a backend that kept the output (or waited for newlines) would fail.
  check('big', '100 MB of fast output streams through while this process grows by less than 60 MB', async (t) => {
    const big = step('big', ['head -c 75000000 /dev/urandom | base64'], { SLIPWAY_FAKE_OUTPUT: '', SLIPWAY_FAKE_OUTPUT_BYTES: '101300000' });
    const plan = pipeline([big]);
    const ref = await setup(plan);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    let bytes = 0;
    const started = Date.now();
    const handle = await s.backend.startStep(big, { ...request(ref, plan, big, [], []), onOutput: (t) => void (bytes += t.length) });
    const exit = await s.backend.wait(handle, new AbortController().signal);
    clearInterval(sampler);
    assert.deepEqual(exit, ok);
    assert.ok(bytes >= 100_000_000, `only ${bytes} bytes arrived`);
    const grewMb = Math.round((peak - baseline) / 1e6);
    assert.ok(grewMb < 60, `memory grew by ${grewMb} MB`);
    t.diagnostic(`${bytes} bytes in ${Date.now() - started} ms, peak RSS growth ${grewMb} MB`);
    await teardown(ref);
  });

  check('output-error', 'an onOutput that throws fails wait with internal, and the step is not left blocked on its output', async () => {
    const loud = step('loud', ['head -c 5000000 /dev/urandom | base64', 'echo end'], { SLIPWAY_FAKE_OUTPUT_BYTES: '6800000' });
    const plan = pipeline([loud]);
    const ref = await setup(plan);
    const handle = await s.backend.startStep(loud, { ...request(ref, plan, loud, [], []), onOutput: () => assert.fail('log store is down') });
    const started = Date.now();
    await assert.rejects(s.backend.wait(handle, AbortSignal.timeout(30_000)), (err) => err instanceof SlipwayError && err.kind === 'internal');
    assert.ok(Date.now() - started < 20_000, `wait took ${Date.now() - started} ms`);
    await teardown(ref);
  });

  check('binary', 'binary output does not crash anything: it arrives as text and the step goes on', async () => {
    const expectedTail = '+ echo done-binary\ndone-binary\n';
    const [r] = await runAll(step('binary', ['head -c 100000 /dev/urandom', 'echo', 'echo done-binary'], { SLIPWAY_FAKE_OUTPUT: `\u{fffd}garbage\n${expectedTail}` }));
    assert.deepEqual(r?.exit, ok);
    assert.ok(r?.output.endsWith(expectedTail));
  });

  check('multibyte', 'multi-byte characters survive however the output is cut into chunks', async () => {
    const [r] = await runAll(step('utf8', ['yes äöü | head -n 100000'], { SLIPWAY_FAKE_OUTPUT: `+ yes äöü | head -n 100000\n${'äöü\n'.repeat(1000)}` }));
    const lines = (r?.output ?? '').split('\n').slice(1, -1);
    assert.ok(lines.length >= 1000);
    assert.equal(lines.filter((l) => l !== 'äöü').length, 0, 'every line intact, no U+FFFD');
  });

  check('export', 'workspaceExport, when declared, reads a folder of the workspace back as a tar, with what steps wrote', async (t) => {
    const exporter = s.backend.workspaceExport;
    if (exporter === null) return t.skip('this backend declares no workspace export');
    const writer = step('write', ['echo "built by a step" > sub/made.txt'], { SLIPWAY_FAKE_WRITE: JSON.stringify({ [`${WORKSPACE}/sub/made.txt`]: 'built by a step\n' }) });
    const plan = pipeline([writer]);
    const ref = await setup(plan);
    try {
      assert.deepEqual((await run(ref, plan, writer)).exit, ok);
      const files = await tarFiles(await exporter.exportWorkspace(ref.volume, 'sub', s.image));
      assert.deepEqual(files, { 'made.txt': 'built by a step\n', 'nested.txt': 'nested file\n' });
      assert.equal((await tarFiles(await exporter.exportWorkspace(ref.volume, '.', s.image)))['README.md'], 'hello from the source\n');
      await assert.rejects(exporter.exportWorkspace(ref.volume, '../etc', s.image), (err: unknown) => err instanceof SlipwayError && err.kind === 'invalid_input');
      await assert.rejects(exporter.exportWorkspace(ref.volume, 'no-such-folder', s.image), (err: unknown) => err instanceof SlipwayError && err.kind === 'invalid_input');
    } finally {
      await teardown(ref);
    }
  });

  check('plugin', "a plugin step runs the image's own entrypoint; an entrypoint given replaces it", async () => {
    const plugin = step('plugin', [], {}, { kind: 'plugin' });
    const entry = step('entry', [], { SLIPWAY_FAKE_OUTPUT: 'from-entrypoint\n' }, { kind: 'plugin', entrypoint: ['echo', 'from-entrypoint'] });
    const [p, e] = await runAll(plugin, entry);
    assert.deepEqual(p, { exit: ok, output: '' }); // busybox's own command is `sh`: with no stdin it ends at once
    assert.deepEqual(e, { exit: ok, output: 'from-entrypoint\n' });
  });
}

/** The regular files of a tar stream, by path without a leading ./, with their text. */
async function tarFiles(stream: Readable): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const parser = new Parser();
  parser.on('entry', (entry: ReadEntry) => {
    const chunks: Buffer[] = [];
    entry.on('data', (c: Buffer) => chunks.push(c));
    entry.on('end', () => {
      if (entry.type === 'File') files[entry.path.replace(/^\.\//, '')] = Buffer.concat(chunks).toString('utf8');
    });
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', () => resolve());
    parser.on('error', reject);
    stream.on('error', reject);
    stream.pipe(parser as unknown as NodeJS.WritableStream);
  });
  return files;
}
