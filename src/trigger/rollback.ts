// A rollback: a run that puts an earlier release back (default: the one before the live release). It builds nothing,
// so it carries no commit, branch or fork; the run stage picks the release and runs its rollback steps.

import type { App, Run } from '../core/types.js';
import type { Enqueue } from './enqueue.js';

export function rollback(enqueue: Enqueue, app: App, release: number | null): Promise<Run> {
  return enqueue({ app: app.name, source: 'rollback', ref: null, commit: '', targetRelease: release });
}
