// Creates release records: one for the image a run built and pushed, one putting an earlier release back (a rollback).

import type { Store } from '../core/ports/store.js';
import type { App, Release, Run } from '../core/types.js';
import { rollbackTarget } from './rollback-target.js';

/** The release of a digest-pinned image this run pushed, with the app's current port and replicas. */
export function createBuiltRelease(store: Store, app: App, run: Run, image: string): Promise<Release> {
  return store.createRelease({
    app: app.name,
    image,
    commit: run.commit,
    runId: run.id,
    spec: { app: app.name, image, port: app.port, replicas: app.replicas, env: {} },
    rollbackOf: null,
  });
}

/** A rollback run's release: the target's image, commit and spec again, under a new number (rollback-target.ts chooses). */
export async function createRollbackRelease(store: Store, app: App, run: Run, log: (t: string) => void): Promise<Release> {
  const target = rollbackTarget(await store.listReleases(app.name), run.targetRelease, app.name);
  log(`--> rolling back ${app.name} to release v${target.number} (${target.image})\n`);
  const { releaseNumber: _n, ...spec } = target.spec;
  return store.createRelease({ app: app.name, image: target.image, commit: target.commit, runId: run.id, spec, rollbackOf: target.number });
}
