// A bound on work done at once: at most `running` at a time, up to `waiting` more queued in arrival order, the rest
// refused at once, so a flood costs a counter, not memory or event-loop time.

export class InFlight {
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    readonly running: number,
    readonly waiting: number,
  ) {}

  /** Resolves to the slot's release once one is free; null at once when `waiting` others already wait. */
  enter(): Promise<() => void> | null {
    if (this.active < this.running) {
      this.active += 1;
      return Promise.resolve(this.release());
    }
    if (this.queue.length >= this.waiting) return null;
    return new Promise((resolve) => this.queue.push(() => resolve(this.release())));
  }

  private release(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot passes straight to the next waiter, so `active` never dips below what is really running.
      const next = this.queue.shift();
      if (next) next();
      else this.active -= 1;
    };
  }
}
