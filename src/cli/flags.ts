// Flag parsing on node's util.parseArgs and the checks define.ts runs on argv, as invalid_input errors with a hint.

import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
import { SlipwayError } from '../core/errors.js';

/** Parses `args` for `slipway <command>`; unknown flags and missing values become invalid_input. */
export function parseFlags<const O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new SlipwayError('invalid_input', message, { hint: `run "slipway ${command} --help"`, cause: err });
  }
}

/** Rejects positionals beyond the `max` a command takes, so a typo is not silently ignored. */
export function noMorePositionals(command: string, positionals: string[], max: number): void {
  const extra = positionals[max];
  if (extra !== undefined) {
    throw new SlipwayError('invalid_input', `unexpected argument ${JSON.stringify(extra)}`, {
      hint: `run "slipway ${command} --help"`,
    });
  }
}

/** A required string flag such as `--app`. */
export function requiredFlag(command: string, value: string | undefined, flag: string): string {
  if (value === undefined || value === '') {
    throw new SlipwayError('invalid_input', `missing --${flag}`, { field: flag, hint: `run "slipway ${command} --help"` });
  }
  return value;
}

/** A whole number given on the command line, e.g. `--replicas 3` or a release number. */
export function wholeNumber(value: string, field: string): number {
  if (!/^[0-9]+$/.test(value)) {
    throw new SlipwayError('invalid_input', `invalid ${field} ${JSON.stringify(value)}`, {
      field,
      hint: 'give a whole number such as 3',
    });
  }
  return Number(value);
}
