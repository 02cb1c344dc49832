import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ensureSafeGit, isSafeGit, parseGitVersion } from './git-version.js';

describe('git version check', () => {
  it('reads what git --version prints', () => {
    assert.deepEqual(parseGitVersion('git version 2.39.5\n'), [2, 39, 5]);
    assert.deepEqual(parseGitVersion('git version 2.43.0.windows.1'), [2, 43, 0]);
    assert.deepEqual(parseGitVersion('git version 3.0'), [3, 0, 0]);
    assert.equal(parseGitVersion('hub version 2.14'), null);
  });

  it('refuses versions without the .gitattributes fixes', () => {
    for (const v of [[2, 39, 0], [2, 38, 9], [1, 99, 99]] as const) assert.equal(isSafeGit(v), false, v.join('.'));
    for (const v of [[2, 39, 1], [2, 39, 5], [2, 40, 0], [3, 0, 0]] as const) assert.equal(isSafeGit(v), true, v.join('.'));
  });

  it('accepts the git on this machine (the real binary)', async () => {
    assert.match(await ensureSafeGit(), /^\d+\.\d+\.\d+$/);
  });
});
