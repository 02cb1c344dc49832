// Queues a run the way every trigger does (git push, forge webhook, upload, rollback, manual, cron, promote):
// stored, audited, announced on the bus, and the queue kicked.

import type { EventBus } from '../core/events.js';
import type { NewRun, Store } from '../core/ports/store.js';
import type { Run } from '../core/types.js';
import type { RunQueue } from '../run/queue.js';

export interface EnqueueDeps {
  readonly store: Store;
  readonly bus: EventBus;
  readonly queue: RunQueue;
}

export async function enqueueRun(d: EnqueueDeps, newRun: NewRun): Promise<Run> {
  const created = await d.store.createRun(newRun);
  await d.store.recordEvent('run.queued', newRun.app, {
    runId: created.id,
    source: newRun.source,
    ...(newRun.event !== undefined && { event: newRun.event }),
    ...(newRun.cronName != null && { cronName: newRun.cronName }),
  });
  d.bus.emit('run.queued', { runId: created.id, app: newRun.app });
  d.queue.kick();
  return created;
}
