// Every git command Slipway runs, as an argv array, and the one place names are checked before git sees them:
// branch and ref names by git's check-ref-format rules, revisions never read as options (`--end-of-options`),
// remote URLs only after `--` and within GIT_ALLOW_PROTOCOL. Pure: tested by the argv it renders.

import { SlipwayError } from '../../core/errors.js';
import { refNameProblem } from '../../core/names.js';
import { GIT_URL_SCHEMES } from '../../core/ports/git.js';

export { refNameProblem };

/** A branch name (without refs/heads/), as `git branch` would accept it. */
export function branchName(name: string): string {
  const problem = name === 'HEAD' ? 'HEAD is not a branch' : refNameProblem(name);
  if (problem !== null) {
    throw new SlipwayError('invalid_input', `invalid branch name ${JSON.stringify(name)}: ${problem}`, {
      field: 'branch',
      hint: 'name a branch as git does, e.g. main or feature/login (no ~ ^ : ? * [ \\ @{ .. and no leading -)',
    });
  }
  return name;
}

/** A full ref name such as refs/heads/main or refs/pull/7/head. */
export function fullRefName(name: string): string {
  const problem = name.startsWith('refs/') ? refNameProblem(name) : 'it does not start with refs/';
  if (problem !== null) throw new SlipwayError('invalid_input', `invalid ref ${JSON.stringify(name)}: ${problem}`, { field: 'ref' });
  return name;
}

/** A revision (commit id, or one with a `^`/`~n` suffix): never an option, a path lookup or a range. */
export function revision(rev: string): string {
  const bad = rev === '' || rev.length > 256 || rev.startsWith('-') || /[\x00-\x20\x7f:]/.test(rev) || rev.includes('..');
  if (bad) throw new SlipwayError('invalid_input', `invalid commit ${JSON.stringify(rev.slice(0, 80))}`, { field: 'commit', hint: 'give a commit id' });
  return rev;
}

/** An object id as git prints it. */
export function objectId(oid: string): string {
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(oid)) throw new SlipwayError('internal', `unexpected git object id ${JSON.stringify(oid.slice(0, 80))}`);
  return oid;
}

/** A path inside a commit: relative, no `..` part (pathspec magic is off: see listTree). */
function treePath(path: string): string {
  if (path === '' || path.startsWith('/') || path.split('/').includes('..') || /[\x00-\x1f]/.test(path)) {
    throw new SlipwayError('invalid_input', `invalid path ${JSON.stringify(path)}`, { field: 'path' });
  }
  return path;
}

/**
 * GIT_ALLOW_PROTOCOL for every git Slipway runs: whatever URL reaches git (it comes after `--`, so never as an
 * option), git's file and ext transports stay off, also in submodules. URLs are parsed where they enter
 * (the forge connect request); this is the layer that holds if one gets past that.
 */
export const ALLOW_PROTOCOL = GIT_URL_SCHEMES.join(':');

export const argv = {
  init: (dir: string) => ['init', '--bare', '--quiet', dir],
  acceptPushes: (dir: string) => ['-C', dir, 'config', 'http.receivepack', 'true'],
  hasFile: (dir: string, commit: string, path: string) => ['-C', dir, 'cat-file', '-e', '--end-of-options', `${revision(commit)}:${treePath(path)}`],
  hasCommit: (dir: string, commit: string) => ['-C', dir, 'cat-file', '-e', '--end-of-options', `${revision(commit)}^{commit}`],
  resolveCommit: (dir: string, rev: string) => ['-C', dir, 'rev-parse', '--verify', '--quiet', '--end-of-options', `${revision(rev)}^{commit}`],
  branchHead: (dir: string, branch: string) => ['-C', dir, 'rev-parse', '--verify', '--quiet', '--end-of-options', `refs/heads/${branchName(branch)}^{commit}`],
  /** Sizes with -l, NUL-separated; no -r: a folder's direct entries only. Literal pathspecs: no `:(…)` magic. */
  listTree: (dir: string, commit: string, paths: readonly string[]) => ['--literal-pathspecs', '-C', dir, 'ls-tree', '-l', '-z', '--end-of-options', revision(commit), '--', ...paths.map(treePath)],
  readBlob: (dir: string, oid: string) => ['-C', dir, 'cat-file', 'blob', '--end-of-options', objectId(oid)],
  // `--no-renames`: a moved file is changed under both names (path filters see both); `-z`: paths come back
  // unquoted (git quotes non-ASCII and control characters otherwise), NUL-separated.
  changedFiles: (dir: string, before: string, after: string) => ['-C', dir, 'diff', '--name-only', '--no-renames', '-z', '--end-of-options', revision(before), revision(after)],
  commitLog: (dir: string, commit: string) => ['-C', dir, 'log', '-1', '--format=%an <%ae>%n%B', '--end-of-options', revision(commit)],
  describe: (dir: string, commit: string) => ['-C', dir, 'describe', '--tags', '--end-of-options', revision(commit)],
  archive: (dir: string, commit: string) => ['-C', dir, 'archive', '--format=tar', '--end-of-options', revision(commit)],
  fetch: (dir: string, url: string, remoteRef: string, localRef: string) =>
    ['-C', dir, 'fetch', '--quiet', '--no-tags', '--force', '--', url, `+${fullRefName(remoteRef)}:${fullRefName(localRef)}`],
  lsRemote: (url: string) => ['ls-remote', '--heads', '--', url],
  httpBackend: () => ['http-backend'],
} as const;
