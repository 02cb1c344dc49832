// Commands declared as data: their arguments and flags, and one `run` given the parsed values, a client and the IO.

import { SlipwayError } from '../core/errors.js';
import { connect, type SlipwayClient } from './client.js';
import type { CliIO, Command } from './command.js';
import { noMorePositionals, parseFlags, requiredFlag } from './flags.js';

/** A positional argument, by the name the usage shows (`<app>`); `parse` checks and converts it before connecting. */
export interface ArgSpec<N extends string = string> {
  readonly name: N;
  readonly optional?: boolean;
  readonly parse?: (value: string) => unknown;
}

/** A flag as node's parseArgs takes it, plus `required` and `parse` (run before connecting, only when given). */
export type FlagSpec =
  | { readonly type: 'boolean'; readonly short?: string }
  | { readonly type: 'string'; readonly short?: string; readonly multiple?: false; readonly required?: boolean; readonly parse?: (value: string) => unknown }
  | { readonly type: 'string'; readonly short?: string; readonly multiple: true; readonly parse?: (values: string[]) => unknown };

type Parsed<S, Raw> = S extends { readonly parse: (value: never) => infer T } ? T : Raw;

/** The typed values of the positionals: each name to its (parsed) value, undefined when optional and absent. */
export type ArgValues<A extends readonly ArgSpec[]> = {
  [S in A[number] as S['name']]: S extends { readonly optional: true } ? Parsed<S, string> | undefined : Parsed<S, string>;
};

/** The typed values of the flags: a boolean is true or false, a repeatable flag a list, a required one always set. */
export type FlagValues<F extends Readonly<Record<string, FlagSpec>>> = {
  [K in keyof F]: F[K] extends { readonly type: 'boolean' }
    ? boolean
    : F[K] extends { readonly multiple: true }
      ? Parsed<F[K], string[]> | undefined
      : F[K] extends { readonly required: true }
        ? Parsed<F[K], string>
        : Parsed<F[K], string> | undefined;
};

export interface Input<A extends readonly ArgSpec[], F extends Readonly<Record<string, FlagSpec>>> {
  readonly args: ArgValues<A>;
  readonly flags: FlagValues<F>;
  readonly io: CliIO;
}

interface BaseSpec<A extends readonly ArgSpec[], F extends Readonly<Record<string, FlagSpec>>> {
  /** The words typed after `slipway`, e.g. `apps create`; the last is the command's name in its group. */
  readonly path: string;
  readonly summary: string;
  readonly usage: string;
  readonly args: A;
  readonly flags?: F;
  /** The error for arguments beyond the declared ones (default: `unexpected argument "…"`). */
  readonly tooMany?: () => SlipwayError;
  /** A check across several inputs, made with the others before connecting (e.g. "at least one setting"). */
  readonly check?: (input: { args: ArgValues<A>; flags: FlagValues<F> }) => void;
}

/** A command that calls the API: it gets a client for the configured server, connected after its input checked out. */
export interface ApiCommandSpec<A extends readonly ArgSpec[], F extends Readonly<Record<string, FlagSpec>>> extends BaseSpec<A, F> {
  run(input: Input<A, F>, client: SlipwayClient): Promise<number>;
}

/** A command that needs no configured server (lint, exec, login, up). */
export interface LocalCommandSpec<A extends readonly ArgSpec[], F extends Readonly<Record<string, FlagSpec>>> extends BaseSpec<A, F> {
  run(input: Input<A, F>): Promise<number>;
}

export function apiCommand<const A extends readonly ArgSpec[], const F extends Readonly<Record<string, FlagSpec>> = {}>(
  spec: ApiCommandSpec<A, F>,
): Command {
  return toCommand(spec, async (input) => spec.run(input, await connect(input.io)));
}

export function localCommand<const A extends readonly ArgSpec[], const F extends Readonly<Record<string, FlagSpec>> = {}>(
  spec: LocalCommandSpec<A, F>,
): Command {
  return toCommand(spec, (input) => spec.run(input));
}

function toCommand<A extends readonly ArgSpec[], F extends Readonly<Record<string, FlagSpec>>>(
  spec: BaseSpec<A, F>,
  run: (input: Input<A, F>) => Promise<number>,
): Command {
  return {
    name: spec.path.split(' ').at(-1) ?? spec.path,
    summary: spec.summary,
    usage: spec.usage,
    run: async (argv, io) => run({ ...parseInput(spec, argv), io }),
  };
}

/** The one parser: flags, then the count of positionals, each positional, required flags, then every `parse`. */
export function parseInput<A extends readonly ArgSpec[], F extends Readonly<Record<string, FlagSpec>>>(
  spec: BaseSpec<A, F>,
  argv: string[],
): { args: ArgValues<A>; flags: FlagValues<F> } {
  const declared: Readonly<Record<string, FlagSpec>> = spec.flags ?? {};
  const options = Object.fromEntries(
    Object.entries(declared).map(([name, f]) => [
      name,
      f.type === 'boolean'
        ? { type: 'boolean' as const, ...(f.short === undefined ? {} : { short: f.short }) }
        : { type: 'string' as const, multiple: f.multiple === true, ...(f.short === undefined ? {} : { short: f.short }) },
    ]),
  );
  const { values, positionals } = parseFlags(spec.path, argv, options);
  if (positionals.length > spec.args.length && spec.tooMany !== undefined) throw spec.tooMany();
  noMorePositionals(spec.path, positionals, spec.args.length);
  const args: Record<string, unknown> = {};
  spec.args.forEach((arg, index) => {
    const value = positionals[index];
    if (arg.optional === true && value === undefined) return;
    if (value === undefined || (value === '' && arg.optional !== true)) {
      throw new SlipwayError('invalid_input', `missing <${arg.name}>`, { field: arg.name, hint: `run "slipway ${spec.path} --help"` });
    }
    args[arg.name] = arg.parse === undefined ? value : arg.parse(value);
  });
  const flags: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(declared)) {
    const value: unknown = values[name];
    if (f.type === 'boolean') flags[name] = value === true;
    else if (f.multiple === true) flags[name] = value === undefined || f.parse === undefined ? value : f.parse(value as string[]);
    else {
      const given = f.required === true ? requiredFlag(spec.path, value as string | undefined, name) : (value as string | undefined);
      flags[name] = given === undefined || f.parse === undefined ? given : f.parse(given);
    }
  }
  const input = { args: args as ArgValues<A>, flags: flags as FlagValues<F> };
  spec.check?.(input);
  return input;
}
