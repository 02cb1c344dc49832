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

  it('keeps the status filter of pipelines for the run stage: Drone trigger, Woodpecker runs_on, Slipway when', () => {
    const drone = (status: string) =>
      `kind: pipeline\nname: test\nsteps: [{name: a, image: x}]\n---\nkind: pipeline\nname: tell\ndepends_on: [test]\n${status}steps: [{name: b, image: x}]\n`;
    const statuses = (text: string, dialect: Dialect) => compileText(text, dialect).pipelines.map((p) => [p.name, p.status]);
    assert.deepEqual(statuses(drone('trigger: {status: [failure]}\n'), 'drone'), [['test', ['success']], ['tell', ['failure']]]);
    assert.deepEqual(statuses(drone('trigger: {status: [failure, success]}\n'), 'drone'), [['test', ['success']], ['tell', ['success', 'failure']]]);
    assert.deepEqual(statuses(drone('trigger: {branch: main}\n'), 'drone'), [['test', ['success']], ['tell', ['success']]]);
    const wp = (extra: string) => {
      const files = [
        { path: '.woodpecker/test.yml', text: 'steps: [{name: a, image: x}]\n' },
        { path: '.woodpecker/tell.yml', text: `depends_on: [test]\n${extra}steps: [{name: b, image: x}]\n` },
      ];
      return compilePlan({ dialect: 'woodpecker', files, shadowed: [] }, runMeta(), { knownSecrets: null }).pipelines[1]?.status;
    };
    assert.deepEqual(wp('runs_on: [success, failure]\n'), ['success', 'failure']);
    assert.deepEqual(wp('runs_on: [failure]\nwhen: {status: [success]}\n'), ['failure'], 'runs_on wins over when.status');
    assert.deepEqual(wp('runs_on: []\n'), ['success']);
    assert.deepEqual(wp(''), ['success']);
    const slipway = compileText('name: t\nsteps: [{name: a, image: x}]\n---\nname: n\ndepends_on: [t]\nwhen: {status: [failure]}\nsteps: [{name: b, image: x}]\n', 'slipway');
    assert.deepEqual(slipway.pipelines.map((p) => p.status), [['success'], ['failure']]);
  });

  it('skips a failure pipeline whose trigger does not match, whatever its status', () => {
    const text = 'kind: pipeline\nname: t\nsteps: [{name: a, image: x}]\n---\nkind: pipeline\nname: n\ndepends_on: [t]\ntrigger: {status: [failure], branch: release}\nsteps: [{name: b, image: x}]\n';
    const n = compileText(text, 'drone').pipelines[1];
    assert.equal(n?.skip, 'trigger: branch "main" does not match [release]');
  });

  it('returns warnings with the plan', () => {
    const plan = compileText('steps: [{name: a, image: x, failure: cancel}]\n', 'woodpecker');
    assert.equal(plan.warnings[0]?.message, 'failure: cancel runs as failure: fail in Slipway');
  });
});
