// A branch or tag was updated (Slipway's git remote or a forge push): the deploy branch always runs (its default
// pipeline deploys); other branches and tags run only their own pipeline file, whose `when` filters decide.

import { SlipwayError } from '../core/errors.js';
import type { App, Run } from '../core/types.js';
import type { Enqueue } from './enqueue.js';
import type { GitPort } from '../core/ports/git.js';
import { pipelineFilesFromGit } from './pipeline-files.js';

export interface PushDeps {
  readonly repos: Pick<GitPort, 'resolveCommit' | 'readFiles'>;
  readonly enqueue: Enqueue;
}

export interface PushResult {
  readonly run: Run | null;
  /** A line for the pusher. */
  readonly note: string;
}

export class PushTrigger {
  constructor(private readonly d: PushDeps) {}

  /** Returns the queued run, if any, and a line for the pusher. */
  async receive(app: App, ref: string, commit: string): Promise<PushResult> {
    const short = ref.replace(/^refs\/(heads|tags)\//, '');
    if (/^0+$/.test(commit)) return { run: null, note: `${ref} deleted; the running release is unchanged` };
    const event = ref.startsWith('refs/tags/') ? 'tag' : 'push';
    if (ref !== `refs/heads/${app.branch}` && !(await this.hasPipeline(app, commit))) {
      return { run: null, note: `${ref} stored; only pushes to ${app.branch} deploy (no pipeline file at this commit)` };
    }
    const run = await this.d.enqueue({ app: app.name, source: 'git', ref, commit: await this.d.repos.resolveCommit(app.name, commit), event });
    return { run, note: `run ${run.id} queued for ${app.name} (${event} ${short} at ${commit.slice(0, 12)})` };
  }

  /**
   * Whether the commit carries its own pipeline file(s). Files that break a cap are pipeline files too: the run is
   * queued and fails with the cap's message, which tells the pusher more than "no pipeline file". Any other error
   * (git itself failing) is not hidden either.
   */
  async hasPipeline(app: App, commit: string): Promise<boolean> {
    try {
      return (await pipelineFilesFromGit(this.d.repos, app.name, commit)).length > 0;
    } catch (err) {
      if (err instanceof SlipwayError && err.kind === 'invalid_input') return true;
      throw err;
    }
  }
}
