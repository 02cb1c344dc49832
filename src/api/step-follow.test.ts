// Unit tests of one step's live log and of a run's server-sent events, fed by the real step recorder.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../adapters/store/memory.js';
import { EventBus } from '../core/events.js';
import { RunLog } from '../run/run-log.js';
import { StoreStepRecorder } from '../run/step-recorder.js';
import { followStepLog } from './log-follow.js';
import { readAll } from './testing.js';
import { runEventStream } from './run-events.js';

async function setup() {
  const store = createMemoryStore();
  const bus = new EventBus();
  const run = await store.createRun({ app: 'web', source: 'git', ref: 'refs/heads/main', commit: 'a'.repeat(40) });
  await store.claimNextRuns(new Date().toISOString());
  await store.saveRunSteps(run.id, [
    { pipeline: 'ci', name: 'test', status: 'pending', skipReason: null },
    { pipeline: 'ci', name: 'lint', status: 'pending', skipReason: null },
  ]);
  const recorder = new StoreStepRecorder(store, bus, run.id, await RunLog.open(store, bus, run.id, run.app));
  return { store, bus, run, recorder };
}


const tick = () => new Promise((r) => setTimeout(r, 5));

describe('followStepLog', () => {
  it('sends what the step stored, then its live output only, and ends when the step ends', async () => {
    const { store, bus, run, recorder } = await setup();
    await recorder.stepState('ci', 'test', 'running');
    recorder.stepOutput('ci', 'test', 'npm test\n');
    await recorder.flush();
    const reading = readAll(followStepLog(store, bus, run.id, 'ci', 'test', true));
    await tick();
    recorder.stepOutput('ci', 'lint', 'not this step\n');
    recorder.stepOutput('ci', 'test', '3 passing\n');
    await recorder.stepState('ci', 'test', 'succeeded', undefined, 0);
    assert.deepEqual(await reading, { text: 'npm test\n3 passing\n', ended: true });
  });

  it('ends at once for a finished step, and when the run ends without running the step', async () => {
    const { store, bus, run, recorder } = await setup();
    await recorder.stepState('ci', 'test', 'running');
    recorder.stepOutput('ci', 'test', 'done\n');
    await recorder.stepState('ci', 'test', 'failed', 'exit code 1', 1);
    assert.deepEqual(await readAll(followStepLog(store, bus, run.id, 'ci', 'test', true)), { text: 'done\n', ended: true });
    const waiting = readAll(followStepLog(store, bus, run.id, 'ci', 'lint', true));
    await tick();
    await store.updateRun(run.id, { status: 'cancelled', phase: 'done' });
    bus.emit('run.finished', { runId: run.id, app: run.app, status: 'cancelled', error: null });
    assert.deepEqual(await waiting, { text: '', ended: true });
  });

  it('without follow ends after the stored part while the step still runs', async () => {
    const { store, bus, run, recorder } = await setup();
    await recorder.stepState('ci', 'test', 'running');
    recorder.stepOutput('ci', 'test', 'so far\n');
    await recorder.flush();
    assert.deepEqual(await readAll(followStepLog(store, bus, run.id, 'ci', 'test', false)), { text: 'so far\n', ended: true });
  });
});

/** Parses `event:`/`data:` blocks. */
function events(text: string): Array<{ event: string; data: Record<string, unknown> }> {
  return text.split('\n\n').filter((b) => b.startsWith('event: ')).map((block) => {
    const [event, data] = block.split('\n');
    return { event: event!.slice('event: '.length), data: JSON.parse(data!.slice('data: '.length)) as Record<string, unknown> };
  });
}

