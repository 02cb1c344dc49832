// A run's log: every chunk is stored (so it survives restarts) and published live, with its offset so a
// follower that read the stored part first can skip what it already has.

import type { EventBus } from '../core/events.js';
import type { Store } from '../core/ports/store.js';

export class RunLog {
  #offset: number;
  #tail: Promise<void> = Promise.resolve();

  private constructor(
    private readonly store: Store,
    private readonly bus: EventBus,
    private readonly runId: number,
    private readonly app: string,
    offset: number,
  ) {
    this.#offset = offset;
  }

  /** When the stored log cannot be read: appends still work, followers may see a chunk twice. */
  static detached(store: Store, bus: EventBus, runId: number, app: string): RunLog {
    return new RunLog(store, bus, runId, app, 0);
  }

  static async open(store: Store, bus: EventBus, runId: number, app: string): Promise<RunLog> {
    const existing = await store.readRunLog(runId);
    return new RunLog(store, bus, runId, app, existing.length);
  }

  /** Appends in call order; never throws into the caller (a lost log line must not fail a deploy). */
  write = (text: string): void => {
    if (text === '') return;
    const offset = this.#offset;
    this.#offset += text.length;
    this.#tail = this.#tail
      .then(() => this.store.appendRunLog(this.runId, text))
      .then(() => this.bus.emit('run.log', { runId: this.runId, app: this.app, text, offset }))
      .catch((err: unknown) => void process.stderr.write(`slipway: could not store log of run ${this.runId}: ${String(err)}\n`));
  };

  /** Resolves when everything written so far is stored and published. */
  flush(): Promise<void> {
    return this.#tail;
  }
}
