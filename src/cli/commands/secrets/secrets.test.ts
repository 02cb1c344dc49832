// `slipway secrets set|list|rm`: the request each makes, the value from stdin or --value, and no value ever printed.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CliIO } from '../../command.js';
import { main } from '../../main.js';
import { bodyJson, fail, json, noContent, startFakeApi, TOKEN, type FakeApi } from '../../testing/fake-api.js';
import { apiIO, testIO, type TestIO } from '../../testing/test-io.js';
import { secretsSetCommandWith } from './set.js';

const VALUE = 'hunter2-very-secret-value';

/** `secrets set` with stdin supplied: records each read, so a test can tell whether stdin was read at all. */
function withStdin(stdin: string) {
  const reads: string[] = [];
  const command = secretsSetCommandWith({
    readValue: (name: string, _io: CliIO) => {
      reads.push(name);
      return Promise.resolve(stdin);
    },
  });
  return { command, reads };
}

function printed(io: TestIO): string {
  return io.stdout.text + io.stderr.text;
}

describe('slipway secrets', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi({
      'PUT /api/apps/hello/secrets': noContent(),
      'PUT /api/apps/ghost/secrets': fail('not_found', 'no app named "ghost"'),
      'GET /api/apps/hello/secrets': json({
        secrets: [
          { name: 'NPM_TOKEN', updatedAt: '2024-05-01T12:34:56.000Z' },
          { name: 'SLACK_WEBHOOK_URL', updatedAt: '2024-05-02T08:00:00.000Z' },
        ],
      }),
      'GET /api/apps/bare/secrets': json({ secrets: [] }),
      'DELETE /api/apps/hello/secrets/NPM_TOKEN': noContent(),
      'DELETE /api/apps/hello/secrets/GONE': fail('not_found', 'no secret GONE for hello'),
    });
  });
  after(() => api.close());

  describe('set', () => {
    it('--value: PUTs {name, value} with the token and prints the name, never the value', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['secrets', 'set', 'hello', 'NPM_TOKEN', '--value', VALUE], io), 0, io.stderr.text);
      const req = api.requests.at(-1);
      assert.deepEqual([req?.method, req?.path], ['PUT', '/api/apps/hello/secrets']);
      assert.equal(req?.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(req?.headers['content-type'], 'application/json');
      assert.deepEqual(bodyJson(req), { name: 'NPM_TOKEN', value: VALUE });
      assert.equal(io.stdout.text, 'set secret NPM_TOKEN of hello; pipeline steps read it with "from_secret: NPM_TOKEN"\n');
      assert.equal(io.stderr.text, '');
    });

    it('--value is sent as given, trailing newline included', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['secrets', 'set', 'hello', 'PEM', `--value=${VALUE}\n`], io), 0, io.stderr.text);
      assert.deepEqual(bodyJson(api.requests.at(-1)), { name: 'PEM', value: `${VALUE}\n` });
    });

    it('without --value reads stdin and drops exactly one trailing newline', async () => {
      for (const [stdin, sent] of [
        [`${VALUE}\n`, VALUE],
        [`${VALUE}\r\n`, VALUE],
        [VALUE, VALUE],
        [`line 1\nline 2\n\n`, 'line 1\nline 2\n'],
      ] as const) {
        const { command, reads } = withStdin(stdin);
        const io = await apiIO(api);
        assert.equal(await command.run(['hello', 'API_KEY'], io), 0, io.stderr.text);
        assert.deepEqual(reads, ['API_KEY']);
        const req = api.requests.at(-1);
        assert.deepEqual([req?.method, req?.path], ['PUT', '/api/apps/hello/secrets']);
        assert.deepEqual(bodyJson(req), { name: 'API_KEY', value: sent });
        assert.equal(io.stdout.text, 'set secret API_KEY of hello; pipeline steps read it with "from_secret: API_KEY"\n');
        assert.ok(!printed(io).includes(VALUE) && !printed(io).includes('line 1'), printed(io));
      }
    });

    it('--value wins over stdin, which is then not read', async () => {
      const { command, reads } = withStdin('from stdin\n');
      const io = await apiIO(api);
      assert.equal(await command.run(['hello', 'API_KEY', '--value', VALUE], io), 0);
      assert.deepEqual(reads, []);
      assert.deepEqual(bodyJson(api.requests.at(-1)), { name: 'API_KEY', value: VALUE });
    });

    it('an empty value (empty stdin, a lone newline, --value "") is rejected without a request', async () => {
      const before = api.requests.length;
      for (const stdin of ['', '\n']) {
        const { command } = withStdin(stdin);
        const io = await apiIO(api);
        await assert.rejects(command.run(['hello', 'API_KEY'], io), { kind: 'invalid_input', message: 'the value of API_KEY is empty; no secret was set' });
      }
      const io = await apiIO(api);
      assert.equal(await main(['secrets', 'set', 'hello', 'API_KEY', '--value='], io), 2);
      assert.equal(io.stderr.text, 'error: the value of API_KEY is empty; no secret was set\nhint: pipe the value in, e.g. "slipway secrets set hello API_KEY < file"\n');
      assert.equal(api.requests.length, before);
    });

    it('checks the name before reading the value', async () => {
      const { command, reads } = withStdin(VALUE);
      const io = await apiIO(api);
      await assert.rejects(command.run(['hello', '9LIVES'], io), { kind: 'invalid_input', message: 'invalid secret name "9LIVES"' });
      assert.deepEqual(reads, []);
      const missing = await apiIO(api);
      assert.equal(await main(['secrets', 'set', 'hello'], missing), 2);
      assert.match(missing.stderr.text, /^error: missing <NAME>\n/);
    });

    it('a value given as a third argument is refused without being echoed', async () => {
      const io = await apiIO(api);
      const before = api.requests.length;
      assert.equal(await main(['secrets', 'set', 'hello', 'API_KEY', VALUE], io), 2);
      assert.equal(io.stderr.text, 'error: secrets set takes <app> and <NAME> only\nhint: pipe the value in on stdin (or give --value <value>)\n');
      assert.equal(api.requests.length, before);
    });

    it('an unknown app exits 4 and the error does not show the value', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['secrets', 'set', 'ghost', 'API_KEY', '--value', VALUE], io), 4);
      assert.equal(io.stderr.text, 'error: no app named "ghost"\n');
      assert.ok(!printed(io).includes(VALUE));
    });

    it('asks for a login before reading a value when no server is configured', async () => {
      const { command, reads } = withStdin(VALUE);
      await assert.rejects(command.run(['hello', 'API_KEY'], testIO({ HOME: '/nonexistent-home' })), { kind: 'invalid_input' });
      assert.deepEqual(reads, []);
    });
  });

  describe('list', () => {
    it('prints names and update times from GET /api/apps/:app/secrets', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['secrets', 'list', 'hello'], io), 0, io.stderr.text);
      assert.deepEqual([api.requests.at(-1)?.method, api.requests.at(-1)?.path], ['GET', '/api/apps/hello/secrets']);
      assert.equal(
        io.stdout.text,
        ['SECRET             UPDATED', 'NPM_TOKEN          2024-05-01 12:34Z', 'SLACK_WEBHOOK_URL  2024-05-02 08:00Z', ''].join('\n'),
      );
    });

    it('says how to add one when there are none', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['secrets', 'list', 'bare'], io), 0);
      assert.equal(io.stdout.text, 'bare has no secrets; add one with "slipway secrets set bare <NAME>"\n');
    });
  });

  describe('rm', () => {
    it('DELETEs /api/apps/:app/secrets/:name', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['secrets', 'rm', 'hello', 'NPM_TOKEN'], io), 0, io.stderr.text);
      assert.deepEqual([api.requests.at(-1)?.method, api.requests.at(-1)?.path], ['DELETE', '/api/apps/hello/secrets/NPM_TOKEN']);
      assert.equal(io.stdout.text, 'removed secret NPM_TOKEN from hello\n');
    });

    it('escapes the name in the path; an unknown secret exits 4', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['secrets', 'rm', 'hello', 'a/b'], io), 4);
      assert.equal(api.requests.at(-1)?.path, '/api/apps/hello/secrets/a%2Fb');
      const gone = await apiIO(api);
      assert.equal(await main(['secrets', 'rm', 'hello', 'GONE'], gone), 4);
      assert.equal(gone.stderr.text, 'error: no secret GONE for hello\n');
    });
  });

  it('secrets --help lists set, list and rm; set --help says the value comes from stdin', async () => {
    const group = testIO({});
    assert.equal(await main(['secrets', '--help'], group), 0);
    assert.match(group.stdout.text, /^usage: slipway secrets <command>/);
    for (const name of ['set', 'list', 'rm']) assert.match(group.stdout.text, new RegExp(`^  ${name} `, 'm'));
    const set = testIO({});
    assert.equal(await main(['secrets', 'set', '--help'], set), 0);
    assert.match(set.stdout.text, /^usage: slipway secrets set <app> <NAME> \[--value <value>\]\n/);
    assert.match(set.stdout.text, /read from stdin/);
  });
});
