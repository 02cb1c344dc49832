// One schema per route that takes a body or a query (see core/api.ts for the contract): strict objects, so an unknown
// key is refused by name; names, domains, ports and branches keep the checks and hints of core/names.ts.

import { z } from 'zod';
import { SlipwayError } from '../../core/errors.js';
import { isEnvName, parseAppName, parseBranch, parseConcurrency, parseDomain, parsePort, parseReplicas } from '../../core/names.js';
import { parseRepoUrl } from '../../trigger/forge/repo-url.js';
import { checkedBy } from './body.js';

/** POST /api/apps. */
export const createAppBody = z.strictObject({
  name: checkedBy(parseAppName),
  domain: checkedBy(parseDomain),
  port: checkedBy(parsePort).optional(),
  replicas: checkedBy(parseReplicas).optional(),
  branch: checkedBy(parseBranch).optional(),
  concurrency: checkedBy(parseConcurrency).optional(),
});
export type CreateAppInput = z.output<typeof createAppBody>;

/** PATCH /api/apps/:app. */
export const updateAppBody = createAppBody.omit({ name: true }).partial();
export type UpdateAppInput = z.output<typeof updateAppBody>;

/** POST /api/apps/:app/deploy?label=… (the body is the tarball). */
export const uploadQuery = z.strictObject({ label: z.string().max(200).optional() });

/** POST /api/apps/:app/rollback. */
export const rollbackBody = z.strictObject({
  release: checkedBy((value) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new SlipwayError('invalid_input', `invalid release ${JSON.stringify(value)}`, { field: 'release', hint: 'give a release number such as 3' });
    }
    return value;
  }).optional(),
});

/** POST /api/runs/:id/promote. */
export const promoteBody = z.strictObject({
  environment: checkedBy((value) => {
    if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(value)) {
      throw new SlipwayError('invalid_input', `invalid environment ${JSON.stringify(value)}`, {
        field: 'environment',
        hint: 'name the environment to promote to, e.g. {"environment":"production"}',
      });
    }
    return value;
  }),
});

/** POST /api/apps/:app/runs: a manual run. */
export const manualRunBody = z.strictObject({
  branch: checkedBy(parseBranch).optional(),
  params: z.record(z.string(), z.string()).optional().check((ctx) => {
    for (const key of Object.keys(ctx.value ?? {})) {
      if (isEnvName(key)) continue;
      ctx.issues.push({
        code: 'custom', input: ctx.value, path: [key], message: `invalid parameter ${JSON.stringify(key)}`,
        params: { hint: 'use NAME=value pairs; NAME is letters, digits and _' },
      });
    }
  }),
});

/** PUT /api/apps/:app/secrets. */
export const secretBody = z.strictObject({
  name: z.string(),
  value: z.string().min(1, 'a secret needs a non-empty value'),
});

/** PUT /api/apps/:app/schedules. */
export const scheduleBody = z.strictObject({
  name: z.string(),
  expr: z.string(),
  /** null or absent: the app's deploy branch. */
  branch: checkedBy((value) => (value === null ? null : parseBranch(value))).optional(),
});

/** PUT /api/apps/:app/repo. */
export const connectRepoBody = z.strictObject({
  repo: checkedBy(parseRepoUrl),
  token: checkedBy(optionalText('token', 'an access token with read access to the repository')).optional(),
  webhookSecret: checkedBy(optionalText('webhookSecret', 'at least 16 characters')).optional(),
});
export type ConnectRepoInput = z.output<typeof connectRepoBody>;

/** POST /internal/git/received: what the post-receive hook (trigger/git-repos.ts) reports. */
export const receivedBody = z.strictObject({
  app: z.string(),
  updates: z.array(z.strictObject({ oldSha: z.string().optional(), newSha: z.string(), ref: z.string() })),
});

function optionalText(field: string, expected: string): (value: unknown) => string | null {
  return (value) => {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string' || value.trim() === '' || value.length > 4096 || /[\r\n\0]/.test(value)) {
      throw new SlipwayError('invalid_input', `invalid ${field}: expected ${expected}`, { field });
    }
    return value;
  };
}

// Queries of the reading routes: only the known keys; their values are read as before (anything but "1" is off, a
// tail or limit that is not a number takes the default).

/** GET /api/apps/:app/logs. */
export const appLogsQuery = z.strictObject({ follow: z.string().optional(), tail: z.string().optional() });
/** GET /api/runs/:id/logs and /api/runs/:id/steps/:pipeline/:step/logs. */
export const followQuery = z.strictObject({ follow: z.string().optional() });
/** GET /api/runs/:id/events. */
export const runEventsQuery = z.strictObject({ replay: z.string().optional() });
/** GET /api/events. */
export const eventsQuery = z.strictObject({ limit: z.string().optional() });
