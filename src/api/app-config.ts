// What users can do with an app's runtime config (issue 14): list it (secret values never leave), change it (all or
// nothing, sealed at rest, audited without values) and have the change rolled out as a new release of the live image.

import type { ConfigApplied, ConfigChangeResponse, ConfigItem, ConfigReplaceValue, ConfigValueInput } from '../core/api-config.js';
import { MAX_CONFIG_KEYS, MAX_CONFIG_TOTAL_BYTES, isConfigKey, parseConfigKey, parseConfigValue, type SealedConfigValue } from '../core/app-config.js';
import { SlipwayError } from '../core/errors.js';
import { configContext, type Sealer } from '../core/ports/sealer.js';
import type { ConfigEntry, Store } from '../core/ports/store.js';
import type { App } from '../core/types.js';
import type { Apps } from './apps.js';
import type { Triggers } from './triggers.js';

export interface AppConfigDeps {
  readonly store: Store;
  readonly apps: Pick<Apps, 'get'>;
  readonly sealer: Pick<Sealer, 'seal' | 'open'>;
  readonly triggers: Pick<Triggers, 'configChanged'>;
}

export interface ConfigEdit {
  readonly set: Readonly<Record<string, ConfigValueInput>>;
  readonly unset: readonly string[];
  readonly deploy: boolean;
}

export class AppConfigOps {
  constructor(private readonly d: AppConfigDeps) {}

  async list(appName: string): Promise<ConfigItem[]> {
    const app = await this.d.apps.get(appName);
    return this.#items(app.name, await this.d.store.getAppConfig(app.name));
  }

  /** Sets and unsets keys in one change. */
  async change(appName: string, edit: ConfigEdit): Promise<ConfigChangeResponse> {
    const app = await this.d.apps.get(appName);
    const current = new Map((await this.d.store.getAppConfig(app.name)).map((e) => [e.name, e]));
    const set = this.#seal(app.name, edit.set, current);
    const unset = edit.unset.map((k) => {
      if (!isConfigKey(k)) throw new SlipwayError('invalid_input', `invalid config key ${JSON.stringify(k)}`, { field: 'unset' });
      return k;
    });
    if (Object.keys(set).length === 0 && unset.length === 0) {
      throw new SlipwayError('invalid_input', 'the change sets and unsets nothing', { hint: 'name at least one KEY=VALUE to set or KEY to unset' });
    }
    const after = new Set([...current.keys(), ...Object.keys(set)]);
    for (const k of unset) after.delete(k);
    checkCount(after.size);
    this.#checkSize(app.name, [...after].map((k) => ({ ...(set[k] ?? current.get(k)!), name: k })));
    const entries = await this.d.store.changeAppConfig(app.name, { set, unset });
    return this.#changed(app, entries, { set: Object.keys(set), unset, secret: secretNames(set) }, edit.deploy);
  }

  /** Replaces the whole config; a key given without a value keeps its stored one. */
  async replace(appName: string, config: Readonly<Record<string, ConfigReplaceValue>>, deploy: boolean): Promise<ConfigChangeResponse> {
    const app = await this.d.apps.get(appName);
    const current = new Map((await this.d.store.getAppConfig(app.name)).map((e) => [e.name, e]));
    checkCount(Object.keys(config).length);
    const set: Record<string, SealedConfigValue> = {};
    for (const [key, input] of Object.entries(config)) {
      if (input.value !== undefined) {
        Object.assign(set, this.#seal(app.name, { [key]: { value: input.value, ...(input.secret !== undefined && { secret: input.secret }) } }, current));
        continue;
      }
      const kept = current.get(key);
      if (kept === undefined) {
        throw new SlipwayError('invalid_input', `config key ${key} has no value and is not stored yet`, { field: key, hint: 'give it a value' });
      }
      if (input.secret === false && kept.secret) {
        throw new SlipwayError('invalid_input', `config key ${key} is secret; give its value again to make it plain`, { field: key });
      }
      set[key] = { sealed: kept.sealed, secret: input.secret ?? kept.secret };
    }
    this.#checkSize(app.name, Object.entries(set).map(([name, v]) => ({ name, ...v })));
    const entries = await this.d.store.changeAppConfig(app.name, { set, unset: [], replace: true });
    const removed = [...current.keys()].filter((k) => !Object.hasOwn(set, k));
    return this.#changed(app, entries, { set: Object.keys(set), unset: removed, secret: secretNames(set), replace: true }, deploy);
  }

  /** Rolls the live release out with the stored config now (after staged changes). */
  async apply(appName: string): Promise<ConfigChangeResponse> {
    const app = await this.d.apps.get(appName);
    const run = await this.d.triggers.configChanged(app);
    return { config: this.#items(app.name, await this.d.store.getAppConfig(app.name)), applied: run === null ? 'no_live_release' : 'rolling_out', run };
  }

  /** Seals each value for its app and key; `secret` omitted keeps the key's kind (a secret is not made plain by accident). */
  #seal(app: string, input: Readonly<Record<string, ConfigValueInput>>, current: ReadonlyMap<string, ConfigEntry>): Record<string, SealedConfigValue> {
    const out: Record<string, SealedConfigValue> = {};
    for (const [rawKey, v] of Object.entries(input)) {
      const key = parseConfigKey(rawKey, rawKey);
      const value = parseConfigValue(v.value, key);
      out[key] = { sealed: this.d.sealer.seal(value, configContext(app, key)), secret: v.secret ?? current.get(key)?.secret ?? false };
    }
    return out;
  }

  async #changed(app: App, entries: ConfigEntry[], what: Record<string, unknown>, deploy: boolean): Promise<ConfigChangeResponse> {
    // Names only: the audit log never holds a value, secret or not.
    await this.d.store.recordEvent('config.changed', app.name, { ...what, deploy });
    const run = deploy ? await this.d.triggers.configChanged(app) : null;
    const applied: ConfigApplied = !deploy ? 'staged' : run === null ? 'no_live_release' : 'rolling_out';
    return { config: this.#items(app.name, entries), applied, run };
  }

  /** The values together, measured opened (a few hundred at most), against the environment's room. */
  #checkSize(app: string, values: ReadonlyArray<SealedConfigValue & { readonly name: string }>): void {
    const encoder = new TextEncoder();
    let total = 0;
    for (const v of values) {
      total += encoder.encode(this.d.sealer.open(v.sealed, configContext(app, v.name)).reveal()).length + v.name.length + 1;
    }
    if (total > MAX_CONFIG_TOTAL_BYTES) {
      throw new SlipwayError('invalid_input', `an app's config holds at most ${MAX_CONFIG_TOTAL_BYTES / 1024} KiB of values; this change would make ${Math.ceil(total / 1024)} KiB`, {
        hint: 'keep large data in a file or volume the app reads; environment variables share the kernel\'s ~2 MiB argument limit',
      });
    }
  }

  #items(app: string, entries: readonly ConfigEntry[]): ConfigItem[] {
    return entries.map((e) => ({
      name: e.name,
      secret: e.secret,
      value: e.secret ? null : this.d.sealer.open(e.sealed, configContext(app, e.name)).reveal(),
      updatedAt: e.updatedAt,
    }));
  }
}

function checkCount(n: number): void {
  if (n > MAX_CONFIG_KEYS) {
    throw new SlipwayError('invalid_input', `an app's config holds at most ${MAX_CONFIG_KEYS} keys; this change would make ${n}`, {
      hint: 'unset keys the app no longer reads',
    });
  }
}

const secretNames = (set: Record<string, SealedConfigValue>) => Object.keys(set).filter((k) => set[k]!.secret);
