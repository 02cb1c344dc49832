// Failed sign-ins and failed token uses, counted in memory per remote address and per user name: past the limit
// within the window, the next attempt is refused (429 with Retry-After) before any password or token is checked.

import { SlipwayError } from '../core/errors.js';

export interface LimitOptions {
  /** Failures allowed per key within the window. */
  readonly max: number;
  readonly windowMs: number;
  /** Injectable so tests move time without sleeping. */
  readonly now: () => number;
  /** Keys remembered at most; the oldest are forgotten first (an attacker rotating addresses cannot fill memory). */
  readonly maxKeys: number;
}

export const DEFAULT_LIMITS: LimitOptions = { max: 10, windowMs: 5 * 60_000, now: () => Date.now(), maxKeys: 10_000 };

/** Keys for one attempt: the address always, the user name when one was given. */
export function attemptKeys(address: string | null, user?: string | null): string[] {
  const keys = [`addr:${address ?? 'unknown'}`];
  if (user) keys.push(`user:${user}`);
  return keys;
}

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly o: LimitOptions = DEFAULT_LIMITS) {}

  /** Throws rate_limited (cause: { retryAfterSeconds }) when any key has used up its failures. */
  check(keys: readonly string[]): void {
    const now = this.o.now();
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.o.max) wait = Math.max(wait, (recent[0] ?? now) + this.o.windowMs - now);
    }
    if (wait > 0) {
      const retryAfterSeconds = Math.max(1, Math.ceil(wait / 1000));
      throw new SlipwayError('rate_limited', `too many failed attempts; try again in ${retryAfterSeconds} s`, {
        hint: `at most ${this.o.max} failed sign-ins or token uses per ${Math.round(this.o.windowMs / 60_000)} minutes from one address or for one user`,
        cause: { retryAfterSeconds },
      });
    }
  }

  /**
   * Checks, then counts this attempt as a failure at once, before any await: parallel attempts cannot all pass the
   * check while the first ones are still being verified. `succeeded()` takes the count back.
   */
  begin(keys: readonly string[]): { succeeded(): void } {
    this.check(keys);
    const at = this.fail(keys);
    return {
      succeeded: () => {
        for (const key of keys) {
          const list = this.failures.get(key);
          const i = list?.lastIndexOf(at) ?? -1;
          if (list !== undefined && i >= 0) list.splice(i, 1);
        }
      },
    };
  }

  /** Records a failure for each key; returns its time. */
  fail(keys: readonly string[]): number {
    const now = this.o.now();
    for (const key of keys) {
      const recent = this.recent(key, now);
      recent.push(now);
      this.failures.delete(key); // re-insert: Map order is then "least recently failed first"
      this.failures.set(key, recent);
    }
    while (this.failures.size > this.o.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
    return now;
  }

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((t) => t > now - this.o.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }
}

/** The Retry-After of a rate_limited error, for the HTTP layer. */
export function retryAfterOf(err: SlipwayError): number | null {
  const cause = err.cause as { retryAfterSeconds?: unknown } | undefined;
  return err.kind === 'rate_limited' && typeof cause?.retryAfterSeconds === 'number' ? cause.retryAfterSeconds : null;
}
