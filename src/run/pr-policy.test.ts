import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunMeta, RunPlan, StepPlan } from '../core/plan.js';
import { restrictPullRequest } from './pr-policy.js';

const loc = { file: '.slipway.yml', line: 1, column: 1 };
const step = (name: string, kind: StepPlan['kind'], extra: Partial<StepPlan> = {}): StepPlan => ({
  name, kind, image: kind === 'commands' ? 'busybox:latest' : null, commands: [], entrypoint: null, environment: {}, secrets: [],
  dependsOn: [], status: ['success'], skip: null, failure: 'fail', detach: false, timeoutSeconds: null, retry: 0, pull: 'if-not-exists',
  caches: [{ name: 'npm', path: '/root/.npm' }], build: null, deploy: null, notify: null, location: loc, ...extra,
});
const plan: RunPlan = {
  warnings: [],
  pipelines: [{
    name: 'ci', file: '.slipway.yml', dependsOn: [], workspace: '/workspace', matrix: null, services: [], skip: null,
    steps: [step('test', 'commands'), step('build', 'build'), step('push', 'push'), step('deploy', 'deploy'), step('off', 'deploy', { skip: 'branch filter' })],
  }],
} as RunPlan;
const meta = (event: RunMeta['event'], fromFork: boolean) => ({ event, fromFork }) as RunMeta;
const steps = (p: RunPlan) => Object.fromEntries(p.pipelines[0]!.steps.map((s) => [s.name, { skip: s.skip, caches: s.caches.length }]));

describe('restrictPullRequest', () => {
  it('leaves other events alone', () => {
    assert.equal(restrictPullRequest(plan, meta('push', false)), plan);
  });

  it('skips deploys of pull requests from the same repository, keeping pushes and caches', () => {
    const s = steps(restrictPullRequest(plan, meta('pull_request', false)));
    assert.match(s.deploy!.skip!, /pull requests do not deploy/);
    assert.equal(s.push!.skip, null);
    assert.equal(s.test!.caches, 1);
    assert.equal(s.off!.skip, 'branch filter', 'an earlier reason is kept');
  });

  it('also skips pushes and drops every cache for pull requests from forks', () => {
    const s = steps(restrictPullRequest(plan, meta('pull_request', true)));
    assert.match(s.deploy!.skip!, /do not deploy/);
    assert.match(s.push!.skip!, /forks cannot push/);
    assert.equal(s.build!.skip, null, 'building (without pushing) is how a pull request checks its Dockerfile');
    assert.deepEqual(Object.values(s).map((x) => x.caches), [0, 0, 0, 0, 0]);
  });
});
