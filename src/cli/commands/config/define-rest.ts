// A config command that takes <app> and then any number of words (KEY=VALUE…, KEY…): define.ts declares fixed
// positionals only, so these parse their argv here with the same flag parser and errors.

import { SlipwayError } from '../../../core/errors.js';
import { connect, type SlipwayClient } from '../../client.js';
import type { CliIO, Command } from '../../command.js';
import { parseFlags } from '../../flags.js';

export interface RestInput {
  readonly app: string;
  readonly words: readonly string[];
  readonly flags: Readonly<Record<string, boolean>>;
  readonly io: CliIO;
}

export function restCommand(spec: {
  readonly path: string;
  readonly summary: string;
  readonly usage: string;
  /** Boolean flags only. */
  readonly flags: readonly string[];
  /** What the words are called in "missing …" (e.g. KEY=VALUE); null: the command takes none. */
  readonly words: string | null;
  /** Checks the input before connecting; returns what run gets. */
  check(input: RestInput): void;
  run(input: RestInput, client: SlipwayClient): Promise<number>;
}): Command {
  return {
    name: spec.path.split(' ').at(-1)!,
    summary: spec.summary,
    usage: spec.usage,
    async run(argv, io) {
      const options = Object.fromEntries(spec.flags.map((f) => [f, { type: 'boolean' as const }]));
      const { values, positionals } = parseFlags(spec.path, argv, options);
      const [app, ...words] = positionals;
      const help = `run "slipway ${spec.path} --help"`;
      if (app === undefined || app === '') throw new SlipwayError('invalid_input', 'missing <app>', { field: 'app', hint: help });
      if (spec.words !== null && words.length === 0) throw new SlipwayError('invalid_input', `missing ${spec.words}`, { hint: help });
      if (spec.words === null && words.length > 0) throw new SlipwayError('invalid_input', `unexpected argument ${JSON.stringify(words[0])}`, { hint: help });
      const flags = Object.fromEntries(spec.flags.map((f) => [f, values[f] === true]));
      const input = { app, words, flags, io };
      spec.check(input);
      return spec.run(input, await connect(io));
    },
  };
}
