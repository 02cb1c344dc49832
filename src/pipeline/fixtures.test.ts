// Real-world-style pipeline files (a Node .drone.yml, a Go .woodpecker.yml with a matrix, a multi-pipeline
// .drone.yml, a .woodpecker/ folder, a .slipway.yml with built-ins) compiled end to end, as they would run unchanged.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../core/errors.js';
import type { PipelinePlan } from '../core/plan.js';
import { compileFixture, pipeline, runMeta, step } from './testing.js';

describe('compile: a Node project .drone.yml (services, anchors, plugins, secrets)', () => {
  const secrets = ['docker_username', 'docker_password', 'slack_webhook'];
  const plan = compileFixture('drone-node', {}, secrets);
  const p = pipeline(plan, 'default');

  it('keeps services reachable by name and the Drone workspace', () => {
    assert.deepEqual(p.services.map((s) => [s.name, s.image]), [['database', 'postgres:15-alpine'], ['cache', 'redis:7-alpine']]);
    assert.equal(p.services[0]?.environment['POSTGRES_DB'], 'app_test');
    assert.equal(p.workspace, '/drone/src');
  });

  it('builds the depends_on graph', () => {
    assert.deepEqual(p.steps.map((s) => [s.name, s.dependsOn]), [
      ['install', []],
      ['lint', ['install']],
      ['test', ['install']],
      ['publish', ['lint', 'test']],
      ['notify', ['publish']],
    ]);
  });

  it('merges anchored defaults into steps and environments', () => {
    const test = step(p, 'test');
    assert.equal(test.image, 'node:20-alpine');
    assert.equal(test.environment['NODE_ENV'], 'test');
    assert.equal(test.environment['REDIS_URL'], 'redis://cache:6379');
    assert.equal(test.kind, 'commands');
  });

  it('leaves commands to the shell: $$ unescaped, ${…} not spliced in', () => {
    assert.equal(step(p, 'test').commands[2], 'echo "tested ${DRONE_COMMIT_SHA:0:8} on $DRONE_BRANCH"');
  });

  it('turns plugin settings into PLUGIN_* variables and secrets into SecretRefs', () => {
    const publish = step(p, 'publish');
    // plugins/docker runs as the built-in build, publishing where its settings say (no Docker-in-Docker).
    assert.equal(publish.kind, 'build');
    assert.equal(publish.image, null);
    assert.deepEqual(publish.build, { dockerfile: 'Dockerfile', context: '.', target: null, args: { NODE_ENV: 'production' }, tags: [] });
    assert.deepEqual(publish.publish, {
      plugin: 'plugins/docker', registry: 'docker.io', repository: 'docker.io/acme/storefront', tags: ['latest', '3f2a9c1d'], push: true,
      usernameEnv: 'PLUGIN_USERNAME', passwordEnv: 'PLUGIN_PASSWORD', username: null,
    });
    assert.equal(publish.environment['PLUGIN_REPO'], 'acme/storefront');
    assert.equal(publish.environment['PLUGIN_TAGS'], 'latest,3f2a9c1d');
    assert.equal(publish.environment['PLUGIN_BUILD_ARGS'], 'NODE_ENV=production');
    assert.equal(publish.environment['PLUGIN_PASSWORD'], undefined);
    assert.deepEqual(publish.secrets, [
      { env: 'PLUGIN_USERNAME', secret: 'docker_username' },
      { env: 'PLUGIN_PASSWORD', secret: 'docker_password' },
    ]);
  });

  it('keeps when.status for the run stage', () => {
    assert.deepEqual(step(p, 'notify').status, ['success', 'failure']);
    assert.match(step(p, 'notify').environment['PLUGIN_TEMPLATE'] ?? '', /^\{\{#success build.status\}\}/);
  });

  it('sets the DRONE_* and CI_* variables', () => {
    const env = step(p, 'lint').environment;
    assert.equal(env['CI'], 'true');
    assert.equal(env['DRONE_BUILD_NUMBER'], '42');
    assert.equal(env['DRONE_BUILD_EVENT'], 'push');
    assert.equal(env['CI_COMMIT_BRANCH'], 'main');
    assert.equal(env['DRONE_REPO_NAME'], 'shop');
    assert.equal(env['DRONE_STEP_NAME'], 'lint');
    assert.equal(env['CI_WORKFLOW_NAME'], 'default');
    assert.equal(env['DRONE_WORKSPACE'], '/drone/src');
  });

  it('runs plugins/docker without Docker-in-Docker, so it has nothing to warn about', () => {
    assert.deepEqual(plan.warnings, []);
  });

  it('skips by the pipeline trigger and the step when, with reasons', () => {
    const onDev = compileFixture('drone-node', { branch: 'feature/cart', ref: 'refs/heads/feature/cart' });
    const dev = pipeline(onDev, 'default');
    assert.equal(dev.skip, null);
    assert.equal(step(dev, 'publish').skip, 'when: branch "feature/cart" does not match [main]');
    assert.equal(pipeline(compileFixture('drone-node', { branch: 'hotfix', ref: 'refs/heads/hotfix' }), 'default').skip, 'trigger: branch "hotfix" does not match [main, feature/*]');
  });

  it('refuses to compile with unknown secrets, listing file:line:col', () => {
    assert.throws(
      () => compileFixture('drone-node', {}, ['docker_username']),
      (err: unknown) =>
        err instanceof SlipwayError &&
        err.kind === 'invalid_input' &&
        err.message.includes('.drone.yml:60:22: secret "docker_password" does not exist') &&
        err.message.includes('.drone.yml:74:22: secret "slack_webhook" does not exist'),
    );
  });
});

describe('compile: a Go project .woodpecker.yml with a matrix', () => {
  const plan = compileFixture('woodpecker-go');

  it('runs one pipeline per combination, with ${AXIS} substituted and axes in the environment', () => {
    assert.equal(plan.pipelines.length, 4);
    const p = pipeline(plan, 'woodpecker (GO_VERSION=1.22, DATABASE=postgres:16)');
    assert.deepEqual(p.matrix, { GO_VERSION: '1.22', DATABASE: 'postgres:16' });
    assert.equal(step(p, 'vet').image, 'golang:1.22');
    assert.equal(step(p, 'test').environment['DB_IMAGE'], 'postgres:16');
    assert.equal(step(p, 'test').environment['GO_VERSION'], '1.22');
    assert.equal(p.services[0]?.image, 'postgres:16');
    assert.equal(p.workspace, '/woodpecker/src');
  });

  it('evaluates matrix and path conditions', () => {
    const other = pipeline(plan, 'woodpecker (GO_VERSION=1.21, DATABASE=mariadb:11)');
    assert.equal(step(other, 'lint').skip, 'when: matrix GO_VERSION=1.21 does not match 1.22');
    assert.equal(step(pipeline(plan, 'woodpecker (GO_VERSION=1.22, DATABASE=postgres:16)'), 'lint').skip, null);
    const docsOnlyTests = compileFixture('woodpecker-go', { changedFiles: ['pkg/a_test.go'] });
    assert.equal(step(docsOnlyTests.pipelines[0] as PipelinePlan, 'docs').skip, 'when: every changed file is excluded by [**/*_test.go]');
  });

  it('releases on tags from one combination only (merged anchor + matrix condition)', () => {
    const tagged = compileFixture('woodpecker-go', { event: 'tag', tag: 'v1.3.0', ref: 'refs/tags/v1.3.0', branch: null });
    const released = tagged.pipelines.filter((p) => step(p, 'release').skip === null).map((p) => p.name);
    assert.deepEqual(released, ['woodpecker (GO_VERSION=1.22, DATABASE=postgres:16)']);
    assert.deepEqual(step(tagged.pipelines[0] as PipelinePlan, 'release').secrets, [{ env: 'GITHUB_TOKEN', secret: 'github_token' }]);
  });

  it('skips the workflow for other events and runs the cron named nightly', () => {
    assert.match(pipeline(compileFixture('woodpecker-go', { event: 'manual' }), 'woodpecker (GO_VERSION=1.21, DATABASE=postgres:16)').skip ?? '', /^when: no condition matched/);
    assert.equal(compileFixture('woodpecker-go', { event: 'cron', cronName: 'nightly' }).pipelines[0]?.skip, null);
  });
});

describe('compile: a multi-pipeline .drone.yml with depends_on and trigger', () => {
  const plan = compileFixture('drone-multi');

  it('keeps pipeline dependencies and skips the signature document', () => {
    assert.deepEqual(plan.pipelines.map((p) => [p.name, p.dependsOn]), [['test', []], ['build', ['test']], ['deploy-staging', ['build']]]);
  });

  it('triggers the deploy pipeline on promote to staging only', () => {
    assert.equal(pipeline(plan, 'deploy-staging').skip, 'trigger: event push is not one of [promote]');
    const promoted = compileFixture('drone-multi', { event: 'deploy', target: 'staging' });
    assert.equal(pipeline(promoted, 'deploy-staging').skip, null);
    assert.equal(step(pipeline(promoted, 'deploy-staging'), 'migrate').environment['DRONE_DEPLOY_TO'], 'staging');
    assert.equal(pipeline(compileFixture('drone-multi', { event: 'deploy', target: 'production' }), 'deploy-staging').skip, 'trigger: target "production" does not match [staging]');
  });

  it('substitutes variables in images and applies the paths extension', () => {
    assert.equal(step(pipeline(plan, 'deploy-staging'), 'migrate').image, `registry.example.com/team/api:${runMeta().commit}`);
    const docs = compileFixture('drone-multi', { changedFiles: ['docs/intro.md', 'CHANGELOG.md'] });
    assert.equal(step(pipeline(docs, 'test'), 'unit').skip, 'when: every changed file is excluded by [docs/**, *.md]');
  });

  it('reports what it does not apply as warnings', () => {
    assert.deepEqual(plan.warnings.map((w) => `${w.location.line}:${w.location.column}`), ['7:3', '96:7']);
  });
});

describe('compile: a .woodpecker/ folder with two workflows', () => {
  const plan = compileFixture('woodpecker-folder');

  it('names workflows after their files and links them by depends_on', () => {
    assert.deepEqual(plan.pipelines.map((p) => [p.name, p.file, p.dependsOn]), [
      ['deploy', '.woodpecker/deploy.yml', ['test']],
      ['test', '.woodpecker/test.yml', []],
    ]);
  });

  it('starts a step with depends_on: [] at once, and keeps failure: ignore', () => {
    const test = pipeline(plan, 'test');
    assert.deepEqual(test.steps.map((s) => [s.name, s.dependsOn]), [['deps', []], ['typecheck', ['deps']], ['unit', ['deps']], ['audit', []]]);
    assert.equal(step(test, 'audit').failure, 'ignore');
  });

  it('encodes list-of-map settings as JSON and secrets as SecretRefs', () => {
    const publish = step(pipeline(plan, 'deploy'), 'publish');
    assert.equal(publish.environment['PLUGIN_LOGINS'], '[{"registry":"codeberg.org","username":"acme-bot"}]');
    assert.equal(publish.environment['PLUGIN_TAGS'], `latest,${runMeta().commit}`);
    assert.deepEqual(publish.secrets, [{ env: 'PLUGIN_PASSWORD', secret: 'codeberg_token' }]);
    assert.equal(step(pipeline(plan, 'deploy'), 'announce').environment['PLUGIN_MESSAGE'], `site ${runMeta().commit} published by ada`);
  });

  it('runs the buildx plugin as the built-in build, with the user from logins, and says it builds one platform', () => {
    const publish = step(pipeline(plan, 'deploy'), 'publish');
    assert.equal(publish.kind, 'build');
    assert.deepEqual(publish.publish, {
      plugin: 'woodpeckerci/plugin-docker-buildx', registry: 'codeberg.org', repository: 'codeberg.org/acme/site', tags: ['latest', runMeta().commit], push: true,
      usernameEnv: 'PLUGIN_USERNAME', passwordEnv: 'PLUGIN_PASSWORD', username: 'acme-bot',
    });
    assert.deepEqual(plan.warnings.map((w) => w.message).filter((m) => /platforms/.test(m)).length, 1);
  });

  it('skips the deploy workflow off main', () => {
    const dev = compileFixture('woodpecker-folder', { branch: 'dev', ref: 'refs/heads/dev' });
    assert.equal(pipeline(dev, 'deploy').skip, 'when: branch "dev" does not match [main]');
    assert.match(pipeline(dev, 'test').skip ?? '', /no condition matched/);
  });
});

describe('compile: a .slipway.yml with built-in steps', () => {
  const plan = compileFixture('slipway-builtins');
  const p = pipeline(plan, 'ship');

  it('gives built-ins their kind and no image', () => {
    assert.deepEqual(p.steps.map((s) => [s.name, s.kind, s.image]), [
      ['test', 'commands', 'node:20'],
      ['build', 'build', null],
      ['push', 'push', null],
      ['deploy', 'deploy', null],
      ['tell', 'notify', null],
    ]);
    assert.deepEqual(step(p, 'build').build, {
      dockerfile: 'deploy/Dockerfile',
      context: '.',
      target: 'runtime',
      args: { NODE_VERSION: '20', COMMIT: runMeta().commit },
      tags: ['latest', '$describe'],
    });
    assert.deepEqual(step(p, 'deploy').deploy, { stack: null, environment: 'production' });
    assert.deepEqual(step(p, 'tell').notify, { url: '${SLACK_URL}', message: 'shop run 42 finished' });
    assert.deepEqual(step(p, 'tell').secrets, [{ env: 'SLACK_URL', secret: 'slack_webhook' }]);
  });

  it('applies timeout, retry, caches and the workspace override', () => {
    const test = step(p, 'test');
    assert.equal(test.timeoutSeconds, 600);
    assert.equal(test.retry, 1);
    assert.equal(p.workspace, '/src/app');
    assert.equal(test.caches[0]?.path, '/src/app/node_modules');
    assert.equal(test.caches[0]?.name, 'node_modules');
    assert.equal(test.caches[1]?.path, '/root/.npm');
    assert.equal(step(p, 'build').timeoutSeconds, 1800);
  });

  it('skips the deploy step off main', () => {
    const dev = compileFixture('slipway-builtins', { branch: 'dev', ref: 'refs/heads/dev' });
    assert.equal(step(pipeline(dev, 'ship'), 'deploy').skip, 'when: branch "dev" does not match [main]');
  });
});
