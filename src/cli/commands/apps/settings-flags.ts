// The app settings both `apps create` and `apps set` take as flags, bound into the API's request shape.

import type { UpdateAppRequest } from '../../../core/api.js';
import { parseConcurrency, parsePort, parseReplicas } from '../../../core/names.js';
import { wholeNumber } from '../../flags.js';

/** Checked as the server checks them, so a typo fails before any request. Domain and branch the server checks. */
export const APP_SETTING_FLAGS = {
  domain: { type: 'string' },
  port: { type: 'string', parse: (v: string) => parsePort(v) },
  replicas: { type: 'string', parse: (v: string) => parseReplicas(wholeNumber(v, 'replicas')) },
  branch: { type: 'string' },
  concurrency: { type: 'string', parse: (v: string) => parseConcurrency(wholeNumber(v, 'concurrency')) },
} as const;

/** Only the flags given: absent ones are left out, so the server's defaults (create) or current values (set) apply. */
export function appSettingsFrom(values: { [K in keyof UpdateAppRequest]?: UpdateAppRequest[K] | undefined }): UpdateAppRequest {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as UpdateAppRequest;
}
