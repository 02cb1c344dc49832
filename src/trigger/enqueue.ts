// Queues a run the way every trigger does (git push, forge webhook, upload, rollback, manual, cron, promote, restart):
// stored, audited, announced on the bus, and the queue woken.

import type { EventBus } from '../core/events.js';
import type { NewRun, QueueCap, Store } from '../core/ports/store.js';
import type { Run } from '../core/types.js';

/** What every trigger is given to start work: it turns a run request into a queued run. */
export type Enqueue = (run: NewRun) => Promise<Run>;

export interface EnqueueDeps {
  readonly store: Store;
  readonly bus: EventBus;
  /** Wakes the run queue (RunQueue.kick) so the run starts now if a slot is free. */
  readonly wake: () => void;
  /** How many runs may wait (issue 12: a flood of pushes or webhooks must not grow the queue without end). */
  readonly queueCap?: QueueCap;
}

/** Enough for any real backlog; a queue longer than this is a flood, refused with a conflict saying so. */
export const DEFAULT_QUEUE_CAP: QueueCap = { perApp: 50, total: 1000 };

export async function enqueueRun(d: EnqueueDeps, newRun: NewRun): Promise<Run> {
  const created = await d.store.createRun(newRun, d.queueCap ?? DEFAULT_QUEUE_CAP);
  await d.store.recordEvent('run.queued', newRun.app, {
    runId: created.id,
    source: newRun.source,
    ...(newRun.event !== undefined && { event: newRun.event }),
    ...(newRun.cronName != null && { cronName: newRun.cronName }),
  });
  d.bus.emit('run.queued', { runId: created.id, app: newRun.app });
  d.wake();
  return created;
}

/** The Enqueue port over a store, a bus and the queue's wake-up. */
export function enqueuer(d: EnqueueDeps): Enqueue {
  return (run) => enqueueRun(d, run);
}
