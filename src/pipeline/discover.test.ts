// Pipeline file discovery: precedence, shadowed files, dialect detection, and the default plan.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPlan, dialectOf, discoverPipelines, guessDialect } from './discover.js';
import { runMeta } from './testing.js';

const f = (path: string) => ({ path, text: 'steps: []' });

describe('discoverPipelines', () => {
  it('returns null without a pipeline file', () => {
    assert.equal(discoverPipelines([f('README.md'), f('Dockerfile'), f('.github/workflows/ci.yml')]), null);
  });

  it('follows the precedence .slipway.yml > .slipway/ > .woodpecker.yml > .woodpecker/ > .drone.yml', () => {
    const all = [f('.drone.yml'), f('.woodpecker/b.yml'), f('.woodpecker/a.yaml'), f('.woodpecker.yml'), f('.slipway/x.yml'), f('.slipway.yml')];
    const order = [
      ['slipway', ['.slipway.yml']],
      ['slipway', ['.slipway/x.yml']],
      ['woodpecker', ['.woodpecker.yml']],
      ['woodpecker', ['.woodpecker/a.yaml', '.woodpecker/b.yml']],
      ['drone', ['.drone.yml']],
    ] as const;
    let files = all;
    for (const [dialect, paths] of order) {
      const s = discoverPipelines(files);
      assert.equal(s?.dialect, dialect);
      assert.deepEqual(s?.files.map((x) => x.path), paths);
      files = files.filter((x) => !(paths as readonly string[]).includes(x.path));
    }
  });

  it('reports shadowed files so they are not silently ignored', () => {
    const s = discoverPipelines([f('.drone.yml'), f('./.woodpecker.yml')]);
    assert.equal(s?.dialect, 'woodpecker');
    assert.deepEqual(s?.shadowed, ['.drone.yml']);
  });

  it('takes only direct YAML children of the folders', () => {
    const s = discoverPipelines([f('.woodpecker/sub/x.yml'), f('.woodpecker/notes.md'), f('.woodpecker/ok.yml')]);
    assert.deepEqual(s?.files.map((x) => x.path), ['.woodpecker/ok.yml']);
  });
});

describe('dialectOf / guessDialect', () => {
  it('knows the dialect from the path, also inside a checkout', () => {
    assert.equal(dialectOf('/home/me/app/.drone.yml'), 'drone');
    assert.equal(dialectOf('repo/.woodpecker/test.yaml'), 'woodpecker');
    assert.equal(dialectOf('.slipway.yaml'), 'slipway');
    assert.equal(dialectOf('ci.yml'), null);
  });

  it('guesses Drone from `kind:` and Slipway otherwise', () => {
    assert.equal(guessDialect('---\nkind: pipeline\n'), 'drone');
    assert.equal(guessDialect('steps:\n  - name: a\n'), 'slipway');
  });
});

describe('defaultPlan', () => {
  it('is build → push → deploy, sequential, without images', () => {
    const plan = defaultPlan(runMeta());
    const [p] = plan.pipelines;
    assert.equal(plan.pipelines.length, 1);
    assert.deepEqual(p?.steps.map((s) => [s.name, s.kind, s.image, s.dependsOn]), [
      ['build', 'build', null, []],
      ['push', 'push', null, ['build']],
      ['deploy', 'deploy', null, ['push']],
    ]);
    assert.deepEqual(p?.steps[0]?.build, { dockerfile: 'Dockerfile', context: '.', target: null, args: {}, tags: [] });
    assert.equal(p?.steps[2]?.environment['CI_COMMIT_SHA'], runMeta().commit);
  });

  it('deploys to the environment of a deploy event', () => {
    const plan = defaultPlan(runMeta({ event: 'deploy', target: 'staging' }));
    assert.deepEqual(plan.pipelines[0]?.steps[2]?.deploy, { stack: null, environment: 'staging' });
  });
});

describe('discoverPipelines: .yml beside .yaml', () => {
  it('uses .yml and reports .yaml', () => {
    const s = discoverPipelines([f('.slipway.yaml'), f('.slipway.yml')]);
    assert.deepEqual(s?.files.map((x) => x.path), ['.slipway.yml']);
    assert.deepEqual(s?.shadowed, ['.slipway.yaml']);
  });
});
