// Reading a secret's value without it touching argv: all of a piped stdin, or a prompt that hides what is typed.

import { StringDecoder } from 'node:string_decoder';
import { SlipwayError } from '../../../core/errors.js';
import type { CliIO, CliOutput } from '../../command.js';

/** The part of a terminal's stdin the hidden prompt uses; process.stdin on a TTY fits, and so does a test stand-in. */
export interface TerminalInput {
  setRawMode(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** The default value reader of `secrets set`: a hidden prompt when stdin is a terminal, else all of stdin. */
export function readStdinValue(name: string, io: CliIO): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY === true && typeof stdin.setRawMode === 'function') {
    return promptHidden(stdin as TerminalInput, io.stderr, `value of ${name} (not shown; Enter ends it): `);
  }
  return readAll(stdin);
}

/** Everything until end of input, as UTF-8 text. */
export async function readAll(input: AsyncIterable<Buffer | string>): Promise<string> {
  const decoder = new StringDecoder('utf8');
  let text = '';
  for await (const chunk of input) text += typeof chunk === 'string' ? chunk : decoder.write(chunk);
  return text + decoder.end();
}

/** The text without one trailing newline (`\n` or `\r\n`): what `echo value |` and a file's last line add. */
export function stripOneNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/**
 * Writes `prompt` to `out` and reads one line from a terminal in raw mode, so nothing typed or pasted is
 * echoed. Enter or Ctrl-D ends the value, Backspace removes a character, Ctrl-C aborts (a `cancelled`
 * error); other control characters and escape sequences (arrow keys) are ignored.
 */
export function promptHidden(input: TerminalInput, out: CliOutput, prompt: string): Promise<string> {
  out.write(prompt);
  return new Promise<string>((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let value = '';
    let escape: 'none' | 'started' | 'sequence' = 'none';
    const finish = (error?: SlipwayError): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      out.write('\n');
      if (error === undefined) resolve(value);
      else reject(error);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of typeof chunk === 'string' ? chunk : decoder.write(chunk)) {
        if (escape === 'started') {
          escape = ch === '[' || ch === 'O' ? 'sequence' : 'none';
        } else if (escape === 'sequence') {
          if (ch >= '@' && ch <= '~') escape = 'none'; // the final byte of a CSI/SS3 sequence
        } else if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          return finish();
        } else if (ch === '\u0003') {
          return finish(new SlipwayError('cancelled', 'no secret was set: input aborted'));
        } else if (ch === '\u007f' || ch === '\b') {
          value = Array.from(value).slice(0, -1).join('');
        } else if (ch === '\u001b') {
          escape = 'started';
        } else if (ch >= ' ') {
          value += ch;
        }
      }
    };
    input.setRawMode(true);
    input.on('data', onData);
    input.resume();
  });
}
