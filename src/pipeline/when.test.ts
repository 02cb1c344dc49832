// Compile-time when/trigger evaluation: every filter, both dialects' quirks, OR of ANDs, status.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunMeta } from '../core/plan.js';
import { Findings } from '../yaml/findings.js';
import { parseYaml } from '../yaml/parse.js';
import { builtinEnv } from './env.js';
import { readWhen } from './read-when.js';
import type { Dialect } from './source.js';
import { runMeta } from './testing.js';
import { evaluateWhen, type WhenResult } from './when.js';

/** Reads `yaml` as a step's `when` and evaluates it for `meta`. */
function when(yaml: string, meta: Partial<RunMeta> = {}, dialect: Dialect = 'woodpecker', matrix: Record<string, string> | null = null): WhenResult {
  const [doc] = parseYaml({ path: 'w.yml', text: yaml }).documents;
  const findings = new Findings();
  const w = readWhen(doc, { findings, dialect }, 'condition', 'when');
  assert.deepEqual(findings.list, []);
  const m = runMeta(meta);
  return evaluateWhen(w, { meta: m, dialect, matrix, vars: builtinEnv(m, { pipeline: 'p', workspace: '/w', matrix }) }, 'when');
}

const runs = (r: WhenResult) => r.skip === null;

describe('evaluateWhen', () => {
  it('runs without conditions, on success only', () => {
    assert.deepEqual(when('[]'), { skip: null, status: ['success'] });
  });

  it('matches branches with globs, include and exclude', () => {
    assert.ok(runs(when('branch: [main, release/*]', { branch: 'release/1.2' })));
    assert.equal(when('branch: main', { branch: 'dev' }).skip, 'when: branch "dev" does not match [main]');
    assert.equal(when('branch: { exclude: [wip/**] }', { branch: 'wip/a/b' }).skip, 'when: branch "wip/a/b" is excluded by [wip/**]');
    assert.ok(runs(when('branch: { include: [feat/*], exclude: [feat/x] }', { branch: 'feat/y' })));
  });

  it('matches a pull request against its target branch', () => {
    assert.ok(runs(when('branch: main', { event: 'pull_request', branch: 'feature', target: 'main', ref: 'refs/pull/7/head' })));
  });

  it('skips branch filters on tags in Woodpecker but not in Drone', () => {
    const tag = { event: 'tag' as const, branch: null, tag: 'v1.0.0', ref: 'refs/tags/v1.0.0' };
    assert.ok(runs(when('branch: main', tag, 'woodpecker')));
    assert.equal(when('branch: main', tag, 'drone').skip, 'when: no branch to match [main]');
  });

  it('maps event names per dialect', () => {
    assert.ok(runs(when('event: promote', { event: 'deploy', target: 'prod' }, 'drone')));
    assert.ok(runs(when('event: deployment', { event: 'rollback', target: 'prod' }, 'woodpecker')));
    assert.ok(runs(when('event: custom', { event: 'manual' }, 'drone')));
    assert.equal(when('event: [tag, deploy]', {}, 'slipway').skip, 'when: event push is not one of [tag, deploy]');
    assert.equal(when('event: { exclude: [push] }', {}, 'drone').skip, 'when: event push is excluded');
  });

  it('matches refs and tags', () => {
    const tag = { event: 'tag' as const, tag: 'v2.1.0', ref: 'refs/tags/v2.1.0' };
    assert.ok(runs(when('ref: refs/tags/v*', tag)));
    assert.ok(runs(when('tag: v2.*', tag, 'slipway')));
    assert.equal(when('tag: v2.*', {}, 'slipway').skip, 'when: no tag to match [v2.*]');
  });

  it('matches the deploy target (Drone target, Woodpecker environment)', () => {
    const deploy = { event: 'deploy' as const, target: 'staging' };
    assert.ok(runs(when('target: [staging]', deploy, 'drone')));
    assert.equal(when('environment: production', deploy).skip, 'when: target "staging" does not match [production]');
  });

  it('applies cron filters to cron runs only in Woodpecker, always in Drone', () => {
    assert.ok(runs(when('cron: nightly', { event: 'push' })));
    assert.equal(when('cron: nightly', { event: 'push' }, 'drone').skip, 'when: no cron to match [nightly]');
    assert.ok(runs(when('cron: nightly', { event: 'cron', cronName: 'nightly' }, 'drone')));
  });

  it('filters on changed paths: include, exclude, unknown changes and non-push events', () => {
    const files = (changedFiles: string[] | null) => ({ changedFiles });
    assert.ok(runs(when('path: src/**', files(['src/a/b.ts', 'README.md']))));
    assert.equal(when('path: src/**', files(['README.md'])).skip, 'when: no changed file matches [src/**]');
    assert.equal(when('path: { exclude: ["docs/**", "*.md"] }', files(['docs/x.md', 'README.md'])).skip, 'when: every changed file is excluded by [docs/**, *.md]');
    assert.ok(runs(when('path: { exclude: ["docs/**"] }', files(['docs/x.md', 'go.mod']))));
    assert.ok(runs(when('path: src/**', files(null))));
    assert.ok(runs(when('path: src/**', { event: 'tag', changedFiles: ['README.md'] })));
    assert.ok(runs(when('paths: [src/**]', files(['src/x']), 'drone')));
  });

  it('honours Woodpecker ignore_message and on_empty', () => {
    assert.ok(runs(when('path: { include: [src/**], ignore_message: "[ALL]" }', { changedFiles: ['x'], commitMessage: 'go [all]' })));
    assert.equal(when('path: { include: [src/**], on_empty: false }', { changedFiles: [] }).skip, 'when: no files changed');
  });

  it('matches matrix values', () => {
    const m = { GO: '1.22', DB: 'postgres' };
    assert.ok(runs(when('matrix: { GO: "1.22" }', {}, 'woodpecker', m)));
    assert.equal(when('matrix: { GO: "1.21" }', {}, 'woodpecker', m).skip, 'when: matrix GO=1.22 does not match 1.21');
    assert.equal(when('matrix: { exclude: { DB: postgres } }', {}, 'woodpecker', m).skip, 'when: matrix combination is excluded');
  });

  it('ORs a list of conditions and ANDs the filters of each', () => {
    const yaml = '- event: push\n  branch: main\n- event: tag\n';
    assert.ok(runs(when(yaml, { branch: 'main' })));
    assert.ok(runs(when(yaml, { event: 'tag', branch: null, tag: 'v1' })));
    assert.equal(when(yaml, { branch: 'dev' }).skip, 'when: no condition matched (branch "dev" does not match [main]; event push is not one of [tag])');
  });

  it('keeps status for the run stage: the union over matching conditions', () => {
    assert.deepEqual(when('status: [failure]').status, ['failure']);
    assert.deepEqual(when('status: [success, failure]').status, ['success', 'failure']);
    assert.deepEqual(when('- status: failure\n- event: push\n').status, ['success', 'failure']);
    assert.deepEqual(when('- status: failure\n  event: tag\n- event: push\n').status, ['success']);
  });

  it('substitutes CI variables in patterns', () => {
    assert.ok(runs(when('branch: ${CI_COMMIT_BRANCH}', { branch: 'topic' })));
  });
});
