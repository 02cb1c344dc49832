// Who may do what: the four roles, grants (a role on one app or on all), and what an action needs (issue 12).

export const ROLES = ['viewer', 'deployer', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

/** A role on one app, or on every app ('*'). A principal holds a list of them. */
export interface Grant {
  readonly role: Role;
  readonly app: string;
}

export const ALL_APPS = '*';

/** What a route needs. 'public': no credentials; 'signed-in': any valid credentials (the route itself filters what
 *  it shows by the grants); the rest: a role at least that strong, on the route's app (or on all apps). */
export type Needs = 'public' | 'signed-in' | 'read' | 'deploy' | 'admin' | 'owner';

/** The weakest role that allows each level. Ranks: viewer < deployer < admin < owner. */
const RANK: Record<Role, number> = { viewer: 1, deployer: 2, admin: 3, owner: 4 };
const NEEDED: Record<Exclude<Needs, 'public' | 'signed-in'>, number> = { read: 1, deploy: 2, admin: 3, owner: 4 };

/** Who is asking: a user's session or an API token, with its grants. */
export interface Principal {
  /** The user's name for sessions; the token's name for API tokens. */
  readonly name: string;
  readonly kind: 'session' | 'api';
  readonly tokenId: number;
  readonly grants: readonly Grant[];
}

/** Does one of the grants allow `needs` on `app` (null: an action over all apps, which needs a '*' grant)? */
export function allows(grants: readonly Grant[], needs: Needs, app: string | null): boolean {
  if (needs === 'public' || needs === 'signed-in') return true;
  const level = NEEDED[needs];
  return grants.some((g) => RANK[g.role] >= level && (g.app === ALL_APPS || (app !== null && g.app === app)));
}

/** May these grants read this app at all (lists show only such apps)? */
export const canRead = (grants: readonly Grant[], app: string | null): boolean => allows(grants, 'read', app);

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** "owner on *", "deployer on web": for lists and messages. */
export const describeGrants = (grants: readonly Grant[]): string =>
  grants.length === 0 ? 'no grants' : grants.map((g) => `${g.role} on ${g.app === ALL_APPS ? 'all apps' : g.app}`).join(', ');
