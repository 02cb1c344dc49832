// Which release a stack rollback deploys: any depth, never one that failed or is live, not_found with a hint.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../core/errors.js';
import { stackRollbackTarget } from './stack-rollback-target.js';
import { testPlan, testRelease } from './stack-testing.js';

const WHERE = { app: 'shop', stack: 'back' };
const refused = (kind: string, message: RegExp) => (err: unknown) => {
  assert.ok(err instanceof SlipwayError);
  assert.equal(err.kind, kind);
  assert.match(err.message, message);
  assert.match(err.hint ?? '', /slipway stacks (releases|ls)/);
  return true;
};

describe('stack rollback target', () => {
  // Newest first, as the store lists them.
  const history = [testRelease(5, 'live'), testRelease(4, 'failed'), testRelease(3, 'superseded'), testRelease(2, 'rolled_back'), testRelease(1, 'superseded')];

  it('without a number: the newest release before the live one that was live, skipping failed ones and the live plan', () => {
    assert.equal(stackRollbackTarget(history, null, WHERE).number, 3);
    const samePlan = [testRelease(3, 'live', testPlan([{ name: 'web', image: 'a' }])), testRelease(2, 'superseded', testPlan([{ name: 'web', image: 'a' }])), testRelease(1, 'superseded')];
    assert.equal(stackRollbackTarget(samePlan, null, WHERE).number, 1);
  });

  it('with a number: any depth', () => {
    assert.equal(stackRollbackTarget(history, 1, WHERE).number, 1);
    assert.equal(stackRollbackTarget(history, 2, WHERE).number, 2);
  });

  it('refuses a failed or live release, an unknown one and an unknown stack', () => {
    assert.throws(() => stackRollbackTarget(history, 4, WHERE), refused('conflict', /never went live \(failed\)/));
    assert.throws(() => stackRollbackTarget(history, 5, WHERE), refused('conflict', /already live/));
    assert.throws(() => stackRollbackTarget(history, 9, WHERE), refused('not_found', /has no release 9/));
    assert.throws(() => stackRollbackTarget([], null, WHERE), refused('not_found', /app shop has no stack back/));
    assert.throws(() => stackRollbackTarget([testRelease(1, 'live')], null, WHERE), refused('conflict', /no earlier release/));
  });
});
