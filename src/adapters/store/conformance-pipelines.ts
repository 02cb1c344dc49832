// Store conformance: what pipelines add to runs — details (event, parameters, restart, plan, cancel), steps, step logs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NewRunStep, RunDetails } from '../../core/ports/store.js';
import { newRun, slipwayError, withStore, type OpenStore } from './conformance-kit.js';

const plain: RunDetails = { event: 'push', params: {}, restartOf: null, workspace: null, plan: null, cancelRequested: false, cronName: null, target: null, fromFork: false, sourceBranch: null, resumes: 0 };

const step = (pipeline: string, name: string, status: NewRunStep['status'] = 'pending', skipReason: string | null = null): NewRunStep =>
  ({ pipeline, name, status, skipReason });

const unstarted = { exitCode: null, error: null, startedAt: null, finishedAt: null };

export function pipelineConformance(open: OpenStore): void {
  describe('run details', () => {
    it('gives new runs their event, parameters and restart, and plain defaults otherwise', async () => {
      await withStore(open, async (store) => {
        const push = await store.createRun(newRun('web'));
        assert.deepEqual(await store.getRunDetails(push.id), plain);
        const rollback = await store.createRun({ app: 'web', source: 'rollback', ref: null, commit: 'x', targetRelease: 1 });
        assert.deepEqual(await store.getRunDetails(rollback.id), { ...plain, event: 'rollback' });
        const manual = await store.createRun({ ...newRun('web'), event: 'manual', params: { TARGET: 'eu', DRY: '' }, restartOf: push.id });
        assert.deepEqual(await store.getRunDetails(manual.id), { ...plain, event: 'manual', params: { TARGET: 'eu', DRY: '' }, restartOf: push.id });
        const promote = await store.createRun({ ...newRun('web'), event: 'deploy', target: 'production' });
        assert.deepEqual(await store.getRunDetails(promote.id), { ...plain, event: 'deploy', target: 'production' });
        // The Run record itself is what it was before pipelines.
        assert.deepEqual(await store.getRun(manual.id), { ...push, id: manual.id, createdAt: manual.createdAt });
        assert.equal(await store.getRunDetails(9999), null);
      });
    });

    it('refuses to restart a run that does not exist, creating nothing', async () => {
      await withStore(open, async (store) => {
        await assert.rejects(store.createRun({ ...newRun('web'), restartOf: 9999 }), slipwayError('not_found', 'restartOf'));
        assert.deepEqual(await store.listRuns('web', 10), []);
        const first = await store.createRun(newRun('web'));
        assert.equal(first.id, 1, 'a refused run must not use up an id');
      });
    });

    it('updates workspace, plan and cancel; null clears; an empty patch changes nothing', async () => {
      await withStore(open, async (store) => {
        const run = await store.createRun(newRun('web'));
        const plan = { pipelines: [{ name: 'test', steps: [{ name: 'unit', commands: ['npm test'], skip: null }] }], warnings: [] };
        const updated = await store.updateRunDetails(run.id, { workspace: 'slipway-ws-1', plan, cancelRequested: true });
        assert.deepEqual(updated, { ...plain, workspace: 'slipway-ws-1', plan, cancelRequested: true });
        assert.deepEqual(await store.getRunDetails(run.id), updated);
        assert.deepEqual(await store.updateRunDetails(run.id, {}), updated);
        assert.deepEqual(await store.updateRunDetails(run.id, { plan: undefined, workspace: undefined }), updated);
        const cleared = await store.updateRunDetails(run.id, { workspace: null, plan: null, cancelRequested: false });
        assert.deepEqual(cleared, plain);
      });
    });

    it('counts resumes: a new run has none, a patch sets the count and leaves the rest', async () => {
      await withStore(open, async (store) => {
        const run = await store.createRun(newRun('web'));
        assert.equal((await store.getRunDetails(run.id))?.resumes, 0);
        const once = await store.updateRunDetails(run.id, { resumes: 1 });
        assert.deepEqual(once, { ...plain, resumes: 1 });
        assert.equal((await store.getRunDetails(run.id))?.resumes, 1);
        assert.equal((await store.updateRunDetails(run.id, { cancelRequested: true })).resumes, 1);
        assert.equal((await store.updateRunDetails(run.id, { resumes: 2 })).resumes, 2);
      });
    });

    it('stores the plan as JSON gives it back, and refuses what JSON cannot carry', async () => {
      await withStore(open, async (store) => {
        const run = await store.createRun(newRun('web'));
        const details = await store.updateRunDetails(run.id, { plan: { a: undefined, b: [1, undefined], when: new Date(0) } });
        assert.deepEqual(details.plan, { b: [1, null], when: '1970-01-01T00:00:00.000Z' });
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        await assert.rejects(store.updateRunDetails(run.id, { plan: cyclic }), slipwayError('internal', 'plan'));
        assert.deepEqual((await store.getRunDetails(run.id))?.plan, details.plan);
      });
    });

    it('does not hand out stored details by reference', async () => {
      await withStore(open, async (store) => {
        const params: Record<string, string> = { A: '1' };
        const run = await store.createRun({ ...newRun('web'), event: 'manual', params });
        params.A = 'changed';
        const plan = { steps: ['a'] };
        await store.updateRunDetails(run.id, { plan });
        plan.steps.push('b');
        const read = await store.getRunDetails(run.id);
        assert.deepEqual(read?.params, { A: '1' });
        assert.deepEqual(read?.plan, { steps: ['a'] });
      });
    });

    it('refuses to update a run that does not exist', async () => {
      await withStore(open, async (store) => {
        await assert.rejects(store.updateRunDetails(9999, { cancelRequested: true }), slipwayError('not_found', 'runId'));
        await assert.rejects(store.updateRunDetails(9999, {}), slipwayError('not_found', 'runId'));
      });
    });
  });

  describe('run steps', () => {
    it('saves the plan\'s steps in order and lists them by position', async () => {
      await withStore(open, async (store) => {
        const run = await store.createRun(newRun('web'));
        const other = await store.createRun(newRun('web'));
        await store.saveRunSteps(run.id, [
          step('test', 'install'),
          step('test', 'unit'),
          step('deploy', 'notify', 'skipped', 'when.branch does not match "feature/x"'),
          step('deploy', 'unit'), // the same step name in another pipeline is another step
        ]);
        await store.saveRunSteps(other.id, [step('test', 'install')]);
        assert.deepEqual(await store.listRunSteps(run.id), [
          { runId: run.id, position: 0, ...step('test', 'install'), ...unstarted },
          { runId: run.id, position: 1, ...step('test', 'unit'), ...unstarted },
          { runId: run.id, position: 2, ...step('deploy', 'notify', 'skipped', 'when.branch does not match "feature/x"'), ...unstarted },
          { runId: run.id, position: 3, ...step('deploy', 'unit'), ...unstarted },
        ]);
        assert.equal((await store.listRunSteps(other.id)).length, 1);
        assert.deepEqual(await store.listRunSteps(9999), []);
      });
    });

    it('replaces a run\'s steps, and their logs with them', async () => {
      await withStore(open, async (store) => {
        const run = await store.createRun(newRun('web'));
        await store.saveRunSteps(run.id, [step('test', 'a'), step('test', 'b')]);
        await store.updateRunStep(run.id, 'test', 'a', { status: 'failed', exitCode: 1 });
        await store.appendStepLog(run.id, 'test', 'a', 'old output\n');
        await store.saveRunSteps(run.id, [step('test', 'b'), step('test', 'a')]);
        assert.deepEqual(await store.listRunSteps(run.id), [
          { runId: run.id, position: 0, ...step('test', 'b'), ...unstarted },
          { runId: run.id, position: 1, ...step('test', 'a'), ...unstarted },
        ]);
        assert.equal(await store.readStepLog(run.id, 'test', 'a'), '');
        await store.saveRunSteps(run.id, []);
        assert.deepEqual(await store.listRunSteps(run.id), []);
      });
    });

    it('refuses a step listed twice, keeping what was saved', async () => {
      await withStore(open, async (store) => {
        const run = await store.createRun(newRun('web'));
        await store.saveRunSteps(run.id, [step('test', 'a')]);
        await assert.rejects(store.saveRunSteps(run.id, [step('test', 'x'), step('test', 'x')]), slipwayError('invalid_input', 'steps'));
        assert.deepEqual((await store.listRunSteps(run.id)).map((s) => s.name), ['a']);
      });
    });

    it('refuses steps of a run that does not exist', async () => {
      await withStore(open, async (store) => {
        await assert.rejects(store.saveRunSteps(9999, [step('test', 'a')]), slipwayError('not_found', 'runId'));
        await assert.rejects(store.saveRunSteps(9999, []), slipwayError('not_found', 'runId'));
        assert.deepEqual(await store.listRunSteps(9999), []);
      });
    });

    it('updates the fields a patch names; null clears; a missing step is not_found', async () => {
      await withStore(open, async (store) => {
        const run = await store.createRun(newRun('web'));
        await store.saveRunSteps(run.id, [step('test', 'unit'), step('test', 'lint')]);
        const running = await store.updateRunStep(run.id, 'test', 'unit', { status: 'running', startedAt: 's' });
        assert.deepEqual(running, { runId: run.id, position: 0, ...step('test', 'unit', 'running'), ...unstarted, startedAt: 's' });
        const failed = await store.updateRunStep(run.id, 'test', 'unit', {
          status: 'failed', exitCode: 137, error: 'timed out after 10m', finishedAt: 'f', skipReason: undefined,
        });
        assert.deepEqual(failed, { ...running, status: 'failed', exitCode: 137, error: 'timed out after 10m', finishedAt: 'f' });
        assert.deepEqual(await store.updateRunStep(run.id, 'test', 'unit', {}), failed);
        const cleared = await store.updateRunStep(run.id, 'test', 'unit', { exitCode: null, error: null, skipReason: 'r' });
        assert.deepEqual(cleared, { ...failed, exitCode: null, error: null, skipReason: 'r' });
        assert.deepEqual((await store.listRunSteps(run.id))[1], { runId: run.id, position: 1, ...step('test', 'lint'), ...unstarted });

        await assert.rejects(store.updateRunStep(run.id, 'test', 'nope', { status: 'running' }), slipwayError('not_found', 'step'));
        await assert.rejects(store.updateRunStep(run.id, 'other', 'unit', {}), slipwayError('not_found', 'step'));
        await assert.rejects(store.updateRunStep(9999, 'test', 'unit', {}), slipwayError('not_found', 'step'));
      });
    });

    it('keeps every update when steps of one pipeline finish concurrently', async () => {
      await withStore(open, async (store) => {
        const run = await store.createRun(newRun('web'));
        const names = Array.from({ length: 12 }, (_, i) => `s${i}`);
        await store.saveRunSteps(run.id, names.map((n) => step('p', n)));
        await Promise.all(names.map((n, i) => store.updateRunStep(run.id, 'p', n, { status: 'succeeded', exitCode: i })));
        assert.deepEqual((await store.listRunSteps(run.id)).map((s) => [s.name, s.status, s.exitCode]), names.map((n, i) => [n, 'succeeded', i]));
      });
    });
  });

  describe('step logs', () => {
    it('stores each step\'s chunks in order and reads them concatenated', async () => {
      await withStore(open, async (store) => {
        const run = await store.createRun(newRun('web'));
        await store.saveRunSteps(run.id, [step('test', 'unit'), step('build', 'unit')]);
        assert.equal(await store.readStepLog(run.id, 'test', 'unit'), '');
        await store.appendStepLog(run.id, 'test', 'unit', '+ npm test\n');
        await store.appendStepLog(run.id, 'build', 'unit', 'other pipeline\n');
        await store.appendStepLog(run.id, 'test', 'unit', 'ünïcode ✓\n');
        await store.appendStepLog(run.id, 'test', 'unit', '');
        assert.equal(await store.readStepLog(run.id, 'test', 'unit'), '+ npm test\nünïcode ✓\n');
        assert.equal(await store.readStepLog(run.id, 'build', 'unit'), 'other pipeline\n');
        assert.equal(await store.readStepLog(run.id, 'test', 'nope'), '');
        assert.equal(await store.readStepLog(9999, 'test', 'unit'), '');
        assert.equal(await store.readRunLog(run.id), '', 'step logs are not the run log');
      });
    });

    it('keeps the call order of appends issued without waiting, per step', async () => {
      await withStore(open, async (store) => {
        const run = await store.createRun(newRun('web'));
        await store.saveRunSteps(run.id, [step('p', 'a'), step('p', 'b')]);
        const chunks = Array.from({ length: 50 }, (_, i) => `${i},`);
        await Promise.all(chunks.flatMap((c) => [store.appendStepLog(run.id, 'p', 'a', c), store.appendStepLog(run.id, 'p', 'b', `b${c}`)]));
        assert.equal(await store.readStepLog(run.id, 'p', 'a'), chunks.join(''));
        assert.equal(await store.readStepLog(run.id, 'p', 'b'), chunks.map((c) => `b${c}`).join(''));
      });
    });

    it('refuses a log for a step that does not exist', async () => {
      await withStore(open, async (store) => {
        const run = await store.createRun(newRun('web'));
        await store.saveRunSteps(run.id, [step('p', 'a')]);
        await assert.rejects(store.appendStepLog(run.id, 'p', 'b', 'x'), slipwayError('not_found', 'step'));
        await assert.rejects(store.appendStepLog(9999, 'p', 'a', 'x'), slipwayError('not_found', 'step'));
      });
    });
  });
}
