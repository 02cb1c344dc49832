// The one runner of declared commands: argv parsed into typed values, usage errors the same for every command,
// and every check made before the command connects.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../core/errors.js';
import { apiCommand, localCommand, parseInput } from './define.js';
import { wholeNumber } from './flags.js';
import { testIO } from './testing/test-io.js';

const spec = {
  path: 'things make',
  summary: 's',
  usage: 'u',
  args: [{ name: 'app' }, { name: 'count', optional: true, parse: (v: string) => wholeNumber(v, 'count') }],
  flags: {
    follow: { type: 'boolean', short: 'f' },
    repo: { type: 'string', required: true },
    tag: { type: 'string', multiple: true },
    port: { type: 'string', parse: (v: string) => wholeNumber(v, 'port') },
  },
} as const;

describe('parseInput', () => {
  it('gives each positional and flag its typed value', () => {
    const { args, flags } = parseInput(spec, ['hello', '3', '-f', '--repo', 'r', '--tag', 'a', '--tag=b', '--port', '80']);
    assert.deepEqual(args, { app: 'hello', count: 3 });
    assert.deepEqual(flags, { follow: true, repo: 'r', tag: ['a', 'b'], port: 80 });
    const bare = parseInput(spec, ['hello', '--repo', 'r']);
    assert.deepEqual(bare.args, { app: 'hello' });
    assert.deepEqual(bare.flags, { follow: false, repo: 'r', tag: undefined, port: undefined });
  });

  it('says what is wrong and how to get help', () => {
    for (const [argv, message] of [
      [['--repo', 'r'], 'missing <app>'],
      [['hello'], 'missing --repo'],
      [['hello', '1', 'extra', '--repo', 'r'], 'unexpected argument "extra"'],
      [['hello', 'x', '--repo', 'r'], 'invalid count "x"'],
    ] as const) {
      assert.throws(() => parseInput(spec, [...argv]), (err: unknown) => {
        assert.ok(err instanceof SlipwayError && err.kind === 'invalid_input', String(err));
        assert.equal(err.message, message);
        return true;
      });
    }
    assert.throws(() => parseInput(spec, ['hello', '--repo', 'r', '--nope']), { kind: 'invalid_input', hint: 'run "slipway things make --help"' });
  });

  it('uses the spec\'s own error for extra arguments, and its cross-check', () => {
    const own = { ...spec, tooMany: () => new SlipwayError('invalid_input', 'too many') };
    assert.throws(() => parseInput(own, ['a', '1', 'b', '--repo', 'r']), { message: 'too many' });
    const checked = { ...spec, check: () => { throw new SlipwayError('invalid_input', 'checked'); } };
    assert.throws(() => parseInput(checked, ['a', '--repo', 'r']), { message: 'checked' });
  });
});

describe('apiCommand and localCommand', () => {
  it('an api command refuses bad input before it looks for a server; a local one never needs one', async () => {
    let ran = false;
    const api = apiCommand({ ...spec, run: async () => ((ran = true), 0) });
    assert.equal(api.name, 'make');
    await assert.rejects(api.run(['hello'], testIO({ HOME: '/nonexistent-home' })), { message: 'missing --repo' });
    await assert.rejects(api.run(['hello', '--repo', 'r'], testIO({ HOME: '/nonexistent-home' })), (err: unknown) => {
      return err instanceof SlipwayError && err.kind === 'invalid_input' && !err.message.includes('repo');
    });
    assert.equal(ran, false);
    const local = localCommand({ ...spec, run: async ({ args, flags }) => (args.count ?? 0) + (flags.port ?? 0) });
    assert.equal(await local.run(['hello', '2', '--repo', 'r', '--port', '40'], testIO({})), 42);
  });
});
