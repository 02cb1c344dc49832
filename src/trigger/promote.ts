// Promote: the same commit as a finished run, again, as a `deploy` event to a named environment (Drone's promote,
// Woodpecker's deployment): `when: { event: deploy/promote, target/environment }` pick the steps. A fork's code never
// reaches a deploy, so a fork run (or a restart of one) is refused.

import { SlipwayError } from '../core/errors.js';
import type { Store } from '../core/ports/store.js';
import type { Run } from '../core/types.js';
import type { Enqueue } from './enqueue.js';

export interface PromoteDeps {
  readonly store: Store;
  readonly enqueue: Enqueue;
}

export async function promote(d: PromoteDeps, r: Run, environment: string): Promise<Run> {
  if (r.source === 'rollback' || r.source === 'config') {
    throw new SlipwayError('conflict', `run ${r.id} is a ${r.source === 'config' ? 'config change' : 'rollback'}; promote a run that built a commit`);
  }
  const details = await d.store.getRunDetails(r.id);
  if (details?.fromFork) {
    throw new SlipwayError('forbidden', `run ${r.id} is a pull request from a fork and cannot be promoted`, {
      hint: 'merge the pull request, then promote a run of the merged commit',
    });
  }
  return d.enqueue({
    app: r.app, source: r.source, ref: r.ref, commit: r.commit, event: 'deploy', params: details?.params ?? {}, target: environment,
    fromFork: false, sourceBranch: details?.sourceBranch ?? null,
  });
}
