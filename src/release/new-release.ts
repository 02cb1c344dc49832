// Creates release records: one for the image a run built and pushed, one putting an earlier release back (a rollback).
// Each records the config it runs with (issue 14): a build takes the app's config as it is now, a rollback the
// config its target ran with.

import { sameSealedConfig } from '../core/app-config.js';
import type { Store } from '../core/ports/store.js';
import type { App, Release, Run } from '../core/types.js';
import { configSnapshot, createReleaseWith } from './config-release.js';
import { rollbackTarget } from './rollback-target.js';

/** The release of a digest-pinned image this run pushed, with the app's current port, replicas and config. */
export async function createBuiltRelease(store: Store, app: App, run: Run, image: string): Promise<Release> {
  const config = await configSnapshot(store, app.name);
  return createReleaseWith(store, {
    app: app.name,
    image,
    commit: run.commit,
    runId: run.id,
    spec: { app: app.name, image, port: app.port, replicas: app.replicas, env: {} },
    rollbackOf: null,
  }, config);
}

/** A rollback run's release: the target's image, commit, spec and config again, under a new number (rollback-target.ts chooses). */
export async function createRollbackRelease(store: Store, app: App, run: Run, log: (t: string) => void): Promise<Release> {
  const releases = await store.listReleases(app.name);
  const live = releases.find((r) => r.status === 'live') ?? null;
  const liveConfig = live === null ? {} : await store.getReleaseConfig(live.id);
  const sameConfig = new Set<number>();
  for (const r of releases) if (sameSealedConfig(await store.getReleaseConfig(r.id), liveConfig)) sameConfig.add(r.id);
  const target = rollbackTarget(releases, run.targetRelease, app.name, (r) => sameConfig.has(r.id));
  log(`--> rolling back ${app.name} to release v${target.number} (${target.image})\n`);
  const { releaseNumber: _n, ...spec } = target.spec;
  const config = await store.getReleaseConfig(target.id);
  return createReleaseWith(store, { app: app.name, image: target.image, commit: target.commit, runId: run.id, spec, rollbackOf: target.number }, config);
}
