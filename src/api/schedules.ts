// What users can do with an app's cron schedules: list, set (validated, with its next time), remove, run now.

import { asRecord } from '../adapters/docker/convert.js';
import { SlipwayError } from '../core/errors.js';
import { parseBranch } from '../core/names.js';
import type { Schedule, Store } from '../core/ports/store.js';
import type { Run } from '../core/types.js';
import { parseCron } from '../trigger/cron-expr.js';
import type { Scheduler } from '../trigger/scheduler.js';
import type { Apps } from './apps.js';

export interface ScheduleOpsDeps {
  readonly store: Store;
  readonly apps: Pick<Apps, 'get'>;
  readonly scheduler: Pick<Scheduler, 'queueRun'>;
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

  /** Creates or replaces a schedule; its next time is computed from now. */
  async put(appName: string, body: unknown): Promise<Schedule> {
    const app = await this.d.apps.get(appName);
    const b = asRecord(body);
    if (typeof b.name !== 'string' || typeof b.expr !== 'string') {
      throw new SlipwayError('invalid_input', 'a schedule needs a name and a cron expression', {
        hint: 'send {"name":"nightly","expr":"0 3 * * *"} (optionally "branch")',
      });
    }
    const branch = b.branch === undefined || b.branch === null ? app.branch : parseBranch(b.branch);
    const cron = parseCron(b.expr);
    const schedule = await this.d.store.upsertSchedule({
      app: app.name, name: b.name, expr: cron.source, branch, nextAt: cron.next(this.#now()).toISOString(),
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
    const run = await this.d.scheduler.queueRun(schedule);
    if (run === null) {
      throw new SlipwayError('not_found', `branch ${schedule.branch} has not been pushed to ${schedule.app}`, {
        field: 'branch',
        hint: 'push it first (`git push slipway <branch>`)',
      });
    }
    await this.d.store.markScheduleFired(schedule.app, schedule.name, run.id, schedule.nextAt);
    return run;
  }
}
