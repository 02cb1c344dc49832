import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../core/errors.js';
import { argv, branchName, refNameProblem } from './argv.js';

const C = 'a'.repeat(40);

describe('git argv', () => {
  it('puts --end-of-options before every revision, so none is read as an option', () => {
    assert.deepEqual(argv.branchHead('/r', 'main'), ['-C', '/r', 'rev-parse', '--verify', '--quiet', '--end-of-options', 'refs/heads/main^{commit}']);
    assert.deepEqual(argv.archive('/r', C), ['-C', '/r', 'archive', '--format=tar', '--end-of-options', C]);
    assert.deepEqual(argv.changedFiles('/r', `${C}^`, C), ['-C', '/r', 'diff', '--name-only', '--no-renames', '-z', '--end-of-options', `${C}^`, C]);
    assert.deepEqual(argv.listTree('/r', C, ['.slipway/']), ['--literal-pathspecs', '-C', '/r', 'ls-tree', '-l', '-z', '--end-of-options', C, '--', '.slipway/']);
    for (const build of [argv.commitLog, argv.describe, argv.archive, argv.resolveCommit, argv.hasCommit]) {
      const args = build('/r', C);
      assert.equal(args[args.indexOf('--end-of-options') + 1]?.startsWith(C), true);
    }
  });

  it('puts a remote URL after --, and checks both refs of a fetch', () => {
    assert.deepEqual(argv.fetch('/r', 'https://x/y.git', 'refs/pull/7/head', 'refs/pull/7/head'), ['-C', '/r', 'fetch', '--quiet', '--no-tags', '--force', '--', 'https://x/y.git', '+refs/pull/7/head:refs/pull/7/head']);
    assert.deepEqual(argv.lsRemote('--upload-pack=touch /tmp/x'), ['ls-remote', '--heads', '--', '--upload-pack=touch /tmp/x']);
    assert.throws(() => argv.fetch('/r', 'https://x/y.git', 'refs/heads/a:b', 'refs/heads/a'), (err) => err instanceof SlipwayError && err.field === 'ref');
    assert.throws(() => argv.fetch('/r', 'https://x/y.git', 'refs/heads/a', 'main'), (err) => err instanceof SlipwayError && err.field === 'ref');
  });

  it('refuses revisions that look like options, ranges or path lookups, and paths that climb out', () => {
    for (const bad of ['--output=/tmp/x', '-p', 'a..b', 'HEAD:Dockerfile', 'a b', '', 'x\n']) {
      assert.throws(() => argv.commitLog('/r', bad), (err) => err instanceof SlipwayError && err.kind === 'invalid_input' && err.field === 'commit', bad);
    }
    assert.throws(() => argv.hasFile('/r', C, '../etc/passwd'), (err) => err instanceof SlipwayError && err.field === 'path');
    assert.throws(() => argv.readBlob('/r', '--batch'), SlipwayError);
  });

  it('follows git check-ref-format for branch names', () => {
    for (const good of ['main', 'feature/login', 'release-1.2', 'v1.0_rc', 'a.b/c-d', 'UPPER', 'ü']) assert.equal(branchName(good), good);
    const bad: Record<string, RegExp> = {
      'main~3': /~/, 'x^': /\^/, 'x@{1}': /@\{/, '@': /is @/, HEAD: /HEAD/, '--help': /starts with -/, 'a..b': /\.\./,
      'a b': /space/, 'a:b': /:/, 'a?': /\?/, 'a*': /\*/, 'a[': /\[/, 'a\\b': /\\/, '.x': /starts with \./, 'x/.y': /starts with \./,
      'x.lock': /\.lock/, 'x/': /slashes/, '/x': /slashes/, 'a//b': /slashes/, 'x.': /ends with \./, '': /empty/, 'a\x7fb': /control/,
    };
    for (const [name, why] of Object.entries(bad)) {
      assert.throws(() => branchName(name), (err) => err instanceof SlipwayError && err.field === 'branch' && why.test(err.message), name);
    }
    assert.equal(refNameProblem('x'.repeat(256)), 'it is longer than 255 characters');
  });
});
