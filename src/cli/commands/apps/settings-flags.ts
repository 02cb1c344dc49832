// The app settings both `apps create` and `apps set` take as flags, bound into the API's request shape.

import type { UpdateAppRequest } from '../../../core/api.js';
import { parseConcurrency, parsePort, parseReplicas } from '../../../core/names.js';
import { wholeNumber } from '../../flags.js';

export const APP_SETTING_FLAGS = {
  domain: { type: 'string' },
  port: { type: 'string' },
  replicas: { type: 'string' },
  branch: { type: 'string' },
  concurrency: { type: 'string' },
} as const;

/** Only the flags given: absent ones are left out, so the server's defaults (create) or current values (set) apply. */
export function appSettingsFrom(values: { readonly [K in keyof typeof APP_SETTING_FLAGS]?: string }): UpdateAppRequest {
  return {
    ...(values.domain === undefined ? {} : { domain: values.domain }),
    ...(values.port === undefined ? {} : { port: parsePort(values.port) }),
    ...(values.replicas === undefined ? {} : { replicas: parseReplicas(wholeNumber(values.replicas, 'replicas')) }),
    ...(values.branch === undefined ? {} : { branch: values.branch }),
    ...(values.concurrency === undefined ? {} : { concurrency: parseConcurrency(wholeNumber(values.concurrency, 'concurrency')) }),
  };
}
