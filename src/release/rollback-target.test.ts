import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Release, ReleaseStatus } from '../core/types.js';
import { rollbackTarget } from './rollback-target.js';

function rel(number: number, status: ReleaseStatus, image = `img@sha256:${number}`): Release {
  return {
    id: number, app: 'a', number, image, commit: 'c', runId: null, status, rollbackOf: null, createdAt: '', deployedAt: null,
    spec: { app: 'a', image, port: 3000, replicas: 1, env: {}, releaseNumber: number },
  };
}

test('default target is the newest earlier release that was live, skipping failed ones', () => {
  const releases = [rel(4, 'live'), rel(3, 'failed'), rel(2, 'superseded'), rel(1, 'superseded')];
  assert.equal(rollbackTarget(releases, null, 'a').number, 2);
});

test('default target skips a release with the live image', () => {
  const releases = [rel(3, 'live', 'x'), rel(2, 'rolled_back', 'x'), rel(1, 'superseded', 'y')];
  assert.equal(rollbackTarget(releases, null, 'a').number, 1);
});

test('a named release must exist, must not be live and must have been live', () => {
  const releases = [rel(3, 'live'), rel(2, 'failed'), rel(1, 'superseded')];
  assert.equal(rollbackTarget(releases, 1, 'a').number, 1);
  assert.throws(() => rollbackTarget(releases, 9, 'a'), { kind: 'not_found' });
  assert.throws(() => rollbackTarget(releases, 3, 'a'), { kind: 'conflict' });
  assert.throws(() => rollbackTarget(releases, 2, 'a'), /never went live/);
});

test('no earlier release is a conflict with a hint', () => {
  assert.throws(() => rollbackTarget([rel(1, 'live')], null, 'a'), (e: unknown) => (e as { hint?: string }).hint?.includes('slipway releases a') === true);
});

test('default target does not skip a release with the live image but another config (issue 14: a config change keeps the image)', () => {
  const releases = [rel(3, 'live', 'x'), rel(2, 'superseded', 'x'), rel(1, 'superseded', 'y')];
  assert.equal(rollbackTarget(releases, null, 'a', (r) => r.number !== 2).number, 2);
  assert.equal(rollbackTarget(releases, null, 'a', () => true).number, 1);
});
