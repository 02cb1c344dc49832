// The in-memory Store's app config and release configs, with the SQLite store's semantics.

import type { SealedConfig } from '../../core/app-config.js';
import type { ConfigEntry, Store } from '../../core/ports/store.js';
import { notFound } from './checks.js';
import { checkConfigChange, checkSealedConfig, configKeyNotFound, releaseConfigExists, releaseNotFound } from './checks-app-config.js';

type AppConfigMethods = Pick<Store, 'getAppConfig' | 'changeAppConfig' | 'setReleaseConfig' | 'getReleaseConfig'>;

export interface MemoryAppConfig {
  readonly methods: AppConfigMethods;
  /** deleteApp calls this: the config goes with its app. */
  deleteApp(name: string): void;
}

const byName = (a: ConfigEntry, b: ConfigEntry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function createMemoryAppConfig(deps: { now(): string; hasApp(name: string): boolean; hasRelease(id: number): boolean }): MemoryAppConfig {
  const configs = new Map<string, Map<string, ConfigEntry>>();
  const releases = new Map<number, SealedConfig>();
  const list = (app: string) => [...(configs.get(app)?.values() ?? [])].sort(byName).map((e) => ({ ...e }));
  const methods: AppConfigMethods = {
    async getAppConfig(app) {
      return list(app);
    },
    async changeAppConfig(app, change) {
      checkConfigChange(change);
      if (!deps.hasApp(app)) throw notFound(`app ${JSON.stringify(app)}`, 'app');
      const current = configs.get(app) ?? new Map<string, ConfigEntry>();
      const missing = change.unset.find((k) => !current.has(k));
      if (missing !== undefined) throw configKeyNotFound(app, missing);
      const next = new Map(change.replace === true ? [] : current);
      for (const k of change.unset) next.delete(k);
      const at = deps.now();
      for (const [name, v] of Object.entries(change.set)) next.set(name, { name, sealed: v.sealed, secret: v.secret, updatedAt: at });
      configs.set(app, next);
      return list(app);
    },
    async setReleaseConfig(releaseId, config) {
      checkSealedConfig(config);
      if (!deps.hasRelease(releaseId)) throw releaseNotFound(releaseId);
      if (releases.has(releaseId)) throw releaseConfigExists(releaseId);
      releases.set(releaseId, structuredClone(config));
    },
    async getReleaseConfig(releaseId) {
      return structuredClone(releases.get(releaseId) ?? {});
    },
  };
  return { methods, deleteApp: (name) => configs.delete(name) };
}
