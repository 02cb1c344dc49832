// Config is part of a release (issue 14): the snapshot a new release takes of the app's config, and the release a
// config change makes (the live release's image and spec again, with the app's config as it is now).

import { sameSealedConfig, type SealedConfig } from '../core/app-config.js';
import { SlipwayError } from '../core/errors.js';
import type { NewRelease, Store } from '../core/ports/store.js';
import type { App, Release, Run } from '../core/types.js';

type ConfigStore = Pick<Store, 'getAppConfig' | 'createRelease' | 'setReleaseConfig'>;
type ConfigRunStore = ConfigStore & Pick<Store, 'liveRelease' | 'getReleaseConfig'>;

/** The app's desired config as a release records it: the sealed values copied as they are (so unchanged keys compare equal). */
export async function configSnapshot(store: Pick<Store, 'getAppConfig'>, app: string): Promise<SealedConfig> {
  const entries = await store.getAppConfig(app);
  return Object.fromEntries(entries.map((e) => [e.name, { sealed: e.sealed, secret: e.secret }]));
}

/** Records a release with the config it runs with; written before the run records its deploy phase. */
export async function createReleaseWith(store: ConfigStore, release: NewRelease, config: SealedConfig): Promise<Release> {
  const created = await store.createRelease(release);
  await store.setReleaseConfig(created.id, config);
  return created;
}

/**
 * A config run's release: what is live now, with the app's current config. Null when the live release already runs
 * with that config (two changes queued back to back: the first run applied both). Nothing live: a conflict.
 */
export async function createConfigRelease(store: ConfigRunStore, app: App, run: Run, log: (t: string) => void): Promise<Release | null> {
  const live = await store.liveRelease(app.name);
  if (live === null) {
    throw new SlipwayError('conflict', `app ${app.name} has no live release to apply its config to`, {
      hint: 'the config is stored and applies with the next deploy (git push or `slipway deploy`)',
    });
  }
  const config = await configSnapshot(store, app.name);
  const unchanged = live.spec.port === app.port && live.spec.replicas === app.replicas && sameSealedConfig(await store.getReleaseConfig(live.id), config);
  if (unchanged) {
    log(`--> release v${live.number} already runs with the config of ${app.name}; nothing to roll out\n`);
    return null;
  }
  log(`--> applying the config of ${app.name} (${Object.keys(config).length} key(s)) to release v${live.number}'s image (${live.image})\n`);
  // The app's current port and replicas, like a build: a config release is "what is live, with today's settings".
  const spec = { app: app.name, image: live.image, port: app.port, replicas: app.replicas, env: live.spec.env };
  return createReleaseWith(store, { app: app.name, image: live.image, commit: live.commit, runId: run.id, spec, rollbackOf: null }, config);
}
