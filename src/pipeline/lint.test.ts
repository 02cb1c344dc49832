// Lint findings with exact line:column for every bad fixture, and the individual lint rules.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LintFinding } from '../core/plan.js';
import { formatFinding } from '../yaml/findings.js';
import { lintFile, lintSource } from './lint.js';
import type { Dialect } from './source.js';
import { fixtureText } from './testing.js';

const SECRETS = { knownSecrets: ['deploy_token', 'codecov_token'] };

/** "line:col severity message" lines, for exact assertions on a bad fixture. */
function lintBad(name: string): string[] {
  const dialect = name.split('-')[0] as Dialect;
  return lintFile({ path: name, text: fixtureText(`bad/${name}`) }, SECRETS, dialect).map(short);
}

function short(f: LintFinding): string {
  return `${f.location.line}:${f.location.column} ${f.severity} ${f.message}`;
}

const lintText = (text: string, dialect: Dialect, knownSecrets: readonly string[] | null = null) =>
  lintFile({ path: 'f.yml', text }, { knownSecrets }, dialect);

describe('lint: bad files', () => {
  it('invalid YAML: the first error of the yaml parser, at its position', () => {
    assert.deepEqual(lintBad('drone-invalid-yaml.yml'), ['9:1 error invalid YAML: A block sequence may not be used as an implicit map key']);
  });

  it('unknown keys at every level, with "did you mean"', () => {
    assert.deepEqual(lintBad('drone-unknown-keys.yml'), [
      '7:5 error unknown key "imgae" in step "test"; did you mean "image"?',
      '8:5 error unknown key "comands" in step "test"; did you mean "commands"?',
      '11:7 error unknown key "branches" in when of step "test"; did you mean "branch"?',
      '14:3 error unknown key "evnt" in trigger; did you mean "event"?',
    ]);
  });

  it('depends_on cycles with their path, and unknown steps', () => {
    assert.deepEqual(lintBad('drone-cycle.yml'), [
      '13:18 error depends_on cycle: a → c → b → a',
      '21:18 error depends_on names unknown step "tset"',
    ]);
  });

  it('missing image, duplicate names, pipeline cycles and unknown pipelines, unknown secrets', () => {
    assert.deepEqual(lintBad('drone-graph-errors.yml'), [
      '5:11 error step "test" has no image',
      '7:11 error duplicate step or service name "test" (first at line 5)',
      '13:14 error depends_on cycle: build → deploy → build',
      '13:21 error depends_on names unknown pipeline "lint"',
      '19:22 error secret "deploy_tokn" does not exist; did you mean "deploy_token"?',
    ]);
  });

  it('Drone features Slipway does not support are errors with hints, never ignored', () => {
    const findings = lintFile({ path: 'd.yml', text: fixtureText('bad/drone-unsupported.yml') }, SECRETS, 'drone');
    assert.deepEqual(findings.map(short), [
      '2:7 error type: kubernetes pipelines are not supported by Slipway',
      '13:1 error volumes with host paths are not supported by Slipway',
      '19:3 warning clone: disable has no effect in Slipway',
      '20:3 error "skip_verify" is not supported by Slipway',
      '25:5 error privileged containers are not supported by Slipway',
      '26:5 error "network_mode" is not supported by Slipway',
      '27:5 error volumes are not supported by Slipway',
      '33:7 error external secrets (kind: secret) are not supported by Slipway',
    ]);
    assert.ok(findings.every((f) => f.hint !== undefined && f.hint.length > 10));
  });

  it('Woodpecker evaluate, backend_options, host volumes and plugins with commands', () => {
    assert.deepEqual(lintBad('woodpecker-unsupported.yml'), [
      '7:7 error "evaluate" is not supported by Slipway',
      '8:5 error "backend_options" is not supported by Slipway',
      '17:5 error step "publish" has settings, so it is a plugin, and cannot also have "commands"',
      '19:5 error volumes with host paths are not supported by Slipway',
    ]);
  });

  it('wrong types', () => {
    assert.deepEqual(lintBad('slipway-wrong-types.yml'), [
      '4:13 error detach of step "test" must be true or false, got a string',
      '5:12 error retry of step "test" must be a whole number from 0 to 10, got "-1"',
      '6:14 error timeout of step "test": invalid duration "forever": write e.g. 90s, 10m or 1h30m',
      '7:11 error pull of step "test" must be always, never, if-not-exists, true or false',
      '8:14 error failure of step "test" must be fail or ignore, got "retry"',
      '10:7 error environment of step "test" must be a map, got a list',
      '12:9 error a command of step "test" was read as a map because it contains ": "',
      '15:14 error deploy of step "ship" stack must be a string, got a list',
      '16:5 error built-in deploy step "ship" takes no "image"',
      '17:11 error step "nothing" has no image',
    ]);
  });

  it('Woodpecker legacy forms are accepted with warnings', () => {
    assert.deepEqual(lintBad('woodpecker-legacy.yml'), [
      '1:1 warning "pipeline" is deprecated',
      '2:3 warning the map form of steps is deprecated',
      '4:5 warning "group" is deprecated',
      '9:5 warning "group" is deprecated',
      '14:5 warning "secrets" is deprecated',
    ]);
  });
});

