// The middleware in front of every route: finds the route Hono matched, looks its rule up in the one table
// (api/authz.ts), authenticates, checks the grants on the route's app, and audits every change it lets through.

import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { allows, type Needs, type Principal } from '../../core/access.js';
import { SlipwayError } from '../../core/errors.js';
import type { Store } from '../../core/ports/store.js';
import type { Authenticator } from '../auth.js';
import { ruleKey, RULES, type Rule } from '../authz.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** Who is asking; null on public routes. Set by the guard before any handler runs. */
    principal: Principal | null;
  }
}

export interface GuardDeps {
  readonly auth: Authenticator;
  readonly store: Pick<Store, 'getRun' | 'recordEvent'>;
  readonly warn: (line: string) => void;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const guards = new WeakSet<object>();

/** Is this handler the guard itself (so a route list can leave it out)? */
export const isGuard = (handler: unknown): boolean => typeof handler === 'function' && guards.has(handler);

export function authzGuard(d: GuardDeps): MiddlewareHandler {
  const guard: MiddlewareHandler = async (c, next) => {
    const index = matchedRoutes(c).findIndex((r) => !guards.has(r.handler));
    const route = index === -1 ? undefined : matchedRoutes(c)[index];
    const address = remoteAddress(c);
    if (route === undefined) {
      // Nothing answers but "no route": an API caller must still be signed in to learn that.
      if (c.req.path.startsWith('/api/')) await d.auth.principal(c.req.header('authorization'), address);
      return next();
    }
    const key = ruleKey(route.method, route.path);
    const rule = RULES[key];
    if (rule === undefined) {
      d.warn(`refused ${c.req.method} ${c.req.path}: route "${key}" has no rule in src/api/authz.ts`);
      throw new SlipwayError('forbidden', `route ${key} has no authorization rule`, { hint: 'add one line for it to RULES in src/api/authz.ts' });
    }
    if (rule.needs === 'public') {
      c.set('principal', null);
      return next();
    }
    const principal = await d.auth.principal(c.req.header('authorization'), address);
    c.set('principal', principal);
    const app = await appOfRoute(c, index, rule, d.store);
    const origin = { actor: principal.name, source: address };
    if (!allows(principal.grants, rule.needs, app)) {
      await d.store.recordEvent('access.denied', app, { route: key, path: c.req.path }, origin);
      throw forbidden(principal, rule.needs, app);
    }
    await next();
    if (!READS.has(c.req.method) && c.res.status < 400) {
      await d.store.recordEvent('api.change', app, { route: key, path: c.req.path, status: c.res.status }, origin);
    }
  };
  guards.add(guard);
  return guard;
}

/** For a route that decides more itself (a git push needs deploy, a fetch read): the same check and message. */
export function demand(c: Context, needs: Needs, app: string | null): Principal {
  const principal = c.get('principal');
  if (principal === null || principal === undefined) throw new SlipwayError('unauthorized', 'missing API token');
  if (!allows(principal.grants, needs, app)) throw forbidden(principal, needs, app);
  return principal;
}

function forbidden(p: Principal, needs: Needs, app: string | null): SlipwayError {
  const where = app === null ? 'all apps' : `app ${app}`;
  return new SlipwayError('forbidden', `${p.kind === 'session' ? 'user' : 'token'} ${p.name} may not do this: it needs ${needs} on ${where}`, {
    hint: 'an owner can grant a role with `slipway users add … --role R --app A` or `slipway tokens create … --role R --app A`',
  });
}

/** The app a request acts on, read from the matched route's parameters (which belong to its index, not the guard's). */
async function appOfRoute(c: Context, index: number, rule: Rule, store: Pick<Store, 'getRun'>): Promise<string | null> {
  const own = c.req.routeIndex;
  c.req.routeIndex = index;
  try {
    if (rule.app !== undefined) return c.req.param(rule.app)?.replace(/\.git$/, '') ?? null;
    if (rule.run !== undefined) {
      const id = c.req.param(rule.run) ?? '';
      return /^[0-9]{1,15}$/.test(id) ? ((await store.getRun(Number(id)))?.app ?? null) : null;
    }
    return null;
  } finally {
    c.req.routeIndex = own;
  }
}

/** The peer's address; behind the edge (the unix socket, which only the edge can reach) the one Caddy forwarded. */
export function remoteAddress(c: Context): string | null {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const direct = env?.incoming?.socket?.remoteAddress;
  if (direct !== undefined) return direct;
  if (env?.incoming === undefined) return null;
  const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
  return forwarded === undefined || forwarded === '' ? null : forwarded;
}
