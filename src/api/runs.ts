// What users can do with runs besides starting them (src/trigger/ does that): look one up, say why a queued run
// waits, cancel; and with app secrets.

import { secretContext, type Sealer } from '../core/ports/sealer.js';
import { SlipwayError } from '../core/errors.js';
import type { EventBus } from '../core/events.js';
import type { Store } from '../core/ports/store.js';
import type { Run } from '../core/types.js';
import type { Cancellations } from '../run/cancellations.js';
import type { RunQueue } from '../run/queue.js';
import type { Apps } from './apps.js';

export interface RunOpsDeps {
  readonly store: Store;
  readonly bus: EventBus;
  readonly apps: Pick<Apps, 'get'>;
  readonly queue: Pick<RunQueue, 'capacity'>;
  readonly cancellations: Cancellations;
  readonly sealer: Pick<Sealer, 'seal'>;
}

export class RunOps {
  constructor(private readonly d: RunOpsDeps) {}

  async get(id: string | number): Promise<Run> {
    const found = /^[0-9]+$/.test(String(id)) ? await this.d.store.getRun(Number(id)) : null;
    if (!found) throw new SlipwayError('not_found', `no run ${id}`, { hint: 'list runs with `slipway runs <app>`' });
    return found;
  }

  /** Why a queued run has not started yet; null when it is not waiting. */
  async waitingFor(r: Run): Promise<string | null> {
    if (r.status !== 'queued') return null;
    const running = await this.d.store.runsWithStatus('running');
    const concurrency = (await this.d.store.getApp(r.app))?.concurrency ?? 1;
    const setting = concurrency === 1
      ? `one run of ${r.app} at a time; \`slipway apps set ${r.app} --concurrency <n>\` allows more`
      : `its concurrency setting lets ${r.app} run ${concurrency} at a time`;
    const active = running.filter((x) => x.app === r.app);
    if (active.length >= concurrency) {
      return `waiting for ${active.length === 1 ? `run ${active[0]!.id}` : `runs ${active.map((x) => x.id).join(', ')}`} of ${r.app} to finish (${setting})`;
    }
    const ahead = (await this.d.store.runsWithStatus('queued')).filter((x) => x.app === r.app && x.id < r.id);
    if (active.length + ahead.length >= concurrency) {
      return `waiting behind run ${ahead[0]!.id} of ${r.app}, queued before it (${setting})`;
    }
    const capacity = this.d.queue.capacity;
    if (running.length >= capacity) {
      const ids = running.map((x) => `${x.id} (${x.app})`).join(', ');
      return `no free run slot: this server runs at most ${capacity} runs at a time (SLIPWAY_MAX_RUNS) and ${running.length} are running: ${ids}`;
    }
    return 'waiting to be picked up';
  }

  async cancel(id: string): Promise<Run> {
    let r = await this.get(id);
    if (r.status === 'queued') {
      const error = { kind: 'cancelled', message: 'cancelled before it started' };
      // Conditional on still being queued: the queue may have claimed it since it was read.
      const done = await this.d.store.cancelQueuedRun(r.id, error, new Date().toISOString());
      if (done) {
        await this.d.store.recordEvent('run.cancelled', r.app, { runId: r.id });
        this.d.bus.emit('run.finished', { runId: r.id, app: r.app, status: 'cancelled', error });
        return done;
      }
      r = await this.get(id);
    }
    if (r.status !== 'running') throw new SlipwayError('conflict', `run ${r.id} already ${r.status}`);
    if (r.phase === 'deploy') {
      // A rollout is not interrupted half-way: it ends live or rolled back.
      throw new SlipwayError('conflict', `run ${r.id} is rolling out a release and cannot be cancelled now`, {
        hint: `wait for it to finish, then \`slipway rollback ${r.app}\` if you do not want this release`,
      });
    }
    await this.d.store.updateRunDetails(r.id, { cancelRequested: true });
    if (!this.d.cancellations.cancel(r.id)) {
      throw new SlipwayError('conflict', `run ${r.id} is not executing in this server right now`, { hint: 'try again in a moment' });
    }
    return r;
  }

  /** `secret` is checked (http/schemas.ts secretBody); the store checks the name. */
  async setSecret(appName: string, secret: { readonly name: string; readonly value: string }): Promise<void> {
    const app = await this.d.apps.get(appName);
    await this.d.store.setSecret(app.name, secret.name, this.d.sealer.seal(secret.value, secretContext(app.name, secret.name)));
    await this.d.store.recordEvent('secret.set', app.name, { name: secret.name });
  }
}
