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
