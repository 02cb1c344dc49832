// The one authorization table: every route of the HTTP app, by method and Hono path pattern, says what it needs and
// where the app it acts on comes from. A route missing here is refused (403) and logged; a test built from the real
// app's route list fails on it (authz-grid.test.ts). Roles and what they allow: core/access.ts.

import type { Needs } from '../core/access.js';

/** What a route needs, and on which app: `app` names the path parameter holding the app (a `.git` suffix is
 *  dropped), `run` the parameter holding a run id (the run's app counts). Neither: the action is over all apps, so a
 *  grant on '*' is needed (or, for 'signed-in', the route shows only what the grants allow). */
export interface Rule {
  readonly needs: Needs;
  readonly app?: string;
  readonly run?: string;
}

const pub: Rule = { needs: 'public' };
const signedIn: Rule = { needs: 'signed-in' };
const onApp = (needs: Needs): Rule => ({ needs, app: 'app' });
const onRun = (needs: Needs): Rule => ({ needs, run: 'id' });

// owner: everything, users and tokens included. admin: every app's settings, secrets, repos, schedules and deploys,
// creating and deleting apps; not users or tokens. deployer: deploy, roll back, restart, cancel, promote and start
// runs on its apps. viewer: read its apps (status, runs, logs, releases, secret names, audit).
export const RULES: Readonly<Record<string, Rule>> = {
  // Open: the dashboard's files, health, signing in; webhooks and the git hook prove their own secrets.
  'GET /': pub,
  'GET /app.js': pub,
  'GET /style.css': pub,
  'GET /favicon.svg': pub,
  'GET /api/health': pub,
  'POST /api/session': pub,
  'POST /hooks/:app': pub,
  'POST /internal/git/received': pub,
  // The git remote: fetching needs read; git-routes.ts asks for deploy when the request is a push.
  'ALL /git/:repo{[a-z0-9-]+\\.git}/*': { needs: 'read', app: 'repo' },

  'DELETE /api/session': signedIn,
  'GET /api/me': signedIn,
  'PUT /api/me/password': signedIn,
  'GET /api/audit': signedIn,
  'GET /api/apps': signedIn,
  'POST /api/apps': { needs: 'admin' },
  'GET /api/events': { needs: 'read' },

  'GET /api/apps/:app': onApp('read'),
  'PATCH /api/apps/:app': onApp('admin'),
  'DELETE /api/apps/:app': onApp('admin'),
  'POST /api/apps/:app/deploy': onApp('deploy'),
  'POST /api/apps/:app/rollback': onApp('deploy'),
  'GET /api/apps/:app/runs': onApp('read'),
  'POST /api/apps/:app/runs': onApp('deploy'),
  'GET /api/apps/:app/releases': onApp('read'),
  'GET /api/apps/:app/logs': onApp('read'),
  'GET /api/apps/:app/secrets': onApp('read'),
  'PUT /api/apps/:app/secrets': onApp('admin'),
  'DELETE /api/apps/:app/secrets/:name': onApp('admin'),
  'GET /api/apps/:app/schedules': onApp('read'),
  'PUT /api/apps/:app/schedules': onApp('admin'),
  'DELETE /api/apps/:app/schedules/:name': onApp('admin'),
  'POST /api/apps/:app/schedules/:name/run': onApp('deploy'),
  'GET /api/apps/:app/repo': onApp('read'),
  'PUT /api/apps/:app/repo': onApp('admin'),
  'DELETE /api/apps/:app/repo': onApp('admin'),
  // Runtime config: plain values are readable like the rest of the app; changing it rolls out a new release and
  // may change credentials, so it is an app setting (admin), like secrets.
  'GET /api/apps/:app/config': onApp('read'),
  'PATCH /api/apps/:app/config': onApp('admin'),
  'PUT /api/apps/:app/config': onApp('admin'),
  'POST /api/apps/:app/config/apply': onApp('deploy'),
  'DELETE /api/apps/:app/config/:key': onApp('admin'),
  // Stacks: deploying and rolling back are deploys; removing a stack removes services and data routes (admin).
  'GET /api/apps/:app/stacks': onApp('read'),
  'POST /api/apps/:app/stacks/lint': onApp('read'),
  'POST /api/apps/:app/stacks/:stack/deploy': onApp('deploy'),
  'GET /api/apps/:app/stacks/:stack/services': onApp('read'),
  'GET /api/apps/:app/stacks/:stack/releases': onApp('read'),
  // The whole stored release: environment values and the .env text, which viewers must not read (secret values).
  'GET /api/apps/:app/stacks/:stack/releases/:number': onApp('admin'),
  'POST /api/apps/:app/stacks/:stack/rollback': onApp('deploy'),
  'GET /api/apps/:app/stacks/:stack/diff': onApp('read'),
  'DELETE /api/apps/:app/stacks/:stack': onApp('admin'),

  'GET /api/runs/:id': onRun('read'),
  'GET /api/runs/:id/logs': onRun('read'),
  'GET /api/runs/:id/steps': onRun('read'),
  'GET /api/runs/:id/steps/:pipeline/:step/logs': onRun('read'),
  'GET /api/runs/:id/events': onRun('read'),
  'POST /api/runs/:id/cancel': onRun('deploy'),
  'POST /api/runs/:id/promote': onRun('deploy'),
  'POST /api/runs/:id/restart': onRun('deploy'),

  'GET /api/users': { needs: 'owner' },
  'POST /api/users': { needs: 'owner' },
  'PATCH /api/users/:user': { needs: 'owner' },
  'DELETE /api/users/:user': { needs: 'owner' },
  'PUT /api/users/:user/password': { needs: 'owner' },
  'POST /api/users/:user/totp': { needs: 'owner' },
  'DELETE /api/users/:user/totp': { needs: 'owner' },
  'GET /api/tokens': { needs: 'owner' },
  'POST /api/tokens': { needs: 'owner' },
  'DELETE /api/tokens/:id': { needs: 'owner' },
  'POST /api/tokens/:id/rotate': { needs: 'owner' },
};

export const ruleKey = (method: string, path: string): string => `${method} ${path}`;

export function ruleFor(method: string, path: string): Rule | null {
  return RULES[ruleKey(method, path)] ?? null;
}
