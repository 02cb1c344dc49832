// Reading a secret value: all of a piped stdin, newline stripping, and the hidden terminal prompt.

import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../../core/errors.js';
import { Capture } from '../../testing/test-io.js';
import { promptHidden, readAll, stripOneNewline, type TerminalInput } from './read-value.js';

/** A terminal stdin stand-in: records raw mode and paused state; `type` sends keystrokes. */
class FakeTerminal extends EventEmitter implements TerminalInput {
  raw: boolean[] = [];
  paused = true;
  setRawMode(mode: boolean): this {
    this.raw.push(mode);
    return this;
  }
  resume(): this {
    this.paused = false;
    return this;
  }
  pause(): this {
    this.paused = true;
    return this;
  }
  type(...chunks: (string | Buffer)[]): void {
    for (const chunk of chunks) this.emit('data', chunk);
  }
}

describe('secret value input', () => {
  it('readAll joins the chunks, including a character split between them', async () => {
    const euro = Buffer.from('€');
    const input = Readable.from([Buffer.from('a'), euro.subarray(0, 1), Buffer.concat([euro.subarray(1), Buffer.from('b\n')])]);
    assert.equal(await readAll(input), 'a€b\n');
    assert.equal(await readAll(Readable.from([])), '');
  });

  it('stripOneNewline drops one \\n or \\r\\n, no more', () => {
    assert.equal(stripOneNewline('v\n'), 'v');
    assert.equal(stripOneNewline('v\r\n'), 'v');
    assert.equal(stripOneNewline('v\n\n'), 'v\n');
    assert.equal(stripOneNewline('v'), 'v');
    assert.equal(stripOneNewline('\n'), '');
  });

  it('promptHidden reads a line in raw mode without echoing it', async () => {
    const input = new FakeTerminal();
    const out = new Capture();
    const value = promptHidden(input, out, 'value of API_KEY: ');
    assert.deepEqual(input.raw, [true]);
    assert.equal(input.paused, false);
    input.type('s3c', Buffer.from('r€'), 't\r', 'ignored after Enter');
    assert.equal(await value, 's3cr€t');
    assert.deepEqual(input.raw, [true, false]);
    assert.equal(input.paused, true);
    assert.equal(input.listenerCount('data'), 0);
    assert.equal(out.text, 'value of API_KEY: \n');
  });

  it('promptHidden handles Backspace, skips arrow keys and control characters, and ends on Ctrl-D', async () => {
    const input = new FakeTerminal();
    const out = new Capture();
    const value = promptHidden(input, out, '> ');
    input.type('abx\u007f', '\u001b[D', '\u001bOA', 'c\u0001\td', '\u0004');
    assert.equal(await value, 'abcd');
    assert.equal(out.text, '> \n');
  });

  it('promptHidden turns Ctrl-C into a cancelled error and restores the terminal', async () => {
    const input = new FakeTerminal();
    const value = promptHidden(input, new Capture(), '> ');
    input.type('half', '\u0003');
    await assert.rejects(value, (err: unknown) => err instanceof SlipwayError && err.kind === 'cancelled');
    assert.deepEqual(input.raw, [true, false]);
    assert.equal(input.listenerCount('data'), 0);
  });
});
