// A manual run starts at the head of a branch; the branch name is checked like git's check-ref-format (issue 12).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { GitRepos } from '../adapters/git/repos.js';
import { SlipwayError } from '../core/errors.js';
import type { NewRun } from '../core/ports/store.js';
import type { App, Run } from '../core/types.js';
import { startManualRun, type ManualDeps, type ManualRun } from './manual.js';

const exec = promisify(execFile);

describe('startManualRun', () => {
  let root = '';
  let manual: (request: ManualRun) => Promise<Run>;
  const queued: NewRun[] = [];
  const commits: string[] = [];
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipway-manual-'));
    const repos = new GitRepos(join(root, 'git'));
    await repos.ensure('web');
    const work = join(root, 'work');
    await exec('git', ['init', '-q', '-b', 'main', work]);
    for (const message of ['one', 'two', 'three', 'four']) {
      await exec('git', ['-C', work, '-c', 'user.name=t', '-c', 'user.email=t@slipway.test', 'commit', '-q', '--allow-empty', '-m', message]);
      commits.push((await exec('git', ['-C', work, 'rev-parse', 'HEAD'])).stdout.trim());
      await exec('git', ['-C', work, 'push', '-q', repos.dirOf('web'), 'HEAD:refs/heads/main']);
    }
    const d: ManualDeps = {
      repos,
      enqueue: async (run) => {
        queued.push(run);
        return run as unknown as Run;
      },
    };
    manual = (request) => startManualRun(d, { name: 'web', branch: 'main' } as App, request);
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('runs the head of the branch', async () => {
    await manual({ branch: 'main', params: { X: '1' } });
    assert.deepEqual(queued.pop(), { app: 'web', source: 'git', ref: 'refs/heads/main', commit: commits[3], event: 'manual', params: { X: '1' } });
  });

  it('refuses a revision or a flag where a branch belongs, instead of running another commit', async () => {
    for (const branch of ['main~3', 'main^', 'main@{1}', '--all', 'main..x']) {
      await assert.rejects(manual({ branch }), (err) => err instanceof SlipwayError && err.kind === 'invalid_input' && err.field === 'branch', branch);
    }
    assert.deepEqual(queued, []);
  });

  it('says a branch was not pushed', async () => {
    await assert.rejects(manual({ branch: 'release' }), (err) => err instanceof SlipwayError && err.kind === 'not_found' && err.field === 'branch');
  });
});
