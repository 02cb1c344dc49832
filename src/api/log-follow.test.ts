import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../adapters/store/memory.js';
import { EventBus } from '../core/events.js';
import type { Store } from '../core/ports/store.js';
import type { Run } from '../core/types.js';
import { RunLog } from '../run/run-log.js';
import { followRunLog } from './log-follow.js';
import { readAll } from './testing.js';

async function setup() {
  const store = createMemoryStore();
  const bus = new EventBus();
  const run = await store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: 'a'.repeat(40) });
  await store.claimNextRuns(new Date().toISOString());
  return { store, bus, run };
}

/** What executeRun's finish does: status first, then the event. */
async function finish(store: Store, bus: EventBus, run: Run): Promise<void> {
  await store.updateRun(run.id, { status: 'succeeded', phase: 'done' });
  bus.emit('run.finished', { runId: run.id, app: run.app, status: 'succeeded', error: null });
}


/** A store whose readRunLog lets the test act after the stored log was read but before the follower gets it. */
function withHookedRead(store: Store, afterRead: () => Promise<void>): Store {
  return Object.assign(Object.create(store) as Store, {
    async readRunLog(runId: number) {
      const text = await store.readRunLog(runId);
      await afterRead();
      return text;
    },
  });
}

describe('followRunLog', () => {
  it('sends the stored log, then live chunks, and ends with the footer when the run finishes', async () => {
    const { store, bus, run } = await setup();
    const log = await RunLog.open(store, bus, run.id, run.app);
    log.write('one\n');
    log.write('two\n');
    await log.flush();
    const reading = readAll(followRunLog(store, bus, run.id, { follow: true, footer: (r) => `[${r.status}]\n` }));
    await new Promise((r) => setTimeout(r, 5));
    log.write('three\n');
    log.write('four\n');
    await log.flush();
    await finish(store, bus, run);
    assert.deepEqual(await reading, { text: 'one\ntwo\nthree\nfour\n[succeeded]\n', ended: true });
  });

  it('neither repeats nor drops chunks written while the stored part is being read', async () => {
    const { store, bus, run } = await setup();
    const log = await RunLog.open(store, bus, run.id, run.app);
    log.write('stored\n');
    await log.flush();
    // Stored before the read, announced after it (RunLog appends, then publishes): must not be sent twice.
    await store.appendRunLog(run.id, 'raced\n');
    const racedOffset = 'stored\n'.length;
    const hooked = withHookedRead(store, async () => {
      bus.emit('run.log', { runId: run.id, app: run.app, text: 'raced\n', offset: racedOffset });
      // Stored and announced after the read: must be sent, once, in order.
      const late = await RunLog.open(store, bus, run.id, run.app);
      late.write('during-1\n');
      late.write('during-2\n');
      await late.flush();
    });
    const reading = readAll(followRunLog(hooked, bus, run.id, { follow: true }));
    await new Promise((r) => setTimeout(r, 5));
    const after = await RunLog.open(store, bus, run.id, run.app);
    after.write('after\n');
    await after.flush();
    await finish(store, bus, run);
    const { text, ended } = await reading;
    assert.equal(text, 'stored\nraced\nduring-1\nduring-2\nafter\n');
    assert.equal(text, await store.readRunLog(run.id));
    assert.equal(ended, true);
  });

  it('ends when the run finished while the stored part was being read', async () => {
    const { store, bus, run } = await setup();
    await store.appendRunLog(run.id, 'all of it\n');
    const hooked = withHookedRead(store, () => finish(store, bus, run));
    const { text, ended } = await readAll(followRunLog(hooked, bus, run.id, { follow: true, footer: () => 'done\n' }));
    assert.equal(ended, true);
    assert.equal(text, 'all of it\ndone\n');
  });

  it('with follow=false ends at once after the stored log, even while the run is still going', { timeout: 10_000 }, async () => {
    const { store, bus, run } = await setup();
    await store.appendRunLog(run.id, 'so far\n');
    const { text, ended } = await readAll(followRunLog(store, bus, run.id, { follow: false, footer: (r) => `(${r.status})\n` }));
    assert.equal(ended, true);
    assert.equal(text, 'so far\n(running)\n');
    bus.emit('run.log', { runId: run.id, app: run.app, text: 'later\n', offset: 7 }); // nobody listens: no error
  });

  it('ends at once for a run that has already finished, with the footer', async () => {
    const { store, bus, run } = await setup();
    await store.appendRunLog(run.id, 'built\n');
    await finish(store, bus, run);
    const { text, ended } = await readAll(followRunLog(store, bus, run.id, { follow: true, footer: (r) => `result: ${r.status}\n` }));
    assert.deepEqual({ text, ended }, { text: 'built\nresult: succeeded\n', ended: true });
  });

  it('ignores chunks and endings of other runs, and stops listening when the reader cancels', async () => {
    const { store, bus, run } = await setup();
    const other = await store.createRun({ app: 'api', source: 'git', ref: null, commit: 'b'.repeat(40) });
    const stream = followRunLog(store, bus, run.id, { follow: true });
    await new Promise((r) => setTimeout(r, 5));
    bus.emit('run.log', { runId: other.id, app: 'api', text: 'not mine\n', offset: 0 });
    bus.emit('run.finished', { runId: other.id, app: 'api', status: 'succeeded', error: null });
    const { text, ended } = await readAll(stream, 50);
    assert.deepEqual({ text, ended }, { text: '', ended: false });
    // Cancelled by readAll: later events for this run must not touch the closed stream.
    bus.emit('run.log', { runId: run.id, app: 'web', text: 'late\n', offset: 0 });
    bus.emit('run.finished', { runId: run.id, app: 'web', status: 'succeeded', error: null });
  });

  it('survives a run that finishes while the follower checks its status', async () => {
    const { store, bus, run } = await setup();
    await store.appendRunLog(run.id, 'log\n');
    // executeRun's finish: the store says succeeded before run.finished is emitted (recordEvent runs in between).
    await store.updateRun(run.id, { status: 'succeeded', phase: 'done' });
    let reads = 0;
    const racing = Object.assign(Object.create(store) as Store, {
      async getRun(id: number) {
        // 1st: the follower's status check; 2nd: end() reading the run for the footer — the event lands meanwhile.
        const read = await store.getRun(id);
        if (++reads === 2) bus.emit('run.finished', { runId: run.id, app: run.app, status: 'succeeded', error: null });
        return read;
      },
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { text, ended } = await readAll(followRunLog(racing, bus, run.id, { follow: true, footer: () => 'ok\n' }));
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual({ text, ended }, { text: 'log\nok\n', ended: true });
      assert.deepEqual(unhandled.map(String), []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
