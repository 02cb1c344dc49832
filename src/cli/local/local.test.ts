// The helpers of `slipway lint`/`exec`: pipeline files on disk, run metadata from real git, the console recorder, names, socket.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ConsoleStepRecorder, formatDuration } from './console-recorder.js';
import { dockerSocket } from './docker.js';
import { localRunMeta, NO_COMMIT } from './git-meta.js';
import { localName } from './names.js';
import { discoverLocal, readGivenFile, readPipelineFiles } from './pipeline-files.js';

const exec = promisify(execFile);
const STEP = 'steps:\n  - name: t\n    image: alpine\n    commands: [true]\n';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'slipway-local-'));
}

describe('pipeline files of a directory', () => {
  it('reads the top-level files and the .yml/.yaml files directly in .slipway/ and .woodpecker/', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, '.woodpecker', 'nested'), { recursive: true });
    await mkdir(join(dir, '.drone.yml.d'));
    for (const path of ['.drone.yml', '.woodpecker/a.yaml', '.woodpecker/b.yml', '.woodpecker/nested/c.yml', '.woodpecker/readme.md', 'ci.yml']) {
      await writeFile(join(dir, path), STEP);
    }
    const files = await readPipelineFiles(dir);
    assert.deepEqual(files.map((f) => f.path), ['.drone.yml', '.woodpecker/a.yaml', '.woodpecker/b.yml']);
    const source = await discoverLocal(dir);
    assert.equal(source?.dialect, 'woodpecker');
    assert.deepEqual(source?.shadowed, ['.drone.yml']);
    assert.equal(await discoverLocal(await tempDir()), null);
  });

  it('a named file: relative path inside the directory, dialect from its name, else its content', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'ci'));
    await writeFile(join(dir, 'ci', 'drone.yml'), 'kind: pipeline\nsteps: []\n');
    await writeFile(join(dir, 'ci', 'mine.yml'), STEP);
    await writeFile(join(dir, '.woodpecker.yml'), STEP);
    assert.deepEqual(await readGivenFile(dir, './ci/drone.yml'), { file: { path: 'ci/drone.yml', text: 'kind: pipeline\nsteps: []\n' }, dialect: 'drone' });
    assert.equal((await readGivenFile(dir, 'ci/mine.yml')).dialect, 'slipway');
    assert.equal((await readGivenFile(dir, '.woodpecker.yml')).dialect, 'woodpecker');
    assert.equal((await readGivenFile(join(dir, 'ci'), '../.woodpecker.yml')).file.path, join(dir, '.woodpecker.yml'));
    await assert.rejects(readGivenFile(dir, 'ci'), { kind: 'invalid_input', message: 'no such file: ci' });
  });

  it('a file over the 1 MB a pipeline file may have is refused without being read whole (issue 12)', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, '.slipway.yml'), '');
    // Sparse (no disk used) and over 2 GiB: reading it whole fails in Node itself (ERR_FS_FILE_TOO_LARGE), so only a
    // reader that stops at the cap gets the error below.
    await truncate(join(dir, '.slipway.yml'), 3 * 1024 * 1024 * 1024);
    await assert.rejects(readGivenFile(dir, '.slipway.yml'), { kind: 'invalid_input', message: '.slipway.yml is larger than 1000000 bytes' });
    await assert.rejects(readPipelineFiles(dir), { kind: 'invalid_input', message: '.slipway.yml is larger than 1000000 bytes' });
    await writeFile(join(dir, '.slipway.yml'), 'x'.repeat(1_000_000));
    assert.equal((await readGivenFile(dir, '.slipway.yml')).file.text.length, 1_000_000);
  });
});

