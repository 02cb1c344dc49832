// A config change (issue 14): a run that puts the live release out again with the app's config as it is now, through
// the queue like any deploy (health-gated, one deploy per app at a time, put back on failure).

import type { App, Run } from '../core/types.js';
import type { Store } from '../core/ports/store.js';
import type { Enqueue } from './enqueue.js';

export interface ConfigChangeDeps {
  readonly store: Pick<Store, 'liveRelease'>;
  readonly enqueue: Enqueue;
}

/** The run that applies the app's config; null when nothing is live (the next deploy takes the config with it). */
export async function configChanged(d: ConfigChangeDeps, app: App): Promise<Run | null> {
  const live = await d.store.liveRelease(app.name);
  if (live === null) return null;
  return d.enqueue({ app: app.name, source: 'config', ref: null, commit: live.commit });
}
