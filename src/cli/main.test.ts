// Dispatch, help text, unknown commands and how errors become `error:`/`hint:` and exit codes.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main } from './main.js';
import { fail, startFakeApi, type FakeApi } from './testing/fake-api.js';
import { apiIO, testIO } from './testing/test-io.js';

describe('slipway main', () => {
  it('prints the command list for help, --help and no arguments', async () => {
    for (const argv of [['help'], ['--help'], []]) {
      const io = testIO({});
      assert.equal(await main(argv, io), 0);
      for (const name of ['up', 'login', 'apps', 'deploy', 'status', 'logs', 'runs', 'releases', 'rollback']) {
        assert.match(io.stdout.text, new RegExp(`^  ${name} `, 'm'), `${name} listed for ${argv.join(' ')}`);
      }
      assert.match(io.stdout.text, /SLIPWAY_URL/);
    }
  });

  it('prints a command usage for <cmd> --help, -h and help <cmd>', async () => {
    for (const argv of [['deploy', '--help'], ['deploy', '--app', 'x', '-h'], ['help', 'deploy']]) {
      const io = testIO({});
      assert.equal(await main(argv, io), 0);
      assert.match(io.stdout.text, /^usage: slipway deploy \[dir\] --app <name>/);
    }
  });

  it('prints usage of groups and their subcommands', async () => {
    const group = testIO({});
    assert.equal(await main(['apps', '--help'], group), 0);
    assert.match(group.stdout.text, /usage: slipway apps <command>/);
    assert.match(group.stdout.text, /^  create /m);
    const sub = testIO({});
    assert.equal(await main(['help', 'apps', 'create'], sub), 0);
    assert.match(sub.stdout.text, /^usage: slipway apps create <name> --domain <host>/);
  });

  it('rejects an unknown command with exit 2 and a hint', async () => {
    const io = testIO({});
    assert.equal(await main(['deplyo'], io), 2);
    assert.equal(io.stdout.text, '');
    assert.equal(io.stderr.text, 'error: unknown command "deplyo"\nhint: run "slipway help" to see the commands\n');
    const sub = testIO({});
    assert.equal(await main(['apps', 'nuke'], sub), 2);
    assert.match(sub.stderr.text, /unknown command "apps nuke"/);
  });

  it('rejects unknown flags and missing arguments with exit 2', async () => {
    const io = testIO({});
    assert.equal(await main(['status', 'hello', '--colour'], io), 2);
    assert.match(io.stderr.text, /^error: .*--colour/);
    assert.match(io.stderr.text, /hint: run "slipway status --help"/);
    const missing = testIO({});
    assert.equal(await main(['deploy'], missing), 2);
    assert.match(missing.stderr.text, /error: missing --app/);
  });

  it('fails with a login hint when no server is configured', async () => {
    const io = testIO({ HOME: '/nonexistent-home' });
    assert.equal(await main(['apps', 'list'], io), 2);
    assert.match(io.stderr.text, /error: no Slipway server configured\nhint: run "slipway login/);
  });

  describe('against the API', () => {
    let api: FakeApi;
    before(async () => {
      api = await startFakeApi({ 'GET /api/apps/ghost': fail('not_found', 'no app named "ghost"', 'list apps with "slipway apps list"') });
    });
    after(() => api.close());

    it('maps an API error body to error/hint and exitCodeOf(kind)', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['status', 'ghost'], io), 4);
      assert.equal(io.stderr.text, 'error: no app named "ghost"\nhint: list apps with "slipway apps list"\n');
    });

    it('exits 3 on a wrong token and never prints the token', async () => {
      const io = await apiIO(api);
      const wrong = { ...io, env: { ...io.env, SLIPWAY_TOKEN: 'wrong-secret-token' } };
      assert.equal(await main(['status', 'ghost'], wrong), 3);
      assert.match(io.stderr.text, /error: invalid token/);
      assert.doesNotMatch(io.stderr.text + io.stdout.text, /wrong-secret-token/);
    });
  });

  it('exits 10 with the reachability hint when the server is down', async () => {
    const io = testIO({ SLIPWAY_URL: 'http://127.0.0.1:9', SLIPWAY_TOKEN: 't' });
    assert.equal(await main(['apps', 'list'], io), 10);
    assert.equal(io.stderr.text, 'error: cannot reach Slipway at http://127.0.0.1:9\nhint: is `slipway up` running? check SLIPWAY_URL\n');
  });
});
