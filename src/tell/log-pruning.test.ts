// The log-pruning subscriber: what it asks the store after a run finishes.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventBus } from '../core/events.js';
import { DEFAULT_KEEP_RUNS, subscribeLogPruning } from './log-pruning.js';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('log pruning', () => {
  it('prunes the finished run\'s app, keeping the newest runs and an age bound, and stops when unsubscribed', async () => {
    const bus = new EventBus();
    const calls: unknown[][] = [];
    const off = subscribeLogPruning(bus, { pruneRunLogs: async (...args) => (calls.push(args), 0) }, {
      maxAgeMs: 24 * 3600 * 1000, now: () => new Date('2026-03-02T00:00:00.000Z'), warn: assert.fail,
    });
    bus.emit('run.finished', { runId: 7, app: 'web', status: 'succeeded', error: null });
    await settle();
    assert.deepEqual(calls, [['web', DEFAULT_KEEP_RUNS, '2026-03-01T00:00:00.000Z']]);
    off();
    bus.emit('run.finished', { runId: 8, app: 'web', status: 'failed', error: null });
    await settle();
    assert.equal(calls.length, 1);
  });

  it('warns when the store fails, without throwing into the bus', async () => {
    const bus = new EventBus();
    const warnings: string[] = [];
    subscribeLogPruning(bus, { pruneRunLogs: async () => { throw new Error('disk I/O error'); } }, { keepRuns: 5, maxAgeMs: null, warn: (l) => warnings.push(l) });
    bus.emit('run.finished', { runId: 1, app: 'api', status: 'succeeded', error: null });
    await settle();
    assert.match(warnings.join('\n'), /could not prune api's old run logs: Error: disk I\/O error/);
  });
});
