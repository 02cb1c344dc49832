// The built-in deploy step's settings: the app, or a named stack with its compose file.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LintFinding } from '../core/plan.js';
import { Findings } from '../yaml/findings.js';
import { parseYaml } from '../yaml/parse.js';
import { compilePlan } from './compile.js';
import { discoverPipelines } from './discover.js';
import { lintFile } from './lint.js';
import { readBuiltin } from './read-builtin.js';
import { runMeta } from './testing.js';

const pipeline = (deploy: string) => `steps:\n  - name: ship\n    deploy: ${deploy}\n`;
const lint = (text: string) => lintFile({ path: '.slipway.yml', text }, { knownSecrets: null }, 'slipway').map((f: LintFinding) => `${f.location.line}:${f.location.column} ${f.message}`);
const deployOf = (text: string) => {
  const source = discoverPipelines([{ path: '.slipway.yml', text }]);
  assert.ok(source);
  return compilePlan(source, runMeta(), { knownSecrets: null }).pipelines[0]?.steps[0]?.deploy;
};

describe('deploy step settings', () => {
  it('the app: no stack, no file', () => {
    assert.deepEqual(deployOf(pipeline('{}')), { stack: null, environment: null });
    assert.deepEqual(lint(pipeline('{ environment: production }')), []);
  });

  it('a stack, with the default compose file', () => {
    assert.deepEqual(lint(pipeline('{ stack: backend }')), []);
    const deploy = deployOf(pipeline('{ stack: backend }'));
    assert.equal(deploy?.stack, 'backend');
    assert.equal(deploy?.file ?? null, null, 'null or absent: the default names');
  });

  it('reads the file key of a stack', () => {
    const findings = new Findings();
    const [doc] = parseYaml({ path: '.slipway.yml', text: 'deploy: { stack: backend, file: deploy/stack.yml }\n' }).documents;
    assert.ok(doc?.kind === 'map');
    const builtin = readBuiltin(doc.entries[0]!, { findings, dialect: 'slipway' }, 'step "ship"');
    assert.deepEqual(builtin, { kind: 'deploy', deploy: { stack: 'backend', environment: null, file: 'deploy/stack.yml' } });
    assert.deepEqual(findings.list, []);
  });

  it('stack names and files are checked with their line and column', () => {
    assert.deepEqual(lint(pipeline('{ stack: Back_End }')), [
      '3:22 deploy of step "ship" stack "Back_End" is not a valid stack name',
    ]);
    assert.deepEqual(lint(pipeline('{ stack: db, file: ../other/compose.yml }')), [
      '3:32 deploy of step "ship": "../other/compose.yml" must be a path inside the repository',
    ]);
    assert.deepEqual(lint(pipeline('{ file: compose.yml }')), ['3:21 deploy of step "ship" file needs a stack']);
    assert.deepEqual(lint(pipeline('{ stack: db, files: x }')), ['3:26 unknown key "files" in deploy of step "ship"; did you mean "file"?']);
  });

  it('a named compose file reaches the plan', () => {
    assert.deepEqual(deployOf(pipeline('{ stack: backend, file: deploy/stack.yml }')), { stack: 'backend', environment: null, file: 'deploy/stack.yml' });
  });
});

describe('paths in built-in steps (abuse suite, issue 12)', () => {
  it('a NUL, newline or other control character in a dockerfile, context or compose file path is an error', () => {
    for (const bad of ['x\\u0000y', 'deploy/\\nDockerfile', 'a\\tb', 'x\\u007f']) {
      const build = lint(`steps:\n  - name: b\n    build:\n      dockerfile: "${bad}"\n      context: "${bad}"\n`);
      assert.equal(build.filter((f) => /holds a control character/.test(f)).length, 2, `${bad}: ${build.join('; ')}`);
      assert.ok(lint(pipeline(`{ stack: web, file: "${bad}" }`)).some((f) => /holds a control character/.test(f)), bad);
    }
    assert.deepEqual(lint(pipeline('{ stack: web, file: "deploy/compose.yaml" }')), []);
  });
});

describe('paths and stack names filled in from variables (abuse suite, issue 12)', () => {
  const compile = (text: string, commitMessage: string) => {
    const source = discoverPipelines([{ path: '.slipway.yml', text }]);
    assert.ok(source);
    return compilePlan(source, runMeta({ commitMessage }), { knownSecrets: null });
  };
  const refused = (field: string) => (err: unknown) => err instanceof Error && (err as { kind?: string }).kind === 'invalid_input' && (err as { field?: string }).field === field;

  it('a commit message cannot steer a compose file, build context or dockerfile out of the repository, or name a bad stack', () => {
    for (const message of ['../../etc/passwd', '/etc', 'a\nb', '$(touch /tmp/x)']) {
      // "$(touch /tmp/x)" is a literal relative path (folders "$(touch " and "tmp"): inert, never given to a shell.
      if (message.startsWith('$')) assert.equal(compile(pipeline('{ stack: web, file: "${CI_COMMIT_MESSAGE}" }'), message).pipelines[0]?.steps[0]?.deploy?.file, message);
      else assert.throws(() => compile(pipeline('{ stack: web, file: "${CI_COMMIT_MESSAGE}" }'), message), refused('file'), message);
      assert.throws(() => compile(pipeline('{ stack: "${CI_COMMIT_MESSAGE}" }'), message), refused('stack'), message);
      if (message.startsWith('$')) continue;
      assert.throws(() => compile('steps:\n  - name: b\n    build:\n      context: "${CI_COMMIT_MESSAGE}"\n', message), refused('context'), message);
      assert.throws(() => compile('steps:\n  - name: b\n    build:\n      dockerfile: "${CI_COMMIT_MESSAGE}"\n', message), refused('dockerfile'), message);
    }
    // A variable nobody sets stays as written: still not a stack name.
    assert.throws(() => compile(pipeline('{ stack: "${IFS}touch${IFS}x" }'), 'm'), refused('stack'));
    const good = compile(pipeline('{ stack: "${CI_COMMIT_MESSAGE}", file: "deploy/${CI_COMMIT_MESSAGE}.yaml" }'), 'backend');
    assert.deepEqual(good.pipelines[0]?.steps[0]?.deploy, { stack: 'backend', environment: null, file: 'deploy/backend.yaml' });
  });
});
