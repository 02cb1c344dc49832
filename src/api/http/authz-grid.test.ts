// The authorization grid, generated from the real app's route list: every route has a rule in api/authz.ts, and every
// route × every role × (granted on this app, on another app, on all apps) is allowed or refused as the role table says.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROLES, type Role } from '../../core/access.js';
import { RULES, ruleKey, type Rule } from '../authz.js';
import { isGuard } from './authz-guard.js';
import { testHttpApp } from './testing-app.js';

// Written out again on purpose (not imported): the table the README states.
const RANK: Record<string, number> = { viewer: 1, deployer: 2, admin: 3, owner: 4, read: 1, deploy: 2 };

function expectAllowed(rule: Rule, role: Role, grantedOn: 'web' | '*', target: 'web' | 'api'): boolean {
  if (rule.needs === 'public' || rule.needs === 'signed-in') return true;
  const strongEnough = RANK[role]! >= RANK[rule.needs]!;
  if (grantedOn === '*') return strongEnough;
  const onTheApp = rule.app !== undefined || rule.run !== undefined;
  return strongEnough && onTheApp && target === 'web';
}

/** A concrete path for a route pattern: the rule's app (or run) parameter points at the target app. */
function concretePath(path: string, rule: Rule, target: 'web' | 'api', runs: Record<'web' | 'api', { id: number }>): string {
  return path
    .replace(/:([a-z]+)(\{[^}]*\})?/gi, (_m, param: string) => {
      if (param === rule.app) return path.includes('.git') ? `${target}.git` : target;
      if (param === rule.run) return String(runs[target].id);
      return param === 'id' ? '999999' : 'x';
    })
    .replace(/\/\*$/, '/info/refs');
}

describe('authorization grid', async () => {
  const t = await testHttpApp();
  const routes = t.http.routes.filter((r) => !isGuard(r.handler)).map((r) => ({ method: r.method, path: r.path }));

  it('has a rule for every route of the app, and no rule for a route that does not exist', () => {
    const missing = routes.map((r) => ruleKey(r.method, r.path)).filter((key) => RULES[key] === undefined);
    assert.deepEqual(missing, [], missing.map((key) => `route "${key}" has no authorization rule: add a line to RULES in src/api/authz.ts, e.g. '${key}': onApp('read'),`).join('\n'));
    const known = new Set(routes.map((r) => ruleKey(r.method, r.path)));
    assert.deepEqual(Object.keys(RULES).filter((key) => !known.has(key)), [], 'rules for routes that no longer exist');
    assert.ok(routes.length >= 50, `only ${routes.length} routes found`);
  });

  it('allows and refuses every route × role × grant exactly as the role table says', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const rule = RULES[ruleKey(route.method, route.path)];
      if (rule === undefined || rule.needs === 'public') continue;
      const method = route.method === 'ALL' ? 'GET' : route.method;
      for (const role of ROLES) {
        for (const grantedOn of ['web', '*'] as const) {
          for (const target of ['web', 'api'] as const) {
            const token = await t.tokenFor([{ role, app: grantedOn }]);
            const path = concretePath(route.path, rule, target, t.runs);
            const res = await t.send(method, path, token, method === 'GET' ? undefined : {});
            const allowed = res.status !== 403 && res.status !== 401;
            checked++;
            if (allowed !== expectAllowed(rule, role, grantedOn, target)) {
              wrong.push(`${method} ${path} (${route.path}) as ${role} on ${grantedOn}: ${res.status}, expected ${allowed ? 'refused' : 'allowed'}`);
            }
          }
        }
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(checked > 700, `checked ${checked}`);
  });

  it('refuses every route without credentials except the public ones', async () => {
    for (const route of routes) {
      const rule = RULES[ruleKey(route.method, route.path)]!;
      if (rule.needs === 'public') continue;
      const method = route.method === 'ALL' ? 'GET' : route.method;
      const res = await t.send(method, concretePath(route.path, rule, 'web', t.runs), null, method === 'GET' ? undefined : {});
      assert.equal(res.status, 401, `${route.method} ${route.path}`);
    }
  });

  it('refuses a route that has no rule, names it in the log, and still runs nothing', async () => {
    const warnings: string[] = [];
    const u = await testHttpApp({ warn: (line) => warnings.push(line) });
    let reached = false;
    u.http.get('/api/unruled/:app', (c) => {
      reached = true;
      return c.text('no');
    });
    const res = await u.send('GET', '/api/unruled/web', await u.tokenFor([{ role: 'owner', app: '*' }]));
    assert.equal(res.status, 403);
    assert.equal(reached, false);
    assert.match(warnings.join('\n'), /route "GET \/api\/unruled\/:app" has no rule in src\/api\/authz\.ts/);
  });
});
