// `slipway lint`: findings as `file:line:col: severity: message` + hint, discovery in the working directory, --app secrets.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixtureText } from '../../pipeline/testing.js';
import { main } from '../main.js';
import { fail, json, startFakeApi, TOKEN, type FakeApi } from '../testing/fake-api.js';
import { apiIO, testIO } from '../testing/test-io.js';

/** A directory holding `files` (path → text). */
async function repo(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-lint-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/** No server configured: a lint that tried to reach one would fail. */
const offline = (cwd: string) => testIO({ HOME: '/nonexistent-home' }, cwd);

const SECRET_PIPELINE = `steps:
  - name: ship
    image: alpine
    environment:
      TOKEN:
        from_secret: deploy_tokn
    commands: [./ship.sh]
`;

describe('slipway lint', () => {
  it('a good file: names the file and dialect, prints "ok", exits 0 (offline: from_secret is not checked)', async () => {
    const dir = await repo({ '.slipway.yml': fixtureText('slipway-builtins/.slipway.yml'), 'Dockerfile': 'FROM scratch\n' });
    const io = offline(dir);
    assert.equal(await main(['lint'], io), 0, io.stderr.text);
    assert.equal(io.stdout.text, 'linting .slipway.yml (slipway)\nok\n');
    assert.equal(io.stderr.text, '');
  });

  it('a bad file: every finding with its exact line:col, then exit 2', async () => {
    const dir = await repo({ '.drone.yml': fixtureText('bad/drone-unknown-keys.yml') });
    const io = offline(dir);
    assert.equal(await main(['lint'], io), 2);
    assert.equal(
      io.stdout.text,
      [
        'linting .drone.yml (drone)',
        '.drone.yml:7:5: error: unknown key "imgae" in step "test"; did you mean "image"?',
        '.drone.yml:8:5: error: unknown key "comands" in step "test"; did you mean "commands"?',
        '.drone.yml:11:7: error: unknown key "branches" in when of step "test"; did you mean "branch"?',
        '.drone.yml:14:3: error: unknown key "evnt" in trigger; did you mean "event"?',
        '',
      ].join('\n'),
    );
    assert.equal(io.stderr.text, 'error: 4 errors in .drone.yml\n');
  });

  it('prints hints under their finding, and warnings as warnings', async () => {
    const dir = await repo({ '.drone.yml': fixtureText('bad/drone-unsupported.yml') });
    const io = offline(dir);
    assert.equal(await main(['lint'], io), 2);
    const lines = io.stdout.text.split('\n');
    assert.equal(lines[1], '.drone.yml:2:7: error: type: kubernetes pipelines are not supported by Slipway');
    assert.equal(lines[2], '  hint: Slipway runs pipelines in Docker containers: use `type: docker`');
    const warning = lines.indexOf('.drone.yml:19:3: warning: clone: disable has no effect in Slipway');
    assert.ok(warning > 0, io.stdout.text);
    assert.equal(lines[warning + 1], '  hint: the workspace always holds the pushed source (a plain tree, not a git clone)');
    assert.equal(io.stderr.text, 'error: 7 errors, 1 warning in .drone.yml\n');
  });

  it('warnings only: exit 0 with "ok" and the count; a shadowed file is named', async () => {
    const good = 'steps:\n  - name: t\n    image: alpine\n    commands: [true]\n';
    const dir = await repo({ '.slipway.yml': good, '.drone.yml': 'kind: pipeline\nsteps: []\n' });
    const io = offline(dir);
    assert.equal(await main(['lint'], io), 0, io.stderr.text);
    assert.equal(io.stdout.text, 'linting .slipway.yml (slipway)\n.drone.yml:1:1: warning: ignored: .slipway.yml takes precedence\nok (1 warning)\n');
  });

  it('a pipeline folder: every file of it, sorted, with the folder’s dialect', async () => {
    const step = (name: string) => `steps:\n  - name: ${name}\n    image: alpine\n    commands: [true]\n`;
    const dir = await repo({ '.woodpecker/test.yml': step('test'), '.woodpecker/build.yaml': step('build'), '.woodpecker/notes.txt': 'not a pipeline' });
    const io = offline(dir);
    assert.equal(await main(['lint'], io), 0, io.stdout.text);
    assert.equal(io.stdout.text, 'linting .woodpecker/build.yaml, .woodpecker/test.yml (woodpecker)\nok\n');
  });

  it('a named file: path as given, dialect from its content when the name does not tell', async () => {
    const dir = await repo({ 'ci/pipeline.yml': fixtureText('bad/drone-unknown-keys.yml') });
    const io = offline(dir);
    assert.equal(await main(['lint', 'ci/pipeline.yml'], io), 2);
    assert.match(io.stdout.text, /^linting ci\/pipeline\.yml \(drone\)\nci\/pipeline\.yml:7:5: error: unknown key "imgae"/);
    const inside = offline(join(dir, 'ci'));
    assert.equal(await main(['lint', `${dir}/ci/pipeline.yml`], inside), 2);
    assert.match(inside.stdout.text, /^linting pipeline\.yml \(drone\)\n/);
  });

  it('a named workflow of a .woodpecker folder may depend on its siblings', async () => {
    const deploy = 'depends_on: [test]\nsteps:\n  - name: ship\n    image: alpine\n    commands: [true]\n';
    const dir = await repo({ '.woodpecker/deploy.yml': deploy });
    const io = offline(dir);
    assert.equal(await main(['lint', '.woodpecker/deploy.yml'], io), 0, io.stdout.text);
    assert.equal(io.stdout.text, 'linting .woodpecker/deploy.yml (woodpecker)\nok\n');
  });

  it('no pipeline file: a clear message and exit 2; a named file that is missing too', async () => {
    const dir = await repo({ 'README.md': '# hi\n' });
    const io = offline(dir);
    assert.equal(await main(['lint'], io), 2);
    assert.equal(io.stdout.text, '');
    assert.equal(
      io.stderr.text,
      `error: no pipeline file in ${dir}\nhint: add .slipway.yml (or .woodpecker.yml, .woodpecker/*.yml, .drone.yml), or name the file: slipway lint <file>\n`,
    );
    const missing = offline(dir);
    assert.equal(await main(['lint', 'nope.yml'], missing), 2);
    assert.match(missing.stderr.text, /^error: no such file: nope\.yml\n/);
    const extra = offline(dir);
    assert.equal(await main(['lint', 'a.yml', 'b.yml'], extra), 2);
    assert.match(extra.stderr.text, /^error: unexpected argument "b\.yml"/);
  });

  it('--help', async () => {
    const io = testIO({});
    assert.equal(await main(['lint', '--help'], io), 0);
    assert.match(io.stdout.text, /^usage: slipway lint \[file\] \[--app <name>\]\n/);
  });

  describe('--app: from_secret names checked against the app', () => {
    let api: FakeApi;
    before(async () => {
      api = await startFakeApi({
        'GET /api/apps/shop/secrets': json({ secrets: [{ name: 'deploy_token', updatedAt: '2024-05-01T12:00:00.000Z' }] }),
        'GET /api/apps/ghost/secrets': fail('not_found', 'no app named "ghost"'),
      });
    });
    after(() => api.close());

    it('an unknown secret is an error at its line:col, with "did you mean"', async () => {
      const dir = await repo({ '.slipway.yml': SECRET_PIPELINE });
      const io = await apiIO(api, dir);
      assert.equal(await main(['lint', '--app', 'shop'], io), 2);
      const req = api.requests.at(-1);
      assert.deepEqual([req?.method, req?.path, req?.headers.authorization], ['GET', '/api/apps/shop/secrets', `Bearer ${TOKEN}`]);
      assert.equal(
        io.stdout.text,
        'linting .slipway.yml (slipway) against the secrets of shop\n' +
          '.slipway.yml:6:22: error: secret "deploy_tokn" does not exist; did you mean "deploy_token"?\n' +
          '  hint: add the secret to the app, or correct the name\n',
      );
      assert.equal(io.stderr.text, 'error: 1 error in .slipway.yml\n');
    });

    it('a known secret passes; without --app nothing is asked', async () => {
      const dir = await repo({ '.slipway.yml': SECRET_PIPELINE.replace('deploy_tokn', 'deploy_token') });
      const io = await apiIO(api, dir);
      assert.equal(await main(['lint', '.slipway.yml', '--app', 'shop'], io), 0, io.stdout.text);
      assert.equal(io.stdout.text, 'linting .slipway.yml (slipway) against the secrets of shop\nok\n');
      const before = api.requests.length;
      const bad = await apiIO(api, await repo({ '.slipway.yml': SECRET_PIPELINE }));
      assert.equal(await main(['lint'], bad), 0, bad.stdout.text);
      assert.equal(api.requests.length, before);
    });

    it('an unknown app exits 4', async () => {
      const dir = await repo({ '.slipway.yml': SECRET_PIPELINE });
      const io = await apiIO(api, dir);
      assert.equal(await main(['lint', '--app', 'ghost'], io), 4);
      assert.equal(io.stderr.text, 'error: no app named "ghost"\n');
    });
  });
});
