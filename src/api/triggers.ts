// Wiring: every way work starts (src/trigger/), built once over the store, the bus and the queue's wake-up, for the
// HTTP routes, the git remote, the scheduler and `slipway up`. Nothing here decides anything.

import type { Readable } from 'node:stream';
import type { DeliveryResult } from '../core/api.js';
import type { EventBus } from '../core/events.js';
import type { Store } from '../core/ports/store.js';
import type { SealContext } from '../core/ports/sealer.js';
import type { App, Run } from '../core/types.js';
import { enqueuer, type Enqueue } from '../trigger/enqueue.js';
import type { Headers } from '../trigger/forge/deliveries.js';
import { DeliveryIds } from '../trigger/forge/delivery-ids.js';
import { receiveDelivery } from '../trigger/forge/receive.js';
import type { GitPort } from '../core/ports/git.js';
import { configChanged } from '../trigger/config-change.js';
import { startManualRun, type ManualRun } from '../trigger/manual.js';
import { promote } from '../trigger/promote.js';
import { PushTrigger, type PushResult } from '../trigger/push.js';
import { Restarts } from '../trigger/restart.js';
import { rollback } from '../trigger/rollback.js';
import type { RunSources } from '../trigger/sources.js';
import { deployUpload } from '../trigger/upload.js';

export interface TriggerDeps {
  readonly store: Store;
  readonly bus: EventBus;
  /** Wakes the run queue after a run is stored. */
  readonly wake: () => void;
  readonly repos: GitPort;
  readonly sources: Pick<RunSources, 'saveUpload'>;
  /** Opens a sealed value of the app's forge repository (webhook secret, token). */
  readonly reveal: (sealed: string, context: SealContext) => string;
}

export interface Triggers {
  readonly enqueue: Enqueue;
  push(app: App, ref: string, commit: string): Promise<PushResult>;
  upload(app: App, body: Readable, label: string | null): Promise<Run>;
  rollback(app: App, release: number | null): Promise<Run>;
  manual(app: App, request: ManualRun): Promise<Run>;
  restart(runId: number): Promise<Run>;
  promote(run: Run, environment: string): Promise<Run>;
  /** Rolls the live release out again with the app's current config; null when nothing is live. */
  configChanged(app: App): Promise<Run | null>;
  /** `app` null: no app has that name (answered like a wrong signature). */
  delivery(app: App | null, headers: Headers, body: Uint8Array): Promise<DeliveryResult>;
}

export function wireTriggers(d: TriggerDeps): Triggers {
  const enqueue = enqueuer(d);
  const push = new PushTrigger({ repos: d.repos, enqueue });
  const restarts = new Restarts({ store: d.store, enqueue });
  const seen = new DeliveryIds(d.store);
  return {
    enqueue,
    push: (app, ref, commit) => push.receive(app, ref, commit),
    upload: (app, body, label) => deployUpload({ sources: d.sources, enqueue }, app, body, label),
    rollback: (app, release) => rollback(enqueue, app, release),
    manual: (app, request) => startManualRun({ repos: d.repos, enqueue }, app, request),
    restart: (runId) => restarts.restart(runId),
    promote: (run, environment) => promote({ store: d.store, enqueue }, run, environment),
    configChanged: (app) => configChanged({ store: d.store, enqueue }, app),
    delivery: (app, headers, body) => receiveDelivery({ store: d.store, repos: d.repos, push, enqueue, reveal: d.reveal, seen }, app, headers, body),
  };
}
