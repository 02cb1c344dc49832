// The one place a SlipwayError becomes an HTTP response (status from the error kind, JSON body).

import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { asSlipwayError, httpStatusOf } from '../../core/errors.js';
import { retryAfterOf } from '../rate-limit.js';

export function errorResponse(err: unknown, c: Context): Response {
  const e = asSlipwayError(err);
  if (e.kind === 'internal' || e.kind === 'dependency') {
    // Details for the operator; the message is already free of secrets (Secret prints ***).
    process.stderr.write(`slipway: ${c.req.method} ${c.req.path}: ${e.message}\n`);
  }
  const headers: Record<string, string> = {};
  const retryAfter = retryAfterOf(e);
  if (retryAfter !== null) headers['Retry-After'] = String(retryAfter);
  if (e.kind === 'unauthorized') headers['WWW-Authenticate'] = c.req.path.startsWith('/git/') ? 'Basic realm="Slipway"' : 'Bearer';
  return c.json(e.toJSON(), httpStatusOf(e.kind) as ContentfulStatusCode, headers);
}