describe('lint: rules', () => {
  it('does not check secrets when the caller does not know them', () => {
    const text = 'steps:\n  - name: a\n    image: alpine\n    environment:\n      T: { from_secret: nope }\n';
    assert.deepEqual(lintText(text, 'slipway', null), []);
    assert.deepEqual(lintText(text, 'slipway', []).map(short), ['5:25 error secret "nope" does not exist']);
  });

  it('checks secrets in plugin settings and Woodpecker legacy secrets', () => {
    const text = 'steps:\n  - name: p\n    image: plugins/s3\n    settings:\n      key: { from_secret: aws_key }\n  - name: q\n    image: alpine\n    secrets: [gh]\n';
    assert.deepEqual(lintText(text, 'woodpecker', ['gh']).map(short).filter((s) => s.includes('error')), ['5:27 error secret "aws_key" does not exist']);
  });

  it('rejects from_secret in pipeline environment and nested in settings', () => {
    const text = 'environment:\n  A: { from_secret: s }\nsteps:\n  - name: p\n    image: x\n    settings:\n      auth: [{ from_secret: s }]\n';
    assert.deepEqual(lintText(text, 'slipway').map(short), [
      '2:21 error from_secret is not allowed in pipeline environment (A)',
      '7:14 error from_secret inside a list or map setting is not supported by Slipway',
    ]);
  });

  it('rejects unknown events and statuses with suggestions', () => {
    const text = 'kind: pipeline\nsteps:\n  - name: a\n    image: x\n    when:\n      event: [pushh]\n      status: [succes]\n';
    assert.deepEqual(lintText(text, 'drone').map(short), [
      '6:14 error unknown event "pushh"; did you mean "push"?',
      '7:15 error unknown status "succes"; did you mean "success"?',
    ]);
  });

  it('warns about events Slipway never produces', () => {
    const text = 'steps:\n  - name: a\n    image: x\n    when:\n      event: [push, release]\n';
    assert.deepEqual(lintText(text, 'woodpecker').map(short), ['5:14 warning event "release" never happens in Slipway']);
  });

  it('accepts pipelines that run after a pipeline they depend on failed (trigger status, runs_on)', () => {
    const drone = 'kind: pipeline\nname: t\nsteps: [{name: a, image: x}]\n---\nkind: pipeline\nname: n\ndepends_on: [t]\nsteps: [{name: b, image: x}]\ntrigger:\n  status: [failure]\n';
    assert.deepEqual(lintText(drone, 'drone'), []);
    assert.deepEqual(lintText(drone.replace('[failure]', '[success, failure]'), 'drone'), []);
    const woodpecker = 'depends_on: [test]\nruns_on: [success, failure]\nsteps: [{name: a, image: x}]\n';
    assert.deepEqual(lintFile({ path: '.woodpecker/notify.yml', text: woodpecker }, { knownSecrets: null }), []);
  });

  it('warns that a pipeline running only on failure without depends_on never runs', () => {
    const drone = 'kind: pipeline\nname: n\nsteps:\n  - name: a\n    image: x\ntrigger:\n  status: [failure]\n';
    const never = 'warning this pipeline runs only when a pipeline it depends on fails, but it depends on none: it never runs';
    assert.deepEqual(lintText(drone, 'drone').map(short), [`7:3 ${never}`]);
    assert.deepEqual(lintText(drone.replace('[failure]', '[success, failure]'), 'drone'), []);
    assert.deepEqual(lintText('runs_on: [failure]\nsteps: [{name: a, image: x}]\n', 'woodpecker').map(short), [`1:10 ${never}`]);
    assert.deepEqual(lintText('depends_on: []\nwhen: {status: failure}\nsteps: [{name: a, image: x}]\n', 'slipway').map(short), [`2:7 ${never}`]);
  });

  it('rejects unknown runs_on values with suggestions', () => {
    const text = 'depends_on: [t]\nruns_on: [sucess, failure]\nsteps: [{name: a, image: x}]\n';
    assert.deepEqual(lintFile({ path: '.woodpecker/n.yml', text }, { knownSecrets: null }).map(short), ['2:10 error unknown status "sucess"; did you mean "success"?']);
    const scalar = 'depends_on: [t]\nruns_on: {a: b}\nsteps: [{name: a, image: x}]\n';
    assert.equal(lintFile({ path: '.woodpecker/n.yml', text: scalar }, { knownSecrets: null }).filter((f) => f.severity === 'error').length, 1);
  });

  it('rejects a matrix that is too large and steps as a map in Drone', () => {
    const axes = Array.from({ length: 7 }, (_, i) => `  A${i}: [1, 2]`).join('\n');
    assert.deepEqual(lintText(`matrix:\n${axes}\nsteps:\n  - name: a\n    image: x\n`, 'woodpecker').map(short), ['2:3 error matrix has 128 combinations, more than 64']);
    assert.deepEqual(lintText('kind: pipeline\nsteps:\n  a:\n    image: x\n', 'drone').map(short), ['3:3 error steps must be a list']);
  });

  it('requires kind in Drone documents and one workflow per Woodpecker file', () => {
    assert.deepEqual(lintText('steps: []\n', 'drone').map(short), ['1:1 error document has no kind']);
    assert.deepEqual(lintText('steps: [{image: a}]\n---\nsteps: [{image: b}]\n', 'woodpecker').map(short), ['3:1 error a Woodpecker file holds one workflow']);
  });

  it('rejects unusable workspaces and cache paths, bad globs and bad tags', () => {
    const text = [
      'workspace: { path: /etc }',
      'steps:',
      '  - name: a',
      '    image: x',
      '    cache: [../up]',
      '    when: { branch: "a".repeat(2000) }',
      '  - name: b',
      '    build: { tags: ["bad tag"], dockerfile: /etc/passwd }',
    ].join('\n').replace('"a".repeat(2000)', 'a'.repeat(1001));
    assert.deepEqual(lintText(text, 'slipway').map(short), [
      '1:12 error workspace "/etc" cannot be used',
      '5:13 error cache path "../up" must name a directory below the workspace or an absolute path other than /',
      '6:21 error when of step "a" branch: pattern is longer than 256 characters',
      '8:20 error invalid image tag "bad tag"',
      '8:45 error build of step "b": "/etc/passwd" must be a path inside the repository',
    ]);
  });

  it('reports files shadowed by the chosen pipeline source', () => {
    const findings = lintSource(
      { dialect: 'slipway', files: [{ path: '.slipway.yml', text: 'steps: [{name: a, image: x}]\n' }], shadowed: ['.drone.yml'] },
      { knownSecrets: null },
    );
    assert.deepEqual(findings.map(formatFinding), ['.drone.yml:1:1: warning: ignored: .slipway.yml takes precedence']);
  });

  it('lints one file of a .woodpecker/ folder without its siblings', () => {
    const text = 'depends_on: [test]\nsteps: [{name: a, image: x}]\n';
    assert.deepEqual(lintFile({ path: 'repo/.woodpecker/deploy.yml', text }, { knownSecrets: null }), []);
    assert.deepEqual(lintFile({ path: '.woodpecker.yml', text }, { knownSecrets: null }).map(short), ['1:14 error depends_on names unknown pipeline "test"']);
  });

  it('reports an empty file', () => {
    assert.deepEqual(lintText('# nothing here\n', 'slipway').map(short), ['1:1 error file has no pipeline']);
  });
});
