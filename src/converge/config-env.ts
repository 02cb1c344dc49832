// A release's runtime config as the environment its service runs with (issue 14): each value opened for its app and
// name; values are only ever in the clear inside the service spec the engine receives.

import type { SealedConfig } from '../core/app-config.js';
import { configContext, type Sealer } from '../core/ports/sealer.js';
import type { Store } from '../core/ports/store.js';
import type { Release } from '../core/types.js';

export type ConfigOpener = Pick<Sealer, 'open'>;

export function openConfig(app: string, config: SealedConfig, sealer: ConfigOpener): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([name, v]) => [name, sealer.open(v.sealed, configContext(app, name)).reveal()]));
}

/** The environment of a release's config; {} for a release recorded without one. */
export async function releaseConfigEnv(release: Release, store: Pick<Store, 'getReleaseConfig'>, sealer: ConfigOpener): Promise<Record<string, string>> {
  return openConfig(release.app, await store.getReleaseConfig(release.id), sealer);
}