describe('run metadata from git', () => {
  const options = { app: 'shop', event: 'push' as const, branch: null, tag: null, params: {} };

  it('outside a checkout: placeholders (no commit, branch main)', async () => {
    const { meta, fromGit } = await localRunMeta(await tempDir(), options);
    assert.equal(fromGit, false);
    assert.deepEqual([meta.commit, meta.branch, meta.ref, meta.tag, meta.commitMessage, meta.describe], [NO_COMMIT, 'main', 'refs/heads/main', null, '', null]);
    assert.deepEqual([meta.app, meta.event, meta.changedFiles, meta.fromFork], ['shop', 'push', null, false]);
  });

  it('in a checkout: HEAD, the branch, author, message and tags, through git', async () => {
    const dir = await tempDir();
    const git = (...args: string[]) => exec('git', ['-c', 'user.name=Ann', '-c', 'user.email=ann@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir });
    await git('init', '-q', '-b', 'trunk');
    await writeFile(join(dir, 'a.txt'), 'a\n');
    await git('add', 'a.txt');
    await git('commit', '-q', '-m', 'First commit', '-m', 'with a body');
    await git('tag', 'v0.1.0');
    const head = (await git('rev-parse', 'HEAD')).stdout.trim();
    const { meta, fromGit } = await localRunMeta(dir, options);
    assert.equal(fromGit, true);
    assert.deepEqual(
      [meta.commit, meta.branch, meta.ref, meta.author, meta.commitMessage, meta.describe],
      [head, 'trunk', 'refs/heads/trunk', 'Ann <ann@example.com>', 'First commit\n\nwith a body', 'v0.1.0'],
    );
    const tagged = await localRunMeta(dir, { ...options, event: 'tag' });
    assert.deepEqual([tagged.meta.tag, tagged.meta.ref, tagged.meta.branch], ['v0.1.0', 'refs/tags/v0.1.0', null]);
    const other = await localRunMeta(dir, { ...options, branch: 'main' });
    assert.equal(other.meta.branch, 'main');
    // A subdirectory of the checkout is in the checkout too.
    await mkdir(join(dir, 'sub'));
    assert.equal((await localRunMeta(join(dir, 'sub'), options)).meta.commit, head);
  });
});

describe('ConsoleStepRecorder', () => {
  it('prefixes whole lines with the step, holds partial lines until the step ends, times each step', async () => {
    let clock = 1_000;
    const out: string[] = [];
    const rec = new ConsoleStepRecorder({ write: (t) => void out.push(t), qualify: false, now: () => clock });
    await rec.stepState('p', 'a', 'running');
    rec.stepOutput('p', 'a', 'one\ntw');
    rec.stepOutput('p', 'a', 'o\r\nthr');
    clock += 2_500;
    await rec.stepState('p', 'a', 'succeeded');
    await rec.stepState('p', 'b', 'skipped', 'an earlier step failed');
    assert.equal(out.join(''), '[a] one\n[a] two\n[a] thr\n--> step a succeeded (2.5s)\n--> step b skipped: an earlier step failed\n');
    const plan = { pipelines: [{ name: 'p', steps: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }], warnings: [] };
    assert.deepEqual(rec.results(plan as never), [
      { pipeline: 'p', step: 'a', state: 'succeeded', note: null, durationMs: 2_500 },
      { pipeline: 'p', step: 'b', state: 'skipped', note: 'an earlier step failed', durationMs: null },
      { pipeline: 'p', step: 'c', state: 'pending', note: null, durationMs: null },
    ]);
  });

  it('labels steps pipeline/step when there are several pipelines; flush writes what is left; long lines are cut', async () => {
    const out: string[] = [];
    const rec = new ConsoleStepRecorder({ write: (t) => void out.push(t), qualify: true });
    rec.stepOutput('test', 'unit', 'no newline');
    rec.flush();
    rec.stepOutput('test', 'bar', 'x'.repeat(40_000));
    assert.equal(out.join(''), `[test/unit] no newline\n[test/bar] ${'x'.repeat(16_384)}\n[test/bar] ${'x'.repeat(16_384)}\n`);
  });

  it('formats durations', () => {
    assert.deepEqual([formatDuration(400), formatDuration(59_949), formatDuration(125_000), formatDuration(3_725_000)], ['0.4s', '59.9s', '2m05s', '1h02m']);
  });
});

describe('names and the Docker socket', () => {
  it('localName: the directory name as a Docker repository component', () => {
    assert.deepEqual([localName('/src/My App_v2'), localName('/tmp/shop'), localName('/'), localName('/x/--ü--')], ['my-app-v2', 'shop', 'local', 'local']);
  });

  it('dockerSocket: DOCKER_HOST unix:// or the default; other schemes are refused', () => {
    assert.equal(dockerSocket({}), '/var/run/docker.sock');
    assert.equal(dockerSocket({ DOCKER_HOST: '' }), '/var/run/docker.sock');
    assert.equal(dockerSocket({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }), '/run/user/1000/docker.sock');
    assert.throws(() => dockerSocket({ DOCKER_HOST: 'tcp://10.0.0.2:2376' }), { kind: 'invalid_input', message: 'DOCKER_HOST=tcp://10.0.0.2:2376 is not a unix socket' });
  });
});
