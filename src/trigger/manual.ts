// A manual run of the head of a branch (default: the app's deploy branch), with parameters for its steps.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SlipwayError } from '../core/errors.js';
import type { App, Run } from '../core/types.js';
import type { Enqueue } from './enqueue.js';
import type { GitRepos } from './git-repos.js';

const run = promisify(execFile);

export interface ManualDeps {
  readonly repos: Pick<GitRepos, 'dirOf'>;
  readonly enqueue: Enqueue;
}

export interface ManualRun {
  /** Default: the app's deploy branch. */
  readonly branch?: string | undefined;
  readonly params?: Readonly<Record<string, string>> | undefined;
}

export async function startManualRun(d: ManualDeps, app: App, request: ManualRun): Promise<Run> {
  const branch = request.branch ?? app.branch;
  const commit = await run('git', ['-C', d.repos.dirOf(app.name), 'rev-parse', '--verify', `refs/heads/${branch}^{commit}`]).then(
    (r) => r.stdout.trim(),
    () => {
      throw new SlipwayError('not_found', `branch ${branch} has not been pushed to ${app.name}`, { field: 'branch', hint: 'push it first (`git push slipway <branch>`)' });
    },
  );
  return d.enqueue({ app: app.name, source: 'git', ref: `refs/heads/${branch}`, commit, event: 'manual', params: { ...request.params } });
}
