// A password typed at a hidden prompt or piped on stdin: never an argument (shell history, process lists).

import { SlipwayError } from '../../../core/errors.js';
import type { CliIO } from '../../command.js';
import { readStdinValue, stripOneNewline } from '../secrets/read-value.js';

export type ReadSecret = (what: string, io: CliIO) => Promise<string>;

export async function readPassword(read: ReadSecret, what: string, io: CliIO): Promise<string> {
  const value = stripOneNewline(await read(what, io));
  if (value === '') throw new SlipwayError('invalid_input', `no ${what} given`, { field: 'password', hint: 'type it at the prompt, or pipe it on stdin' });
  return value;
}

export const readStdinSecret: ReadSecret = readStdinValue;
