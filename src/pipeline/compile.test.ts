// compilePlan details: environment precedence, secrets, plugin rules, pull/detach/failure, services, workspaces,
// matrix dependencies and warnings.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunMeta, RunPlan } from '../core/plan.js';
import { compilePlan } from './compile.js';
import type { Dialect } from './source.js';
import { runMeta } from './testing.js';

function compileText(text: string, dialect: Dialect, meta: Partial<RunMeta> = {}): RunPlan {
  return compilePlan({ dialect, files: [{ path: 'f.yml', text }], shadowed: [] }, runMeta(meta), { knownSecrets: null });
}

describe('compile: details', () => {
  it('lets the user override built-in variables, and secrets replace plain values', () => {
    const text = 'steps:\n  - name: a\n    image: x\n    environment:\n      CI: "false"\n      DRONE_BRANCH: { from_secret: b }\n';
    const s = compileText(text, 'slipway').pipelines[0]?.steps[0];
    assert.equal(s?.environment['CI'], 'false');
    assert.equal(s?.environment['DRONE_BRANCH'], undefined);
    assert.deepEqual(s?.secrets, [{ env: 'DRONE_BRANCH', secret: 'b' }]);
  });

  it('passes manual parameters as variables', () => {
    const s = compileText('steps: [{name: a, image: x}]\n', 'slipway', { event: 'manual', params: { VERSION: '2.0' } }).pipelines[0]?.steps[0];
    assert.equal(s?.environment['VERSION'], '2.0');
    assert.equal(s?.environment['DRONE_BUILD_EVENT'], 'custom');
    assert.equal(s?.environment['CI_PIPELINE_EVENT'], 'manual');
  });

  it('sets pull request variables', () => {
    const meta = { event: 'pull_request' as const, ref: 'refs/pull/17/head', branch: 'feat', target: 'main' };
    const env = compileText('steps: [{name: a, image: x}]\n', 'slipway', meta).pipelines[0]?.steps[0]?.environment;
    assert.equal(env?.['DRONE_PULL_REQUEST'], '17');
    assert.equal(env?.['CI_COMMIT_SOURCE_BRANCH'], 'feat');
    assert.equal(env?.['DRONE_TARGET_BRANCH'], 'main');
    assert.equal(env?.['DRONE_BRANCH'], 'main');
  });

  it("follows Woodpecker's plugin rule: without commands and environment only", () => {
    const text = 'steps:\n  - {name: p, image: plugins/x, settings: {a: 1}}\n  - {name: e, image: x, environment: {A: b}}\n  - {name: r, image: x, entrypoint: [run]}\n';
    assert.deepEqual(compileText(text, 'woodpecker').pipelines[0]?.steps.map((s) => s.kind), ['plugin', 'commands', 'commands']);
    const drone = 'kind: pipeline\nsteps:\n  - name: p\n    image: x\n    commands: [make]\n    settings: {a: 1}\n';
    assert.equal(compileText(drone, 'drone').pipelines[0]?.steps[0]?.environment['PLUGIN_A'], '1');
  });

  it('maps pull, detach and failure of both dialects', () => {
    const s = compileText('steps:\n  - {name: a, image: x, pull: true, detach: true, failure: ignore}\n', 'woodpecker').pipelines[0]?.steps[0];
    assert.deepEqual([s?.pull, s?.detach, s?.failure], ['always', true, 'ignore']);
    const d = compileText('kind: pipeline\nsteps:\n  - {name: a, image: x, pull: never}\n', 'drone').pipelines[0]?.steps[0];
    assert.equal(d?.pull, 'never');
  });

  it('drops services whose when does not match', () => {
    const text = 'services:\n  - {name: db, image: pg, when: {event: tag}}\nsteps: [{name: a, image: x}]\n';
    assert.deepEqual(compileText(text, 'woodpecker').pipelines[0]?.services, []);
  });

  it('computes workspaces per dialect', () => {
    assert.equal(compileText('kind: pipeline\nworkspace: {path: src/app}\nsteps: [{name: a, image: x}]\n', 'drone').pipelines[0]?.workspace, '/drone/src/src/app');
    assert.equal(compileText('workspace: {base: /go, path: src/x}\nsteps: [{name: a, image: x}]\n', 'woodpecker').pipelines[0]?.workspace, '/go/src/x');
    assert.equal(compileText('workspace: {path: app}\nsteps: [{name: a, image: x}]\n', 'slipway').pipelines[0]?.workspace, '/workspace/app');
  });

  it('makes a dependency on a matrix pipeline wait for every combination', () => {
    const text = 'kind: pipeline\nname: t\nmatrix: {V: [1, 2]}\nsteps: [{name: a, image: x}]\n---\nkind: pipeline\nname: d\ndepends_on: [t]\nsteps: [{name: a, image: x}]\n';
    assert.deepEqual(compileText(text, 'drone').pipelines.map((p) => [p.name, p.dependsOn]), [['t (V=1)', []], ['t (V=2)', []], ['d', ['t (V=1)', 't (V=2)']]]);
  });

  it('returns warnings with the plan', () => {
    const plan = compileText('steps: [{name: a, image: x, failure: cancel}]\n', 'woodpecker');
    assert.equal(plan.warnings[0]?.message, 'failure: cancel runs as failure: fail in Slipway');
  });
});
