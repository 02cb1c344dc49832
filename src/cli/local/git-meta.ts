// The RunMeta of a local run: commit, branch, tag and message from the directory's git checkout (argv, no shell), else placeholders.

import { parseCommitLog } from '../../adapters/git/convert.js';
import { gitOrNull } from '../../adapters/git/exec.js';
import { SlipwayError } from '../../core/errors.js';
import type { RunMeta } from '../../core/plan.js';

export type LocalEvent = 'push' | 'tag' | 'manual';
export const LOCAL_EVENTS: readonly LocalEvent[] = ['push', 'tag', 'manual'];

/** Runs `git <args>` in `cwd`; its trimmed stdout, or null when git fails (not a checkout, no commits, no git). */
export type Git = (args: readonly string[], cwd: string) => Promise<string | null>;

export const runGit: Git = (args, cwd) => gitOrNull(args, { cwd, maxBuffer: 4 * 1024 * 1024 });

/** Stands in for the commit outside a git checkout. */
export const NO_COMMIT = '0'.repeat(40);
const DEFAULT_BRANCH = 'main';

export interface LocalMetaOptions {
  /** CI_REPO / DRONE_REPO: the directory's name. */
  readonly app: string;
  readonly event: LocalEvent;
  /** --branch; default the checked-out branch, else "main". */
  readonly branch: string | null;
  /** --tag; default the tag on HEAD (a tag event needs one). */
  readonly tag: string | null;
  readonly params: Readonly<Record<string, string>>;
}

export interface LocalMeta {
  readonly meta: RunMeta;
  /** Whether commit and branch came from a git checkout (else they are placeholders). */
  readonly fromGit: boolean;
}

export async function localRunMeta(dir: string, options: LocalMetaOptions, git: Git = runGit): Promise<LocalMeta> {
  const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD'], dir);
  const commit = head !== null && /^[0-9a-f]{40,64}$/.test(head) ? head : null;
  const fromGit = commit !== null;
  const at = async (args: readonly string[]) => (fromGit ? await git(args, dir) : null);
  const checkedOut = await at(['rev-parse', '--abbrev-ref', 'HEAD']);
  const currentBranch = checkedOut === null || checkedOut === '' || checkedOut === 'HEAD' ? null : checkedOut;
  let tag: string | null = null;
  if (options.event === 'tag') {
    tag = options.tag ?? nonEmpty(await at(['describe', '--tags', '--exact-match', 'HEAD']));
    if (tag === null) {
      throw new SlipwayError('invalid_input', fromGit ? 'HEAD has no tag to run a tag event for' : 'a tag event needs a tag, and this is not a git checkout', {
        field: 'tag',
        hint: 'give one with --tag, e.g. --tag v1.2.3',
      });
    }
  }
  const branch = options.event === 'tag' ? options.branch : (options.branch ?? currentBranch ?? DEFAULT_BRANCH);
  const { author, message } = parseCommitLog((await at(['log', '-1', '--format=%an <%ae>%n%B', 'HEAD'])) ?? '', null);
  const meta: RunMeta = {
    app: options.app,
    runNumber: 1,
    event: options.event,
    commit: commit ?? NO_COMMIT,
    ref: tag !== null ? `refs/tags/${tag}` : branch !== null ? `refs/heads/${branch}` : null,
    branch,
    tag,
    target: null,
    // Unknown: `when.path` filters then match, as for a first push.
    changedFiles: null,
    cronName: null,
    params: options.params,
    commitMessage: message,
    author,
    fromFork: false,
    describe: nonEmpty(await at(['describe', '--tags', 'HEAD'])),
  };
  return { meta, fromGit };
}

function nonEmpty(text: string | null): string | null {
  return text === null || text === '' ? null : text;
}
