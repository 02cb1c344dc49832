// What users can do with an app's cron schedules: list, set (validated, with its next time), remove, run now.

import { SlipwayError } from '../core/errors.js';
import type { Schedule, Store } from '../core/ports/store.js';
import type { Run } from '../core/types.js';
import { parseCron } from '../trigger/cron-expr.js';
import type { Scheduler } from '../trigger/scheduler.js';
import type { Apps } from './apps.js';

export interface ScheduleOpsDeps {
  readonly store: Store;
  readonly apps: Pick<Apps, 'get'>;
  readonly scheduler: Pick<Scheduler, 'runNow'>;
  readonly now?: () => Date;
}

export class ScheduleOps {
  readonly #now: () => Date;

  constructor(private readonly d: ScheduleOpsDeps) {
    this.#now = d.now ?? (() => new Date());
  }

  async list(appName: string): Promise<Schedule[]> {
    const app = await this.d.apps.get(appName);
    return this.d.store.listSchedules(app.name);
  }

  /** Creates or replaces a schedule; its next time is computed from now. `input` is checked (http/schemas.ts scheduleBody). */
  async put(appName: string, input: { readonly name: string; readonly expr: string; readonly branch?: string | null | undefined }): Promise<Schedule> {
    const app = await this.d.apps.get(appName);
    const branch = input.branch ?? app.branch;
    const cron = parseCron(input.expr);
    const schedule = await this.d.store.upsertSchedule({
      app: app.name, name: input.name, expr: cron.source, branch, nextAt: cron.next(this.#now()).toISOString(),
    });
    await this.d.store.recordEvent('schedule.set', app.name, { name: schedule.name, expr: schedule.expr, branch: schedule.branch });
    return schedule;
  }

  async remove(appName: string, name: string): Promise<void> {
    const app = await this.d.apps.get(appName);
    await this.d.store.deleteSchedule(app.name, name);
    await this.d.store.recordEvent('schedule.deleted', app.name, { name });
  }

  /** Queues the schedule's cron run now; its regular next time is unchanged. */
  async runNow(appName: string, name: string): Promise<Run> {
    const schedules = await this.list(appName);
    const schedule = schedules.find((s) => s.name === name);
    if (!schedule) {
      throw new SlipwayError('not_found', `no schedule ${JSON.stringify(name)} for ${appName}`, { field: 'name', hint: `list them with \`slipway cron list ${appName}\`` });
    }
    return this.d.scheduler.runNow(schedule);
  }
}
