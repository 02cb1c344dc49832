// Picks the command named by the first argument, answers --help and help, and runs it; groups recurse.

import { SlipwayError } from '../core/errors.js';
import type { CliIO, Command } from './command.js';

const HELP_FLAGS = new Set(['--help', '-h']);

/**
 * Runs `args` against `commands`; `prefix` is what was typed before them, e.g. `slipway apps`.
 * `listing` is what no arguments, `help` or `--help` print (default: the command list).
 */
export async function dispatch(
  prefix: string,
  commands: readonly Command[],
  args: string[],
  io: CliIO,
  listing = commandList(prefix, commands),
): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || HELP_FLAGS.has(name)) {
    io.stdout.write(listing);
    return 0;
  }
  if (name === 'help') return dispatch(prefix, commands, rest.length === 0 ? [] : [...rest, '--help'], io, listing);
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    const typed = [...prefix.split(' ').slice(1), name].join(' ');
    throw new SlipwayError('invalid_input', `unknown command "${typed}"`, {
      hint: `run "${prefix} help" to see the commands`,
    });
  }
  if (command.subcommands !== undefined) return dispatch(`${prefix} ${name}`, command.subcommands, rest, io);
  if (asksForHelp(rest)) {
    io.stdout.write(command.usage);
    return 0;
  }
  return command.run(rest, io);
}

/** The list of commands a prefix offers, with each one's summary. */
export function commandList(prefix: string, commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: ${prefix} <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun "${prefix} <command> --help" for a command's options.\n`;
}

function asksForHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => HELP_FLAGS.has(a));
}

/** A group such as `slipway apps`: its usage is the list of its commands, and the dispatcher hands it the rest of argv. */
export function commandGroup(name: string, summary: string, subcommands: readonly Command[]): Command {
  const prefix = `slipway ${name}`;
  return { name, summary, usage: commandList(prefix, subcommands), subcommands, run: (args, io) => dispatch(prefix, subcommands, args, io) };
}
