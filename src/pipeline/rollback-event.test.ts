// A rollback's pipeline: only what names event rollback runs; builds, pushes and deploys never do.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunPlan } from '../core/plan.js';
import { compilePlan } from './compile.js';
import type { Dialect } from './source.js';
import { runMeta } from './testing.js';

const compile = (text: string, dialect: Dialect, event: 'rollback' | 'push' = 'rollback'): RunPlan =>
  compilePlan({ dialect, files: [{ path: 'f.yml', text }], shadowed: [] }, runMeta({ event }), { knownSecrets: null });
const skips = (plan: RunPlan) => plan.pipelines.flatMap((p) => p.steps.map((s) => [s.name, s.skip]));

const SLIPWAY = `
steps:
  - { name: test, image: node, commands: [npm test] }
  - { name: image, build: {} }
  - { name: push, push: {} }
  - { name: ship, deploy: {} }
  - { name: tell, image: curl, commands: [tell], when: { event: [push, rollback] } }
  - { name: not-on-rollback, image: curl, commands: [x], when: { event: { exclude: [tag] } } }
  - { name: notify-rollback, notify: { url: "https://hooks.example.test/x" }, when: { event: rollback } }
`;

describe('compile: event rollback', () => {
  it('runs only the steps whose when names rollback; build, push and deploy are skipped with the reason', () => {
    assert.deepEqual(skips(compile(SLIPWAY, 'slipway')), [
      ['test', 'on a rollback only steps whose `when` (or their pipeline\'s) names event rollback run'],
      ['image', 'a rollback puts a stored release back: it builds, pushes and deploys nothing'],
      ['push', 'a rollback puts a stored release back: it builds, pushes and deploys nothing'],
      ['ship', 'a rollback puts a stored release back: it builds, pushes and deploys nothing'],
      ['tell', null],
      ['not-on-rollback', 'on a rollback only steps whose `when` (or their pipeline\'s) names event rollback run'],
      ['notify-rollback', null],
    ]);
  });

  it('changes nothing for other events', () => {
    const plan = compile(SLIPWAY, 'slipway', 'push');
    assert.deepEqual(plan.pipelines[0]?.steps.filter((s) => s.skip !== null).map((s) => s.name), ['notify-rollback']);
  });

  it('a pipeline whose trigger names rollback runs all its container steps', () => {
    const text = 'kind: pipeline\nname: after-rollback\ntrigger: { event: [rollback] }\nsteps:\n  - { name: smoke, image: curl, commands: [curl app] }\n';
    assert.deepEqual(skips(compile(text, 'drone')), [['smoke', null]]);
  });

  it("Woodpecker's deployment event covers rollbacks", () => {
    const text = 'steps:\n  - { name: announce, image: alpine, commands: [echo], when: { event: deployment } }\n  - { name: build, image: alpine, commands: [make] }\n';
    const [announce, build] = compile(text, 'woodpecker').pipelines[0]!.steps;
    assert.equal(announce?.skip, null);
    assert.match(build?.skip ?? '', /names event rollback/);
  });
});
