// The <id> argument of the run commands: a run number as `slipway runs <app>` shows it, `12` or `#12`.

import { positional, wholeNumber } from '../../flags.js';

/** The run number at `index` of the positionals; invalid_input when missing or not a number. */
export function runIdArg(command: string, positionals: string[], index: number): number {
  return wholeNumber(positional(command, positionals, index, 'id').replace(/^#/, ''), 'run id');
}
