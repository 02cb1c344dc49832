// The HTTP surface: API (token auth), git remote, hook endpoint and the dashboard, with one error mapping.

import { Hono } from 'hono';
import { SlipwayError } from '../../core/errors.js';
import type { HealthResponse } from '../../core/api.js';
import type { Store } from '../../core/ports/store.js';
import { dashboardRoutes } from './dashboard-routes.js';
import { authenticate } from '../auth.js';
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

export function httpApp(d: RouteDeps & GitDeps & { readonly store: Store; readonly version: string; readonly runs: RunOps; readonly schedules: ScheduleOps; readonly forges: ForgeHooks; readonly triggers: Triggers; readonly config: AppConfigOps }): Hono {
  const app = new Hono();
  app.onError((err, c) => errorResponse(err, c));
  app.notFound((c) => errorResponse(new SlipwayError('not_found', `no route ${c.req.method} ${c.req.path}`), c));
  app.get('/api/health', (c) => c.json({ ok: true, version: d.version } satisfies HealthResponse));
  app.use('/api/*', async (c, next) => {
    await authenticate(d.store, c.req.header('authorization'));
    await next();
  });
  app.route('/api', appRoutes(d));
  app.route('/api', runRoutes(d));
  app.route('/api', scheduleRoutes(d));
  app.route('/api', repoRoutes(d));
  app.route('/api', configRoutes(d));
  app.route('/', hookRoutes(d));
  app.route('/', gitRoutes(d));
  app.route('/', dashboardRoutes());
  return app;
}
