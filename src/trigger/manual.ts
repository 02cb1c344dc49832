// A manual run of the head of a branch (default: the app's deploy branch), with parameters for its steps.

import { SlipwayError } from '../core/errors.js';
import type { App, Run } from '../core/types.js';
import type { Enqueue } from './enqueue.js';
import type { GitPort } from '../core/ports/git.js';

export interface ManualDeps {
  readonly repos: Pick<GitPort, 'branchHead'>;
  readonly enqueue: Enqueue;
}

export interface ManualRun {
  /** Default: the app's deploy branch. */
  readonly branch?: string | undefined;
  readonly params?: Readonly<Record<string, string>> | undefined;
}

export async function startManualRun(d: ManualDeps, app: App, request: ManualRun): Promise<Run> {
  const branch = request.branch ?? app.branch;
  // branchHead refuses names git would read as something else (`main~3`, `x@{1}`, `--all`): check-ref-format rules.
  const commit = await d.repos.branchHead(app.name, branch);
  if (commit === null) {
    throw new SlipwayError('not_found', `branch ${branch} has not been pushed to ${app.name}`, { field: 'branch', hint: 'push it first (`git push slipway <branch>`)' });
  }
  return d.enqueue({ app: app.name, source: 'git', ref: `refs/heads/${branch}`, commit, event: 'manual', params: { ...request.params } });
}
