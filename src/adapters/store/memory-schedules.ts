// The in-memory Store's cron schedules, with the SQLite store's semantics.

import type { Schedule, Store } from '../../core/ports/store.js';
import { checkScheduleName, notFound, scheduleNotFound } from './checks.js';

type ScheduleMethods = Pick<Store, 'upsertSchedule' | 'listSchedules' | 'deleteSchedule' | 'dueSchedules' | 'markScheduleFired'>;

export interface MemorySchedules {
  readonly methods: ScheduleMethods;
  /** deleteApp calls this: schedules go with their app. */
  deleteApp(name: string): void;
}

const key = (app: string, name: string): string => JSON.stringify([app, name]);
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// Synchronous bodies make each call atomic; Schedule values are flat and frozen by copying on the way in and out.
export function createMemorySchedules(deps: { now(): string; hasApp(name: string): boolean; hasRun(id: number): boolean }): MemorySchedules {
  const schedules = new Map<string, Schedule>();
  const methods: ScheduleMethods = {
    async upsertSchedule(s) {
      checkScheduleName(s.name);
      if (!deps.hasApp(s.app)) throw notFound(`app ${JSON.stringify(s.app)}`, 'app');
      const old = schedules.get(key(s.app, s.name));
      const stored: Schedule = {
        app: s.app, name: s.name, expr: s.expr, branch: s.branch, nextAt: s.nextAt,
        lastRunId: old?.lastRunId ?? null,
        createdAt: old?.createdAt ?? deps.now(),
      };
      schedules.set(key(s.app, s.name), stored);
      return { ...stored };
    },
    async listSchedules(app) {
      return [...schedules.values()].filter((s) => s.app === app).sort((a, b) => byText(a.name, b.name)).map((s) => ({ ...s }));
    },
    async deleteSchedule(app, name) {
      if (!schedules.delete(key(app, name))) throw scheduleNotFound(app, name);
    },
    async dueSchedules(at) {
      return [...schedules.values()]
        .filter((s) => s.nextAt <= at)
        .sort((a, b) => byText(a.nextAt, b.nextAt) || byText(a.app, b.app) || byText(a.name, b.name))
        .map((s) => ({ ...s }));
    },
    async markScheduleFired(app, name, runId, nextAt) {
      const found = schedules.get(key(app, name));
      if (found === undefined) throw scheduleNotFound(app, name);
      if (runId !== null && !deps.hasRun(runId)) throw notFound(`run ${runId}`, 'runId');
      const updated: Schedule = { ...found, nextAt, lastRunId: runId ?? found.lastRunId };
      schedules.set(key(app, name), updated);
      return { ...updated };
    },
  };
  return {
    methods,
    deleteApp(name) {
      for (const [k, s] of schedules) if (s.app === name) schedules.delete(k);
    },
  };
}
