// `--role R --app A…` → the grant list the API takes: the role on each app named, or on all apps when none is.

import { ALL_APPS, isRole, ROLES, describeGrants, type Grant, type Role } from '../../../core/access.js';
import { SlipwayError } from '../../../core/errors.js';
import { parseAppName } from '../../../core/names.js';

export const GRANT_FLAGS = {
  role: { type: 'string', parse: parseRole },
  app: { type: 'string', multiple: true },
} as const;

export const GRANT_USAGE = `  --role <role>     owner, admin, deployer or viewer (default viewer)
  --app <app>       the app the role is granted on; repeat for several; none: all apps
`;

export function parseRole(value: string): Role {
  if (!isRole(value)) throw new SlipwayError('invalid_input', `unknown role ${JSON.stringify(value)}`, { field: 'role', hint: `one of ${ROLES.join(', ')}` });
  return value;
}

export function grantsFrom(role: Role | undefined, apps: readonly string[] | undefined): Grant[] {
  const r = role ?? 'viewer';
  if (apps === undefined || apps.length === 0) return [{ role: r, app: ALL_APPS }];
  return apps.map((app) => ({ role: r, app: app === ALL_APPS ? ALL_APPS : parseAppName(app) }));
}

export { describeGrants };
