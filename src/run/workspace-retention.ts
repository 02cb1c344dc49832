// Workspaces kept by failed runs (for a restart from the failed step) are Docker volumes holding a whole checkout
// and build outputs; without a limit every failed run would keep one forever. Each app keeps those of its newest
// KEEP failed runs; older ones are removed and their runs can no longer be restarted (a fresh push still works).

import type { StepBackend } from '../core/ports/step-backend.js';
import type { Store } from '../core/ports/store.js';

export const KEEP_FAILED_WORKSPACES = 3;
/** How far back to look; runs older than this were pruned when they were recent. */
const LOOKBACK_RUNS = 100;

export async function pruneKeptWorkspaces(store: Store, backend: Pick<StepBackend, 'removeWorkspace'>, app: string, warn: (text: string) => void): Promise<void> {
  let kept = 0;
  for (const run of await store.listRuns(app, LOOKBACK_RUNS)) {
    const details = await store.getRunDetails(run.id);
    if (!details?.workspace) continue;
    if (++kept <= KEEP_FAILED_WORKSPACES) continue;
    const volumes = Object.values(JSON.parse(details.workspace) as Record<string, string>);
    try {
      for (const volume of volumes) await backend.removeWorkspace(volume);
      await store.updateRunDetails(run.id, { workspace: null });
    } catch (err) {
      // A volume still in use (a restart of that run is executing) is tried again after the next run.
      warn(`could not remove the kept workspace of run ${run.id}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
}
