// A run cut off by a restart during its rollout: which release it resumes, and whether that release was replaced
// while Slipway was down (then it is not put back).

import type { Store } from '../core/ports/store.js';
import type { Release, Run } from '../core/types.js';
import { newerLiveRelease } from './superseded.js';

/** The release the run was rolling out when Slipway stopped, or null when it was not in its deploy phase. */
export async function resumedRelease(store: Pick<Store, 'getReleaseById'>, run: Run, log: (t: string) => void): Promise<Release | null> {
  if (run.phase !== 'deploy' || run.releaseId === null) return null;
  const release = await store.getReleaseById(run.releaseId);
  if (release) log(`--> Slipway restarted during this deploy; resuming release v${release.number}\n`);
  return release;
}

/**
 * Whether a release a restarted run would resume was replaced while Slipway was down or before this run got the
 * deploy lock: a later release went live over it (it is superseded or rolled back), or, for one that never finished
 * going out, a run queued later has put its own release live (then it is recorded failed). Putting it back would
 * put older code live.
 */
export async function replacedMeanwhile(store: Store, release: Release, run: Run, log: (t: string) => void): Promise<boolean> {
  if (release.status === 'superseded' || release.status === 'rolled_back') {
    log(`--> release v${release.number} was replaced by a later one while this run was cut off; not putting it back\n`);
    return true;
  }
  if (release.status === 'live') return false;
  const newer = await newerLiveRelease(store, run.app, run.id);
  if (newer === null) return false;
  log(`--> run ${newer.runId}, queued after this one, has put release v${newer.number} live; release v${release.number} is not resumed\n`);
  await store.setReleaseStatus(release.id, 'failed');
  return true;
}
