// An app's runtime config (issue 14): which keys it may hold, how big it may grow, and its sealed form. No I/O.

import { SlipwayError } from './errors.js';

/** One value as the store keeps it: sealed for (app, 'config', name) whether or not it is secret. */
export interface SealedConfigValue {
  readonly sealed: string;
  /** A secret value is write-only: never listed, never sent to a client. */
  readonly secret: boolean;
}

/** Name → sealed value: an app's desired config, or the config a release ran with. */
export type SealedConfig = Readonly<Record<string, SealedConfigValue>>;

// Environment variable names (the shell's identifier rule), as for secrets; longer than secrets since apps use
// names like SOME_LIBRARY_FEATURE_FLAG_TIMEOUT_MS.
const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** Limits that keep a service spec well under what Swarm accepts and the config readable. */
export const MAX_CONFIG_KEYS = 500;
export const MAX_CONFIG_VALUE_BYTES = 32 * 1024;
/** All values together: the environment shares the kernel's argument limit (ARG_MAX, ~2 MiB) with the command line. */
export const MAX_CONFIG_TOTAL_BYTES = 256 * 1024;

/** Names Slipway sets itself: a config value would be overridden or would break the app's routing. */
export function reservedKeyReason(key: string): string | null {
  if (key === 'PORT') return 'Slipway sets PORT to the app\'s port; change it with `slipway apps set <app> --port N`';
  if (key.toUpperCase().startsWith('SLIPWAY_')) return 'names starting with SLIPWAY_ are Slipway\'s own';
  return null;
}

export function isConfigKey(key: string): boolean {
  return KEY.test(key);
}

/** A key a user may set: an environment variable name that Slipway does not set itself. */
export function parseConfigKey(value: unknown, field = 'key'): string {
  if (typeof value !== 'string' || !isConfigKey(value)) {
    throw new SlipwayError('invalid_input', `invalid config key ${JSON.stringify(value)}`, {
      field,
      hint: 'use letters, digits and _, not starting with a digit, at most 128 characters (e.g. DATABASE_URL)',
    });
  }
  const reserved = reservedKeyReason(value);
  if (reserved !== null) throw new SlipwayError('invalid_input', `config key ${value} is reserved`, { field, hint: reserved });
  return value;
}

/** A value an environment variable can carry: no NUL byte, bounded. */
export function parseConfigValue(value: unknown, key: string): string {
  if (typeof value !== 'string') throw new SlipwayError('invalid_input', `the value of ${key} must be a string`, { field: key });
  if (value.includes('\0')) {
    throw new SlipwayError('invalid_input', `the value of ${key} contains a NUL byte`, { field: key, hint: 'environment variables cannot hold NUL bytes' });
  }
  if (new TextEncoder().encode(value).length > MAX_CONFIG_VALUE_BYTES) {
    throw new SlipwayError('invalid_input', `the value of ${key} is longer than ${MAX_CONFIG_VALUE_BYTES} bytes`, {
      field: key,
      hint: 'keep large data in a volume or a file the app reads; config is for settings',
    });
  }
  return value;
}

/** Whether two sealed configs are the same: each unchanged value keeps its sealed text (the store copies it). */
export function sameSealedConfig(a: SealedConfig, b: SealedConfig): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => b[k] !== undefined && b[k].sealed === a[k]!.sealed && b[k].secret === a[k]!.secret);
}
