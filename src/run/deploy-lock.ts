// One deploy per app at a time, in the order they asked. An app may run several pipelines at once (its concurrency),
// but its releases, rollbacks and stack updates still go out one by one: each rollout starts from what the one
// before it left live, and the "is a newer run already live?" check cannot race another deploy.

import { SlipwayError } from '../core/errors.js';

export type Unlock = () => void;

export class DeployLock {
  /** Apps whose lock is held, with who waits for it (first in, first served). */
  readonly #waiting = new Map<string, Array<() => void>>();

  /**
   * Resolves when it is this caller's turn. If the signal aborts while it still waits, rejects as cancelled, or, when
   * the signal was a timeout (a step's), as a failure saying so: a timed-out step must not cancel its run.
   */
  acquire(app: string, signal?: AbortSignal): Promise<Unlock> {
    const cancelled = () =>
      (signal?.reason as { name?: unknown } | undefined)?.name === 'TimeoutError'
        ? new SlipwayError('conflict', `the step's timeout passed while it waited for another deploy of ${app} to finish`, {
            hint: 'give the deploy step a longer timeout, or lower the app\'s concurrency so fewer deploys queue up',
          })
        : new SlipwayError('cancelled', `cancelled while waiting to deploy ${app}`);
    if (signal?.aborted) return Promise.reject(cancelled());
    const queue = this.#waiting.get(app);
    if (queue === undefined) {
      this.#waiting.set(app, []);
      return Promise.resolve(this.#unlockFor(app));
    }
    return new Promise<Unlock>((resolve, reject) => {
      const onAbort = () => {
        const i = queue.indexOf(grant);
        if (i !== -1) queue.splice(i, 1);
        reject(cancelled());
      };
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(this.#unlockFor(app));
      };
      queue.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Runs fn holding the app's lock; logs that it waits when another deploy of the app is going on. */
  async with<T>(app: string, signal: AbortSignal | undefined, log: (text: string) => void, fn: () => Promise<T>): Promise<T> {
    if (this.isHeld(app)) log(`--> waiting for another deploy of ${app} to finish (one deploy per app at a time)\n`);
    const unlock = await this.acquire(app, signal);
    try {
      return await fn();
    } finally {
      unlock();
    }
  }

  isHeld(app: string): boolean {
    return this.#waiting.has(app);
  }

  #unlockFor(app: string): Unlock {
    let done = false;
    return () => {
      if (done) return; // a second call must not hand the lock on twice
      done = true;
      const next = this.#waiting.get(app)?.shift();
      if (next) next();
      else this.#waiting.delete(app);
    };
  }
}
