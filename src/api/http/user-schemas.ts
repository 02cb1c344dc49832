// Schemas of the user, session, token and audit routes (strict: an unknown key is refused by name).

import { z } from 'zod';
import { ALL_APPS, isRole, ROLES, type Grant } from '../../core/access.js';
import { SlipwayError } from '../../core/errors.js';
import { parseAppName } from '../../core/names.js';
import { parseUserName } from '../users.js';
import { checkedBy } from './body.js';

function parseGrants(value: unknown): Grant[] {
  const fail = (what: string) => new SlipwayError('invalid_input', `invalid grants: ${what}`, { field: 'grants', hint: `a list of { role, app }: roles ${ROLES.join(', ')}; app a name or "*"` });
  if (!Array.isArray(value) || value.length > 100) throw fail('not a list of at most 100');
  return value.map((g: unknown) => {
    if (typeof g !== 'object' || g === null) throw fail('not an object');
    const { role, app, ...rest } = g as Record<string, unknown>;
    if (Object.keys(rest).length > 0) throw fail(`unknown field ${JSON.stringify(Object.keys(rest)[0])}`);
    if (typeof role !== 'string' || !isRole(role)) throw fail(`unknown role ${JSON.stringify(role)}`);
    return { role, app: app === ALL_APPS ? ALL_APPS : parseAppName(app) };
  });
}

const password = z.string().max(1024);
const grants = checkedBy(parseGrants);

/** POST /api/session. */
export const signInBody = z.strictObject({
  name: z.string().max(63),
  password,
  totp: z.string().max(10).optional(),
  client: z.enum(['dashboard', 'cli']).optional(),
});

/** PUT /api/me/password. */
export const ownPasswordBody = z.strictObject({ current: password, password });

/** POST /api/users. */
export const addUserBody = z.strictObject({ name: checkedBy((v) => parseUserName(v)), password, grants });
/** PATCH /api/users/:user. */
export const userGrantsBody = z.strictObject({ grants });
/** PUT /api/users/:user/password. */
export const passwordBody = z.strictObject({ password });

/** POST /api/tokens. */
export const createTokenBody = z.strictObject({ name: checkedBy((v) => parseUserName(v)), grants, expires: z.string().max(10).optional() });

/** GET /api/audit. */
export const auditQuery = z.strictObject({ app: z.string().max(63).optional(), limit: z.string().regex(/^[0-9]{1,4}$/).optional() });
