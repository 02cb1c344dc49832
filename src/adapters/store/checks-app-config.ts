// Argument checks of the app-config methods, shared by both stores so the fake refuses what SQLite refuses.

import { isConfigKey, type SealedConfig } from '../../core/app-config.js';
import { SlipwayError } from '../../core/errors.js';
import type { ConfigChange } from '../../core/ports/store.js';
import { checkSealed, notFound } from './checks.js';

export function checkConfigKey(name: string): string {
  if (!isConfigKey(name)) {
    throw new SlipwayError('invalid_input', `invalid config key ${JSON.stringify(name)}`, {
      field: 'name',
      hint: 'use letters, digits and _, not starting with a digit, at most 128 characters (e.g. DATABASE_URL)',
    });
  }
  return name;
}

export function checkSealedConfig(config: SealedConfig): void {
  for (const [name, value] of Object.entries(config)) {
    checkConfigKey(name);
    checkSealed(value.sealed);
    if (typeof value.secret !== 'boolean') throw new SlipwayError('invalid_input', `config ${name}: secret must be true or false`, { field: 'secret' });
  }
}

export function checkConfigChange(change: ConfigChange): void {
  checkSealedConfig(change.set);
  change.unset.forEach(checkConfigKey);
  if (change.replace === true && change.unset.length > 0) {
    throw new SlipwayError('invalid_input', 'a replacing config change names no keys to unset', { field: 'unset' });
  }
  const both = change.unset.find((k) => Object.hasOwn(change.set, k));
  if (both !== undefined) throw new SlipwayError('invalid_input', `config key ${both} is both set and unset`, { field: 'name' });
}

export function configKeyNotFound(app: string, name: string): SlipwayError {
  return new SlipwayError('not_found', `app ${JSON.stringify(app)} has no config key ${name}`, {
    field: 'name',
    hint: `list its config with \`slipway config list ${app}\``,
  });
}

export function releaseConfigExists(releaseId: number): SlipwayError {
  return new SlipwayError('conflict', `release id ${releaseId} already has its config recorded`, { field: 'releaseId' });
}

export const releaseNotFound = (releaseId: number) => notFound(`release id ${releaseId}`, 'releaseId');
