// HTTP routes for an app's cron schedules: list, create or replace, delete, and run one now.

import { Hono } from 'hono';
import type { ScheduleOps } from '../schedules.js';
import { jsonBody, parseInput } from './body.js';
import { scheduleBody } from './schemas.js';

export function scheduleRoutes(d: { readonly schedules: ScheduleOps }): Hono {
  const r = new Hono();
  r.get('/apps/:app/schedules', async (c) => c.json({ schedules: await d.schedules.list(c.req.param('app')) }));
  r.put('/apps/:app/schedules', async (c) => c.json({ schedule: await d.schedules.put(c.req.param('app'), parseInput(scheduleBody, await jsonBody(c.req.raw))) }));
  r.delete('/apps/:app/schedules/:name', async (c) => {
    await d.schedules.remove(c.req.param('app'), c.req.param('name'));
    return c.body(null, 204);
  });
  r.post('/apps/:app/schedules/:name/run', async (c) => c.json({ run: await d.schedules.runNow(c.req.param('app'), c.req.param('name')) }, 202));
  return r;
}
