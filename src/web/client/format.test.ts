import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AnsiFilter, appHash, badgeText, createAppRequest, parseRoute, relativeTime, replicaText, replicaTone, runSourceText,
  shortCommit, shortDigest, stepDetail, stepDuration, stripAnsi,
} from './format.js';

describe('dashboard format', () => {
  it('shortens commits and digests, keeping non-digest references whole', () => {
    assert.equal(shortCommit('2abc1234def5678'), '2abc123');
    assert.equal(shortCommit(`sha256:${'9f86d081'.repeat(8)}`), '9f86d08');
    assert.equal(shortCommit(null), '');
    assert.equal(shortDigest(`127.0.0.1:5000/slipway/hello@sha256:${'9f86d081'.repeat(8)}`), 'sha256:9f86d0819f86');
    assert.equal(shortDigest(`r/x@sha256:${'a'.repeat(64)}`), `sha256:${'a'.repeat(12)}`);
    assert.equal(shortDigest('r/x:latest'), 'r/x:latest');
    assert.equal(badgeText('rolled_back'), 'rolled back');
  });

  it('says how long ago in the largest unit under a week, and gives up beyond', () => {
    const now = Date.parse('2026-01-10T12:00:00Z');
    assert.deepEqual(relativeTime('2026-01-10T11:59:30Z', now), { amount: -30, unit: 'second' });
    assert.deepEqual(relativeTime('2026-01-10T11:30:00Z', now), { amount: -30, unit: 'minute' });
    assert.deepEqual(relativeTime('2026-01-10T07:00:00Z', now), { amount: -5, unit: 'hour' });
    assert.deepEqual(relativeTime('2026-01-08T12:00:00Z', now), { amount: -2, unit: 'day' });
    assert.equal(relativeTime('2025-12-01T12:00:00Z', now), null);
  });

  it('sums up replicas by tone and words', () => {
    assert.equal(replicaTone({ desired: 0, running: 0, healthy: 0 }), 'idle');
    assert.equal(replicaTone({ desired: 2, running: 2, healthy: 2 }), 'ok');
    assert.equal(replicaTone({ desired: 2, running: 1, healthy: 1 }), 'degraded');
    assert.equal(replicaTone({ desired: 1, running: 0, healthy: 0 }), 'down');
    assert.equal(replicaText({ desired: 0, running: 0, healthy: 0 }), 'stopped');
    assert.equal(replicaText({ desired: 3, running: 1, healthy: 0 }), '1/3 running');
  });

  it('describes runs and steps in words', () => {
    assert.equal(runSourceText({ source: 'rollback', targetRelease: 2 }), 'rollback to #2');
    assert.equal(runSourceText({ source: 'git', targetRelease: null }), 'git');
    const now = Date.parse('2026-01-10T12:00:00Z');
    assert.equal(stepDuration({ startedAt: null, finishedAt: null }, now), '');
    assert.equal(stepDuration({ startedAt: '2026-01-10T11:59:58.500Z', finishedAt: '2026-01-10T12:00:00Z' }, now), '1.5 s');
    assert.equal(stepDuration({ startedAt: '2026-01-10T11:57:50Z', finishedAt: null }, now), '2 min 10 s');
    assert.equal(stepDetail({ skipReason: 'branch is not main', error: null, exitCode: null }), 'branch is not main');
    assert.equal(stepDetail({ skipReason: null, error: 'timed out after 10 min', exitCode: 137 }), 'timed out after 10 min');
    assert.equal(stepDetail({ skipReason: null, error: null, exitCode: 2 }), 'exit code 2');
    assert.equal(stepDetail({ skipReason: null, error: null, exitCode: 0 }), '');
  });

  it('strips colour codes, holding back one cut between chunks', () => {
    assert.equal(stripAnsi('a \x1b[32mgreen\x1b[0m b'), 'a green b');
    const filter = new AnsiFilter();
    assert.equal(filter.push('Step 2: \x1b[3'), 'Step 2: ');
    assert.equal(filter.push('2mhello\x1b'), 'hello');
    assert.equal(filter.push('[0m\n'), '\n');
    assert.equal(filter.push('<b>kept as text</b>'), '<b>kept as text</b>');
  });

  it('reads and writes the hash routes, percent-escaping names', () => {
    assert.deepEqual(parseRoute('#/apps/hello'), { app: 'hello', runId: null });
    assert.deepEqual(parseRoute('#/apps/hello/runs/43'), { app: 'hello', runId: 43 });
    assert.deepEqual(parseRoute(appHash('<img src=x>', 7)), { app: '<img src=x>', runId: 7 });
    assert.equal(appHash('a/b'), '#/apps/a%2Fb');
    assert.deepEqual(parseRoute('#/apps/%E0%A4%A'), { app: null, runId: null });
    assert.deepEqual(parseRoute('#/'), { app: null, runId: null });
    assert.deepEqual(parseRoute('#/apps/hello/runs/x'), { app: null, runId: null });
  });

  it('leaves blank create-form fields out so the server defaults apply', () => {
    const form = (values: Record<string, string>) => (key: string) => values[key] ?? '';
    assert.deepEqual(createAppRequest(form({ name: 'shop', domain: 'shop.example.com', replicas: '3' })),
      { name: 'shop', domain: 'shop.example.com', replicas: 3 });
    assert.deepEqual(createAppRequest(form({ name: 'a', domain: 'a.io', port: '8080', branch: 'prod' })),
      { name: 'a', domain: 'a.io', port: 8080, branch: 'prod' });
  });
});
