// branchHead against a real repository: the head commit of a pushed branch, null for a missing branch or repository.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { branchHead } from './branch-head.js';

const run = promisify(execFile);

describe('branchHead', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-head-'));
    await run('git', ['-C', dir, 'init', '-q', '-b', 'main']);
    await run('git', ['-C', dir, '-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'one']);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('gives the commit at the head of a branch', async () => {
    const { stdout } = await run('git', ['-C', dir, 'rev-parse', 'HEAD']);
    assert.equal(await branchHead(dir, 'main'), stdout.trim());
  });

  it('is null for a branch that does not exist, a flag-like name, or no repository', async () => {
    assert.equal(await branchHead(dir, 'release'), null);
    assert.equal(await branchHead(dir, '--help'), null);
    assert.equal(await branchHead(join(dir, 'nope'), 'main'), null);
  });
});
