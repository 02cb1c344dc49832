// The HTTP surface: API, git remote, hook endpoint and the dashboard, behind one authorization guard (api/authz.ts),
// with one error mapping.

import { Hono } from 'hono';
import { SlipwayError } from '../../core/errors.js';
import type { HealthResponse } from '../../core/api.js';
import type { Store } from '../../core/ports/store.js';
import { dashboardRoutes } from './dashboard-routes.js';
import type { Access } from '../access.js';
import { auditRoutes } from './audit-routes.js';
import { authzGuard } from './authz-guard.js';
import { sessionRoutes } from './session-routes.js';
import { tokenRoutes } from './token-routes.js';
import { userRoutes } from './user-routes.js';
import { appRoutes, type RouteDeps } from './app-routes.js';
import { errorResponse } from './errors.js';
import { runRoutes } from './run-routes.js';
import type { RunOps } from '../runs.js';
import type { ScheduleOps } from '../schedules.js';
import { scheduleRoutes } from './schedule-routes.js';
import { gitRoutes, type GitDeps } from './git-routes.js';
import type { ForgeHooks } from '../forges.js';
import type { Triggers } from '../triggers.js';
import { hookRoutes, repoRoutes } from './forge-routes.js';
import type { AppConfigOps } from '../app-config.js';
import { configRoutes } from './config-routes.js';
import type { StackOps } from '../stacks.js';
import { stackRoutes } from './stack-routes.js';

export function httpApp(d: RouteDeps & GitDeps & { readonly store: Store; readonly version: string; readonly runs: RunOps; readonly schedules: ScheduleOps; readonly forges: ForgeHooks; readonly triggers: Triggers; readonly stacks: StackOps; readonly access: Access; readonly config: AppConfigOps }): Hono {
  const app = new Hono();
  app.onError((err, c) => errorResponse(err, c));
  app.notFound((c) => errorResponse(new SlipwayError('not_found', `no route ${c.req.method} ${c.req.path}`), c));
  // First: every route below is looked up in the one table, authenticated and checked before its handler runs.
  app.use('*', authzGuard({ auth: d.access.auth, store: d.store, warn: d.access.warn }));
  app.get('/api/health', (c) => c.json({ ok: true, version: d.version } satisfies HealthResponse));
  app.route('/api', sessionRoutes(d.access));
  app.route('/api', userRoutes(d.access));
  app.route('/api', tokenRoutes(d.access));
  app.route('/api', auditRoutes(d));
  app.route('/api', appRoutes(d));
  app.route('/api', runRoutes(d));
  app.route('/api', scheduleRoutes(d));
  app.route('/api', repoRoutes(d));
  app.route('/api', stackRoutes(d));
  app.route('/api', configRoutes(d));
  app.route('/', hookRoutes(d));
  app.route('/', gitRoutes(d));
  app.route('/', dashboardRoutes());
  return app;
}
