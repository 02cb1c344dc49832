// Pipeline files of a commit, read with real git: bounded before any content is read (issue 12).

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { GitRepos } from '../adapters/git/repos.js';
import { SlipwayError } from '../core/errors.js';
import { pipelineFilesFromGit, pipelineFilesFromTar } from './pipeline-files.js';

const exec = promisify(execFile);

/** `git <args>` in `dir` with `input` on stdin; its trimmed stdout. */
function gitWithInput(dir: string, args: string[], input: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', dir, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`git ${args[0]} exited ${code}`))));
    child.stdin.end(input);
  });
}

/** A commit whose .slipway/ lists `count` names for one blob of `size` bytes: a few KiB of objects. */
async function commitListingOneBlob(dir: string, count: number, size: number): Promise<string> {
  const blob = await gitWithInput(dir, ['hash-object', '-w', '--stdin'], Buffer.alloc(size, 'a'));
  const entries = Array.from({ length: count }, (_, i) => `100644 blob ${blob}\tstep-${String(i).padStart(4, '0')}.yml\n`).join('');
  const folder = await gitWithInput(dir, ['mktree'], entries);
  const root = await gitWithInput(dir, ['mktree'], `040000 tree ${folder}\t.slipway\n`);
  return (await exec('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@slipway.test', 'commit-tree', root, '-m', 'many'])).stdout.trim();
}

describe('pipeline files from git', () => {
  let root = '';
  let repos: GitRepos;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipway-pipeline-files-'));
    repos = new GitRepos(root);
    await repos.ensure('web');
  });
  after(() => rm(root, { recursive: true, force: true }));

  const refusal = (message: RegExp) => (err: unknown) =>
    err instanceof SlipwayError && err.kind === 'invalid_input' && message.test(err.message) && /at most 100 files, 1 MiB each and 2 MiB together/.test(err.hint ?? '');

  it('refuses one 1 MiB blob listed 600 times without reading it 600 times', async () => {
    const commit = await commitListingOneBlob(repos.dirOf('web'), 600, 1024 * 1024);
    const started = Date.now();
    await assert.rejects(pipelineFilesFromGit(repos, 'web', commit), refusal(/has 600 pipeline files; at most 100 are read/));
    // Reading 600 MiB took tens of seconds; refusing from the listing takes one git call.
    assert.ok(Date.now() - started < 10_000);
  });

  it('refuses more than 2 MiB together, and one file over 1 MiB', async () => {
    const together = await commitListingOneBlob(repos.dirOf('web'), 3, 1024 * 1024);
    await assert.rejects(pipelineFilesFromGit(repos, 'web', together), refusal(/has 3 MiB of pipeline files; at most 2 MiB together/));
    const big = await commitListingOneBlob(repos.dirOf('web'), 1, 1024 * 1024 + 1);
    await assert.rejects(pipelineFilesFromGit(repos, 'web', big), refusal(/\.slipway\/step-0000\.yml of 1048577 bytes; pipeline files may be at most 1 MiB each/));
  });

  it('reads up to the limits', async () => {
    const commit = await commitListingOneBlob(repos.dirOf('web'), 100, 1000);
    const files = await pipelineFilesFromGit(repos, 'web', commit);
    assert.equal(files.length, 100);
    assert.equal(files[99]?.path, '.slipway/step-0099.yml');
    assert.equal(files[0]?.text, 'a'.repeat(1000));
  });
});

describe('pipeline files from an upload', () => {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipway-pipeline-tar-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  async function upload(name: string, files: Record<string, number>): Promise<string> {
    const dir = join(root, name);
    await mkdir(join(dir, '.slipway'), { recursive: true });
    for (const [path, size] of Object.entries(files)) await writeFile(join(dir, path), 'a'.repeat(size));
    const file = join(root, `${name}.tar.gz`);
    await tar.c({ gzip: true, file, cwd: dir }, Object.keys(files));
    return file;
  }

  it('reads the pipeline files, leaving out one over 1 MiB', async () => {
    const files = await pipelineFilesFromTar(await upload('ok', { '.slipway.yml': 3, '.slipway/big.yml': 1024 * 1024 + 1, 'Dockerfile': 5 }));
    assert.deepEqual(files, [{ path: '.slipway.yml', text: 'aaa' }]);
  });

  it('refuses more than 100 files or 2 MiB together (a gzipped upload weighs far less)', async () => {
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`.slipway/s${i}.yml`, 1]));
    await assert.rejects(pipelineFilesFromTar(await upload('many', many)), (err) => err instanceof SlipwayError && /101 pipeline files; at most 100/.test(err.message));
    const big = { '.slipway/a.yml': 1024 * 1024, '.slipway/b.yml': 1024 * 1024, '.slipway/c.yml': 1 };
    await assert.rejects(pipelineFilesFromTar(await upload('big', big)), (err) => err instanceof SlipwayError && /2097153 bytes of pipeline files; at most 2 MiB together/.test(err.message));
  });

  it('a path repeated in the tar counts once and its last entry wins; earlier copies are not kept', async () => {
    // `tar -c` names a path once; this is written block by block, 500 copies of the same file (issue 12).
    const blocks: Buffer[] = [];
    for (let i = 0; i < 500; i++) {
      const text = Buffer.from(`# copy ${i}\n`);
      const header = Buffer.alloc(512);
      new tar.Header({ path: '.slipway.yml', size: text.length, type: 'File', mode: 0o644, mtime: new Date(0) }).encode(header);
      blocks.push(header, text, Buffer.alloc(512 - text.length));
    }
    const file = join(root, 'repeated.tar.gz');
    await writeFile(file, gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)])));
    assert.deepEqual(await pipelineFilesFromTar(file), [{ path: '.slipway.yml', text: '# copy 499\n' }]);
  });
});
