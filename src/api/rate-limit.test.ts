// The failure limiter with a clock the test moves: the 11th attempt within 5 minutes is refused with the seconds to
// wait, per address and per user, and allowed again once the window has passed.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../core/errors.js';
import { attemptKeys, FailureLimiter, retryAfterOf } from './rate-limit.js';

function limiter(maxKeys = 100) {
  let now = 1_000_000;
  const l = new FailureLimiter({ max: 10, windowMs: 300_000, now: () => now, maxKeys });
  return { l, advance: (ms: number) => (now += ms) };
}

const refusedAfter = (fn: () => void): number | null => {
  try {
    fn();
    return null;
  } catch (err) {
    assert.ok(err instanceof SlipwayError && err.kind === 'rate_limited');
    return retryAfterOf(err);
  }
};

describe('failure limiter', () => {
  it('counts an attempt as it begins, so parallel attempts cannot all pass the check; a success takes it back', () => {
    const { l } = limiter();
    const keys = attemptKeys('10.0.0.1', 'bob');
    const open = Array.from({ length: 10 }, () => l.begin(keys));
    assert.notEqual(refusedAfter(() => l.begin(keys)), null, 'the 11th attempt in flight is refused before any await');
    for (const a of open.slice(0, 5)) a.succeeded();
    assert.equal(refusedAfter(() => l.begin(keys)), null, 'five succeeded: room again');
  });

  it('refuses after 10 failures from one address within 5 minutes, until the oldest leaves the window', () => {
    const { l, advance } = limiter();
    const keys = attemptKeys('10.0.0.1');
    for (let i = 0; i < 10; i++) {
      assert.equal(refusedAfter(() => l.check(keys)), null);
      l.fail(keys);
      advance(10_000);
    }
    assert.equal(refusedAfter(() => l.check(keys)), 200); // first failure at t0, now t0+100 s
    assert.equal(refusedAfter(() => l.check(attemptKeys('10.0.0.2'))), null);
    advance(199_000);
    assert.equal(refusedAfter(() => l.check(keys)), 1);
    advance(1_000);
    assert.equal(refusedAfter(() => l.check(keys)), null);
  });

  it('counts per user name across addresses', () => {
    const { l } = limiter();
    for (let i = 0; i < 10; i++) l.fail(attemptKeys(`10.0.1.${i}`, 'ann'));
    assert.equal(refusedAfter(() => l.check(attemptKeys('10.9.9.9', 'ann'))), 300);
    assert.equal(refusedAfter(() => l.check(attemptKeys('10.9.9.9', 'bob'))), null);
  });

  it('forgets the least recently failed keys past its size', () => {
    const { l } = limiter(2);
    for (let i = 0; i < 10; i++) l.fail(['a']);
    l.fail(['b']);
    l.fail(['c']);
    assert.equal(refusedAfter(() => l.check(['a'])), null);
  });
});
