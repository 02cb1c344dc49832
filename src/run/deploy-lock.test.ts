import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../core/errors.js';
import { DeployLock } from './deploy-lock.js';

describe('deploy lock', () => {
  it('hands an app\'s lock on in the order it was asked for; other apps do not wait', async () => {
    const lock = new DeployLock();
    const order: string[] = [];
    const first = await lock.acquire('web');
    const second = lock.acquire('web').then((unlock) => (order.push('second'), unlock));
    const third = lock.acquire('web').then((unlock) => (order.push('third'), unlock));
    const other = await lock.acquire('api');
    order.push('api');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, ['api'], 'web waiters wait while web is held');
    first();
    first(); // a second call is harmless and hands nothing on
    (await second)();
    (await third)();
    other();
    assert.deepEqual(order, ['api', 'second', 'third']);
    assert.equal(lock.isHeld('web'), false);
    assert.equal(lock.isHeld('api'), false);
  });

  it('a waiter that is aborted leaves the queue; the next one still gets its turn', async () => {
    const lock = new DeployLock();
    const held = await lock.acquire('web');
    const cancel = new AbortController();
    const aborted = lock.acquire('web', cancel.signal);
    const next = lock.acquire('web');
    cancel.abort(new Error('cancelled'));
    await assert.rejects(aborted, /cancelled while waiting to deploy web/);
    held();
    (await next)();
    assert.equal(lock.isHeld('web'), false);
    await assert.rejects(lock.acquire('web', cancel.signal), /cancelled while waiting to deploy web/, 'an aborted signal never takes the lock');
    assert.equal(lock.isHeld('web'), false);
  });

  it('a waiter whose step timed out fails with the reason, not as cancelled', async () => {
    const lock = new DeployLock();
    const held = await lock.acquire('web');
    // What AbortSignal.timeout gives (its own timer is unref'd: a test with nothing else pending would just exit).
    const step = new AbortController();
    setTimeout(() => step.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), 20);
    await assert.rejects(lock.acquire('web', AbortSignal.any([new AbortController().signal, step.signal])), (err) => {
      assert.ok(err instanceof SlipwayError && err.kind === 'conflict', String(err));
      assert.match(err.message, /timeout passed while it waited for another deploy of web/);
      return true;
    });
    held();
    assert.equal(lock.isHeld('web'), false);
  });

  it('with() unlocks when its work throws, and says when it waits', async () => {
    const lock = new DeployLock();
    const logs: string[] = [];
    const held = await lock.acquire('web');
    const failing = lock.with('web', undefined, (t) => logs.push(t), async () => {
      throw new Error('rollout failed');
    });
    held();
    await assert.rejects(failing, /rollout failed/);
    assert.match(logs.join(''), /waiting for another deploy of web/);
    assert.equal(await lock.with('web', undefined, (t) => logs.push(t), async () => 7), 7);
    assert.equal(logs.length, 1, 'no wait message when the lock is free');
  });
});