describe('runEventStream', () => {
  it('sends every step as stored, then state changes and output as they happen, then the end', async () => {
    const { store, bus, run, recorder } = await setup();
    await recorder.stepState('ci', 'test', 'running');
    recorder.stepOutput('ci', 'test', 'before connecting\n');
    await recorder.flush();
    const reading = readAll(runEventStream(store, bus, run.id));
    await tick();
    recorder.stepOutput('ci', 'test', 'line with "quotes"\nand a second\n');
    await recorder.stepState('ci', 'test', 'succeeded', undefined, 0);
    await recorder.stepState('ci', 'lint', 'skipped', 'when: branch "main" does not match [dev]');
    await store.updateRun(run.id, { status: 'succeeded', phase: 'done' });
    bus.emit('run.finished', { runId: run.id, app: run.app, status: 'succeeded', error: null });
    const { text, ended } = await reading;
    assert.equal(ended, true);
    assert.deepEqual(events(text), [
      { event: 'step', data: { pipeline: 'ci', step: 'test', status: 'running', exitCode: null, note: null } },
      { event: 'step', data: { pipeline: 'ci', step: 'lint', status: 'pending', exitCode: null, note: null } },
      { event: 'log', data: { pipeline: 'ci', step: 'test', offset: 'before connecting\n'.length, text: 'line with "quotes"\nand a second\n' } },
      { event: 'step', data: { pipeline: 'ci', step: 'test', status: 'succeeded', exitCode: 0, note: null } },
      { event: 'step', data: { pipeline: 'ci', step: 'lint', status: 'skipped', exitCode: null, note: 'when: branch "main" does not match [dev]' } },
      { event: 'end', data: { status: 'succeeded', error: null } },
    ]);
  });

  it('with replay, sends each step\'s stored output first, then joins the live output without a gap or a repeat', async () => {
    const { store, bus, run, recorder } = await setup();
    await recorder.stepState('ci', 'test', 'running');
    recorder.stepOutput('ci', 'test', 'before connecting\n');
    await recorder.flush();
    const reading = readAll(runEventStream(store, bus, run.id, { replay: true }));
    // Announced while the replay reads the store: already in the stored log, so it must not come twice.
    bus.emit('step.log', { runId: run.id, pipeline: 'ci', step: 'test', offset: 0, text: 'before connecting\n' });
    await tick();
    recorder.stepOutput('ci', 'test', 'after\n');
    await recorder.flush();
    // One that overlaps what the client has by its first 6 characters: only the rest is sent.
    bus.emit('step.log', { runId: run.id, pipeline: 'ci', step: 'test', offset: 'before connecting\n'.length, text: 'after\nagain\n' });
    await recorder.flush();
    await store.updateRun(run.id, { status: 'succeeded', phase: 'done' });
    bus.emit('run.finished', { runId: run.id, app: run.app, status: 'succeeded', error: null });
    const logs = events((await reading).text).filter((e) => e.event === 'log').map((e) => [e.data.offset, e.data.text]);
    const start = 'before connecting\n'.length;
    assert.deepEqual(logs, [[0, 'before connecting\n'], [start, 'after\n'], [start + 'after\n'.length, 'again\n']]);
  });

  it('replays a long stored log in pieces, never splitting a character', async () => {
    const { store, bus, run, recorder } = await setup();
    await recorder.stepState('ci', 'test', 'running');
    const long = `${'x'.repeat(64 * 1024 - 1)}😀${'y'.repeat(100)}\n`;
    recorder.stepOutput('ci', 'test', long);
    await recorder.stepState('ci', 'test', 'succeeded', undefined, 0);
    await store.updateRun(run.id, { status: 'succeeded', phase: 'done' });
    const logs = events((await readAll(runEventStream(store, bus, run.id, { replay: true }))).text).filter((e) => e.event === 'log');
    assert.equal(logs.length, 2);
    assert.equal(logs.map((e) => e.data.text).join(''), long);
    assert.equal(logs[1]?.data.offset, (logs[0]?.data.text as string).length);
    assert.ok((logs[1]?.data.text as string).startsWith('😀'), 'the pair stays whole in the second piece');
  });

  it('closes at once after the steps for a finished run', async () => {
    const { store, bus, run } = await setup();
    await store.updateRun(run.id, { status: 'failed', phase: 'done', error: { kind: 'build_failed', message: 'step test failed' } });
    const { text, ended } = await readAll(runEventStream(store, bus, run.id));
    assert.equal(ended, true);
    assert.deepEqual(events(text).map((e) => e.event), ['step', 'step', 'end']);
    assert.deepEqual(events(text).at(-1)?.data, { status: 'failed', error: { kind: 'build_failed', message: 'step test failed' } });
  });
});
